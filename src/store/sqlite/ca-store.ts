// The CA's store on SQLite (src/ca/store.ts owns the interface): issued certificates,
// revocations, the CRL counter and the current CRL, in the CA directory's ca.db.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type {
  CaStore,
  CertificateCounts,
  CertificateQuery,
  RevokeOutcome,
  RevokedEntry,
  StoredCrl,
} from '../../ca/store.ts';
import type {
  CertificateRecord,
  CertificateUsage,
  Identifier,
  Provisioner,
  RevocationReason,
} from '../../ca/types.ts';
import { type Migration, migrate, openDatabase, storeError, transaction } from './database.ts';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE ca_certificates (
        serial TEXT PRIMARY KEY,
        common_name TEXT,
        identifiers TEXT NOT NULL,
        usage TEXT NOT NULL,
        key_algorithm TEXT NOT NULL,
        not_before INTEGER NOT NULL,
        not_after INTEGER NOT NULL,
        issued_at INTEGER NOT NULL,
        provisioner TEXT NOT NULL,
        requested_by TEXT,
        der BLOB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
        revoked_at INTEGER,
        revocation_reason TEXT
      );
      -- One index serves every query (each filters on status, orders by notAfter); a second
      -- on notAfter alone would cost every issuance another page write for one rare query.
      CREATE INDEX ca_certificates_status_not_after ON ca_certificates (status, not_after);
      CREATE TABLE ca_crl_counter (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
      INSERT INTO ca_crl_counter (id, last) VALUES (1, 0);
      CREATE TABLE ca_crls (
        number INTEGER PRIMARY KEY,
        this_update INTEGER NOT NULL,
        next_update INTEGER NOT NULL,
        der BLOB NOT NULL,
        revoked_count INTEGER NOT NULL
      );
    `,
  },
];

interface CertificateRow {
  serial: string;
  common_name: string | null;
  identifiers: string;
  usage: string;
  key_algorithm: string;
  not_before: number;
  not_after: number;
  issued_at: number;
  provisioner: string;
  requested_by: string | null;
  der: Uint8Array;
  status: string;
  revoked_at: number | null;
  revocation_reason: string | null;
}

function toRecord(row: CertificateRow): CertificateRecord {
  return {
    serial: row.serial,
    commonName: row.common_name,
    identifiers: JSON.parse(row.identifiers) as Identifier[],
    usage: row.usage as CertificateUsage,
    keyAlgorithm: row.key_algorithm,
    notBefore: new Date(row.not_before),
    notAfter: new Date(row.not_after),
    issuedAt: new Date(row.issued_at),
    provisioner: row.provisioner as Provisioner,
    requestedBy: row.requested_by,
    der: new Uint8Array(row.der),
    status: row.status === 'revoked' ? 'revoked' : 'valid',
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    revocationReason: row.revocation_reason as RevocationReason | null,
  };
}

/** WHERE clauses of each list filter; values are bound, never spliced. */
const STATUS_FILTER = {
  valid: { sql: "status = 'valid' AND not_after > ?", binds: 1 },
  expired: { sql: "status = 'valid' AND not_after <= ?", binds: 1 },
  revoked: { sql: "status = 'revoked'", binds: 0 },
} as const;

/** Every certificate a CA keeps fits; a caller wanting more pages by notAfter. */
const MAX_LIST = 100_000;

class SqliteCaStore implements CaStore {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #insert: StatementSync;
  readonly #get: StatementSync;

  constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.#path = path;
    this.#insert = db.prepare(
      `INSERT INTO ca_certificates (serial, common_name, identifiers, usage, key_algorithm,
        not_before, not_after, issued_at, provisioner, requested_by, der, status, revoked_at,
        revocation_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#get = db.prepare('SELECT * FROM ca_certificates WHERE serial = ?');
  }

  #run<T>(operation: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (cause) {
      return Promise.reject(storeError(this.#path, operation, cause));
    }
  }

  insert(r: CertificateRecord): Promise<void> {
    return this.#run('insert certificate', () => {
      this.#insert.run(
        r.serial,
        r.commonName,
        JSON.stringify(r.identifiers),
        r.usage,
        r.keyAlgorithm,
        r.notBefore.getTime(),
        r.notAfter.getTime(),
        r.issuedAt.getTime(),
        r.provisioner,
        r.requestedBy,
        r.der,
        r.status,
        r.revokedAt?.getTime() ?? null,
        r.revocationReason,
      );
    });
  }

  get(serial: string): Promise<CertificateRecord | undefined> {
    return this.#run('read certificate', () => {
      const row = this.#get.get(serial) as CertificateRow | undefined;
      return row === undefined ? undefined : toRecord(row);
    });
  }

  list(query: CertificateQuery): Promise<CertificateRecord[]> {
    return this.#run('list certificates', () => {
      const where: string[] = [];
      const binds: number[] = [];
      const now = query.now.getTime();
      if (query.status !== undefined) {
        const filter = STATUS_FILTER[query.status];
        where.push(filter.sql);
        if (filter.binds === 1) binds.push(now);
      }
      if (query.expiringWithinSeconds !== undefined) {
        where.push("status = 'valid' AND not_after > ? AND not_after <= ?");
        binds.push(now, now + query.expiringWithinSeconds * 1000);
      }
      const limit = Math.min(query.limit ?? MAX_LIST, MAX_LIST);
      const sql =
        `SELECT * FROM ca_certificates${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
        ' ORDER BY not_after, serial LIMIT ?';
      const rows = this.#db.prepare(sql).all(...binds, limit) as unknown as CertificateRow[];
      return rows.map(toRecord);
    });
  }

  count(now: Date): Promise<CertificateCounts> {
    return this.#run('count certificates', () => {
      const one = (sql: string, ...binds: number[]): number =>
        (
          this.#db
            .prepare(`SELECT COUNT(*) AS n FROM ca_certificates WHERE ${sql}`)
            .get(...binds) as { n: number }
        ).n;
      return {
        valid: one(STATUS_FILTER.valid.sql, now.getTime()),
        expired: one(STATUS_FILTER.expired.sql, now.getTime()),
        revoked: one(STATUS_FILTER.revoked.sql),
      };
    });
  }

  countRevoked(): Promise<number> {
    return this.#run('count revoked certificates', () => {
      const row = this.#db
        .prepare(`SELECT COUNT(*) AS n FROM ca_certificates WHERE ${STATUS_FILTER.revoked.sql}`)
        .get() as { n: number };
      return row.n;
    });
  }

  revoke(serial: string, revokedAt: Date, reason: RevocationReason): Promise<RevokeOutcome> {
    return this.#run('revoke certificate', () =>
      transaction(this.#db, (): RevokeOutcome => {
        const updated = this.#db
          .prepare(
            `UPDATE ca_certificates SET status = 'revoked', revoked_at = ?, revocation_reason = ?
             WHERE serial = ? AND status = 'valid' RETURNING *`,
          )
          .get(revokedAt.getTime(), reason, serial) as CertificateRow | undefined;
        if (updated !== undefined) return { outcome: 'revoked', record: toRecord(updated) };
        const row = this.#get.get(serial) as CertificateRow | undefined;
        return row === undefined
          ? { outcome: 'not-found' }
          : { outcome: 'already-revoked', record: toRecord(row) };
      }),
    );
  }

  listRevoked(notAfterAfter: Date): Promise<RevokedEntry[]> {
    return this.#run('list revoked certificates', () => {
      const rows = this.#db
        .prepare(
          `SELECT serial, revoked_at, revocation_reason FROM ca_certificates
           WHERE status = 'revoked' AND not_after > ? ORDER BY serial`,
        )
        .all(notAfterAfter.getTime()) as unknown as {
        serial: string;
        revoked_at: number;
        revocation_reason: RevocationReason;
      }[];
      return rows.map((r) => ({
        serial: r.serial,
        revokedAt: new Date(r.revoked_at),
        reason: r.revocation_reason,
      }));
    });
  }

  nextCrlNumber(): Promise<bigint> {
    return this.#run('number a CRL', () => {
      const row = this.#db
        .prepare('UPDATE ca_crl_counter SET last = last + 1 WHERE id = 1 RETURNING last')
        .get() as { last: number };
      return BigInt(row.last);
    });
  }

  saveCrl(crl: StoredCrl): Promise<void> {
    return this.#run('save CRL', () => {
      transaction(this.#db, () => {
        this.#db
          .prepare(
            'INSERT OR REPLACE INTO ca_crls (number, this_update, next_update, der, revoked_count) VALUES (?, ?, ?, ?, ?)',
          )
          .run(
            crl.number,
            crl.thisUpdate.getTime(),
            crl.nextUpdate.getTime(),
            crl.der,
            crl.revokedCount,
          );
        // Only the newest CRL is ever served; older ones are history nobody reads.
        this.#db.prepare('DELETE FROM ca_crls WHERE number < ?').run(crl.number);
      });
    });
  }

  latestCrl(): Promise<StoredCrl | undefined> {
    return this.#run('read CRL', () => {
      const row = this.#db.prepare('SELECT * FROM ca_crls ORDER BY number DESC LIMIT 1').get() as
        | {
            number: number;
            this_update: number;
            next_update: number;
            der: Uint8Array;
            revoked_count: number;
          }
        | undefined;
      if (row === undefined) return undefined;
      return {
        number: BigInt(row.number),
        thisUpdate: new Date(row.this_update),
        nextUpdate: new Date(row.next_update),
        der: new Uint8Array(row.der),
        revokedCount: row.revoked_count,
      };
    });
  }

  close(): Promise<void> {
    return this.#run('close', () => {
      if (this.#db.isOpen) this.#db.close();
    });
  }
}

/** Opens (creating and migrating) the CA store at `path`, normally `<dir>/ca.db`. */
export function openCaStore(path: string): CaStore {
  const db = openDatabase(path);
  try {
    migrate(db, 'ca', MIGRATIONS, path);
  } catch (cause) {
    db.close();
    throw storeError(path, 'migrate', cause);
  }
  return new SqliteCaStore(db, path);
}
