// The ACME server's store on SQLite (src/acme/store.ts owns the interface): accounts,
// orders, authorizations and challenges, in the CA directory's ca.db next to the CA's
// tables. Every state change is an UPDATE … WHERE status IN (…) RETURNING: a
// compare-and-set that commits before the request is answered, so a restart loses nothing.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type {
  AccountKey,
  AccountRecord,
  AccountStatus,
  AcmeStore,
  AuthorizationChanges,
  AuthorizationRecord,
  AuthorizationStatus,
  ChallengeChanges,
  ChallengeRecord,
  ChallengeStatus,
  ChallengeType,
  KeyChangeResult,
  NewAuthorization,
  OrderChanges,
  OrderRecord,
  OrderStatus,
} from '../../acme/store.ts';
import type { ProblemDocument } from '../../acme/problems.ts';
import type { Identifier, IdentifierType } from '../../ca/types.ts';
import { type Migration, migrate, openDatabase, storeError, transaction } from './database.ts';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE acme_accounts (
        id TEXT PRIMARY KEY,
        thumbprint TEXT NOT NULL UNIQUE,
        jwk TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('valid', 'deactivated', 'revoked')),
        contact TEXT NOT NULL,
        terms_agreed INTEGER NOT NULL,
        eab_key_id TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE acme_orders (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES acme_accounts (id),
        status TEXT NOT NULL
          CHECK (status IN ('pending', 'ready', 'processing', 'valid', 'invalid')),
        identifiers TEXT NOT NULL,
        expires INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        certificate_serial TEXT,
        error TEXT,
        replaces TEXT
      );
      CREATE INDEX acme_orders_account_created ON acme_orders (account_id, created_at);
      CREATE INDEX acme_orders_account_status ON acme_orders (account_id, status, expires);
      CREATE INDEX acme_orders_status ON acme_orders (status, expires);
      CREATE INDEX acme_orders_certificate ON acme_orders (certificate_serial)
        WHERE certificate_serial IS NOT NULL;
      CREATE INDEX acme_orders_replaces ON acme_orders (replaces) WHERE replaces IS NOT NULL;
      CREATE TABLE acme_authorizations (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES acme_accounts (id),
        identifier_type TEXT NOT NULL,
        identifier_value TEXT NOT NULL,
        wildcard INTEGER NOT NULL,
        status TEXT NOT NULL,
        expires INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX acme_authorizations_reuse ON acme_authorizations
        (account_id, identifier_type, identifier_value, wildcard, status, expires);
      CREATE TABLE acme_order_authorizations (
        order_id TEXT NOT NULL REFERENCES acme_orders (id),
        position INTEGER NOT NULL,
        authorization_id TEXT NOT NULL REFERENCES acme_authorizations (id),
        PRIMARY KEY (order_id, position)
      );
      CREATE INDEX acme_order_authorizations_authorization
        ON acme_order_authorizations (authorization_id);
      CREATE TABLE acme_challenges (
        id TEXT PRIMARY KEY,
        authorization_id TEXT NOT NULL REFERENCES acme_authorizations (id),
        position INTEGER NOT NULL,
        type TEXT NOT NULL,
        token TEXT NOT NULL,
        status TEXT NOT NULL,
        validated INTEGER,
        error TEXT
      );
      CREATE INDEX acme_challenges_authorization ON acme_challenges (authorization_id, position);
    `,
  },
];

interface AccountRow {
  id: string;
  thumbprint: string;
  jwk: string;
  status: string;
  contact: string;
  terms_agreed: number;
  eab_key_id: string | null;
  created_at: number;
}

interface OrderRow {
  id: string;
  account_id: string;
  status: string;
  identifiers: string;
  expires: number;
  created_at: number;
  certificate_serial: string | null;
  error: string | null;
  replaces: string | null;
}

interface AuthorizationRow {
  id: string;
  account_id: string;
  identifier_type: string;
  identifier_value: string;
  wildcard: number;
  status: string;
  expires: number;
  created_at: number;
}

interface ChallengeRow {
  id: string;
  authorization_id: string;
  type: string;
  token: string;
  status: string;
  validated: number | null;
  error: string | null;
}

const problem = (text: string | null): ProblemDocument | null =>
  text === null ? null : (JSON.parse(text) as ProblemDocument);

function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    key: JSON.parse(row.jwk) as AccountKey,
    thumbprint: row.thumbprint,
    status: row.status as AccountStatus,
    contact: JSON.parse(row.contact) as string[],
    termsOfServiceAgreed: row.terms_agreed === 1,
    externalAccountKeyId: row.eab_key_id,
    createdAt: new Date(row.created_at),
  };
}

function toAuthorization(row: AuthorizationRow): AuthorizationRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    identifier: { type: row.identifier_type as IdentifierType, value: row.identifier_value },
    wildcard: row.wildcard === 1,
    status: row.status as AuthorizationStatus,
    expires: new Date(row.expires),
    createdAt: new Date(row.created_at),
  };
}

function toChallenge(row: ChallengeRow): ChallengeRecord {
  return {
    id: row.id,
    authorizationId: row.authorization_id,
    type: row.type as ChallengeType,
    token: row.token,
    status: row.status as ChallengeStatus,
    validated: row.validated === null ? null : new Date(row.validated),
    error: problem(row.error),
  };
}

const OPEN_ORDERS = "status IN ('pending', 'ready')";

/** Every statement the store runs, prepared once per connection. */
const SQL = {
  insertAccount: `INSERT INTO acme_accounts (id, thumbprint, jwk, status, contact, terms_agreed,
      eab_key_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (thumbprint) DO NOTHING`,
  account: 'SELECT * FROM acme_accounts WHERE id = ?',
  accountByThumbprint: 'SELECT * FROM acme_accounts WHERE thumbprint = ?',
  updateAccount: `UPDATE acme_accounts SET status = COALESCE(?, status),
       contact = COALESCE(?, contact) WHERE id = ? RETURNING *`,
  changeKey: 'UPDATE acme_accounts SET jwk = ?, thumbprint = ? WHERE id = ? RETURNING *',
  insertOrder: `INSERT INTO acme_orders (id, account_id, status, identifiers, expires, created_at,
      certificate_serial, error, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertOrderAuthorization:
    'INSERT INTO acme_order_authorizations (order_id, position, authorization_id) VALUES (?, ?, ?)',
  insertAuthorization: `INSERT INTO acme_authorizations (id, account_id, identifier_type, identifier_value,
      wildcard, status, expires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  insertChallenge: `INSERT INTO acme_challenges (id, authorization_id, position, type, token, status,
      validated, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  order: 'SELECT * FROM acme_orders WHERE id = ?',
  orderAuthorizations:
    'SELECT authorization_id FROM acme_order_authorizations WHERE order_id = ? ORDER BY position',
  listOrderIds: `SELECT id FROM acme_orders WHERE account_id = ? AND status != 'invalid'
     ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  countOpenOrders: `SELECT COUNT(*) AS n FROM acme_orders
     WHERE account_id = ? AND ${OPEN_ORDERS} AND expires > ?`,
  updateOrder: `UPDATE acme_orders SET status = ?,
       certificate_serial = COALESCE(?, certificate_serial), error = COALESCE(?, error)
     WHERE id = ? AND status IN (SELECT value FROM json_each(?)) RETURNING *`,
  orderByCertificate: 'SELECT * FROM acme_orders WHERE certificate_serial = ?',
  ordersReplacing: 'SELECT * FROM acme_orders WHERE replaces = ? ORDER BY created_at',
  openOrdersByAuthorization: `SELECT o.* FROM acme_orders o JOIN acme_order_authorizations oa ON oa.order_id = o.id
     WHERE oa.authorization_id = ? AND o.${OPEN_ORDERS}`,
  countOrders: `SELECT CASE WHEN ${OPEN_ORDERS} AND expires <= ? THEN 'invalid' ELSE status END AS state,
       COUNT(*) AS n FROM acme_orders GROUP BY state`,
  authorization: 'SELECT * FROM acme_authorizations WHERE id = ?',
  validAuthorization: `SELECT * FROM acme_authorizations WHERE account_id = ? AND identifier_type = ?
       AND identifier_value = ? AND wildcard = ? AND status = 'valid' AND expires > ?
     ORDER BY expires DESC LIMIT 1`,
  updateAuthorization: `UPDATE acme_authorizations SET status = ?, expires = COALESCE(?, expires)
     WHERE id = ? AND status IN (SELECT value FROM json_each(?)) RETURNING *`,
  challenges: 'SELECT * FROM acme_challenges WHERE authorization_id = ? ORDER BY position',
  challenge: 'SELECT * FROM acme_challenges WHERE id = ?',
  updateChallenge: `UPDATE acme_challenges SET status = ?, validated = COALESCE(?, validated),
       error = COALESCE(?, error)
     WHERE id = ? AND status IN (SELECT value FROM json_each(?)) RETURNING *`,
} as const;

type Statements = { readonly [K in keyof typeof SQL]: StatementSync };

class SqliteAcmeStore implements AcmeStore {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #s: Statements;

  constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.#path = path;
    this.#s = Object.fromEntries(
      Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as Statements;
  }

  #run<T>(operation: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (cause) {
      return Promise.reject(storeError(this.#path, operation, cause));
    }
  }

  #get<R>(statement: keyof Statements, ...binds: (string | number | null)[]): R | undefined {
    return this.#s[statement].get(...binds) as R | undefined;
  }

  #all<R>(statement: keyof Statements, ...binds: (string | number | null)[]): R[] {
    return this.#s[statement].all(...binds) as R[];
  }

  #toOrder(row: OrderRow): OrderRecord {
    const ids = this.#all<{ authorization_id: string }>('orderAuthorizations', row.id);
    return {
      id: row.id,
      accountId: row.account_id,
      status: row.status as OrderStatus,
      identifiers: JSON.parse(row.identifiers) as Identifier[],
      authorizationIds: ids.map((r) => r.authorization_id),
      expires: new Date(row.expires),
      createdAt: new Date(row.created_at),
      certificateSerial: row.certificate_serial,
      error: problem(row.error),
      replaces: row.replaces,
    };
  }

  #accountById(id: string): AccountRecord | undefined {
    const row = this.#get<AccountRow>('account', id);
    return row === undefined ? undefined : toAccount(row);
  }

  createAccount(account: AccountRecord): Promise<{ account: AccountRecord; created: boolean }> {
    return this.#run('create account', () =>
      transaction(this.#db, () => {
        const inserted = this.#s['insertAccount'].run(
          account.id,
          account.thumbprint,
          JSON.stringify(account.key),
          account.status,
          JSON.stringify(account.contact),
          account.termsOfServiceAgreed ? 1 : 0,
          account.externalAccountKeyId,
          account.createdAt.getTime(),
        );
        if (inserted.changes === 1) return { account, created: true };
        const holder = this.#get<AccountRow>('accountByThumbprint', account.thumbprint);
        if (holder === undefined) throw new RangeError('account neither inserted nor found');
        return { account: toAccount(holder), created: false };
      }),
    );
  }

  getAccount(id: string): Promise<AccountRecord | undefined> {
    return this.#run('read account', () => this.#accountById(id));
  }

  findAccountByThumbprint(thumbprint: string): Promise<AccountRecord | undefined> {
    return this.#run('read account', () => {
      const row = this.#get<AccountRow>('accountByThumbprint', thumbprint);
      return row === undefined ? undefined : toAccount(row);
    });
  }

  updateAccount(
    id: string,
    changes: { readonly status?: AccountStatus; readonly contact?: readonly string[] },
  ): Promise<AccountRecord | undefined> {
    return this.#run('update account', () => {
      const row = this.#get<AccountRow>(
        'updateAccount',
        changes.status ?? null,
        changes.contact === undefined ? null : JSON.stringify(changes.contact),
        id,
      );
      return row === undefined ? undefined : toAccount(row);
    });
  }

  changeAccountKey(id: string, key: AccountKey, thumbprint: string): Promise<KeyChangeResult> {
    return this.#run('change account key', () =>
      transaction(this.#db, (): KeyChangeResult => {
        const holder = this.#get<AccountRow>('accountByThumbprint', thumbprint);
        if (holder !== undefined && holder.id !== id)
          return { changed: false, holderId: holder.id };
        const row = this.#get<AccountRow>('changeKey', JSON.stringify(key), thumbprint, id);
        if (row === undefined) throw new RangeError(`no account ${id}`);
        return { changed: true, account: toAccount(row) };
      }),
    );
  }

  createOrder(order: OrderRecord, authorizations: readonly NewAuthorization[]): Promise<void> {
    const s = this.#s;
    return this.#run('create order', () =>
      transaction(this.#db, () => {
        for (const { authorization: a, challenges } of authorizations) {
          s['insertAuthorization'].run(
            a.id,
            a.accountId,
            a.identifier.type,
            a.identifier.value,
            a.wildcard ? 1 : 0,
            a.status,
            a.expires.getTime(),
            a.createdAt.getTime(),
          );
          challenges.forEach((c, position) => {
            s['insertChallenge'].run(
              c.id,
              c.authorizationId,
              position,
              c.type,
              c.token,
              c.status,
              c.validated?.getTime() ?? null,
              c.error === null ? null : JSON.stringify(c.error),
            );
          });
        }
        s['insertOrder'].run(
          order.id,
          order.accountId,
          order.status,
          JSON.stringify(order.identifiers),
          order.expires.getTime(),
          order.createdAt.getTime(),
          order.certificateSerial,
          order.error === null ? null : JSON.stringify(order.error),
          order.replaces,
        );
        order.authorizationIds.forEach((authorizationId, position) => {
          s['insertOrderAuthorization'].run(order.id, position, authorizationId);
        });
      }),
    );
  }

  getOrder(id: string): Promise<OrderRecord | undefined> {
    return this.#run('read order', () => {
      const row = this.#get<OrderRow>('order', id);
      return row === undefined ? undefined : this.#toOrder(row);
    });
  }

  listOrderIds(accountId: string, limit: number): Promise<string[]> {
    return this.#run('list orders', () =>
      this.#all<{ id: string }>('listOrderIds', accountId, limit).map((r) => r.id),
    );
  }

  countOpenOrders(accountId: string, now: Date): Promise<number> {
    return this.#run(
      'count orders',
      () => this.#get<{ n: number }>('countOpenOrders', accountId, now.getTime())?.n ?? 0,
    );
  }

  updateOrder(
    id: string,
    from: readonly OrderStatus[],
    changes: OrderChanges,
  ): Promise<OrderRecord | undefined> {
    return this.#run('update order', () => {
      const row = this.#get<OrderRow>(
        'updateOrder',
        changes.status,
        changes.certificateSerial ?? null,
        changes.error === undefined ? null : JSON.stringify(changes.error),
        id,
        JSON.stringify(from),
      );
      return row === undefined ? undefined : this.#toOrder(row);
    });
  }

  findOrderByCertificate(serial: string): Promise<OrderRecord | undefined> {
    return this.#run('read order', () => {
      const row = this.#get<OrderRow>('orderByCertificate', serial);
      return row === undefined ? undefined : this.#toOrder(row);
    });
  }

  findOrdersReplacing(certId: string): Promise<OrderRecord[]> {
    return this.#run('read orders', () =>
      this.#all<OrderRow>('ordersReplacing', certId).map((r) => this.#toOrder(r)),
    );
  }

  findOpenOrdersByAuthorization(authorizationId: string): Promise<OrderRecord[]> {
    return this.#run('read orders', () =>
      this.#all<OrderRow>('openOrdersByAuthorization', authorizationId).map((r) =>
        this.#toOrder(r),
      ),
    );
  }

  countOrders(now: Date): Promise<Record<OrderStatus, number>> {
    return this.#run('count orders', () => {
      const counts: Record<OrderStatus, number> = {
        pending: 0,
        ready: 0,
        processing: 0,
        valid: 0,
        invalid: 0,
      };
      for (const row of this.#all<{ state: OrderStatus; n: number }>(
        'countOrders',
        now.getTime(),
      )) {
        counts[row.state] = row.n;
      }
      return counts;
    });
  }

  getAuthorization(id: string): Promise<AuthorizationRecord | undefined> {
    return this.#run('read authorization', () => {
      const row = this.#get<AuthorizationRow>('authorization', id);
      return row === undefined ? undefined : toAuthorization(row);
    });
  }

  findValidAuthorization(
    accountId: string,
    identifier: Identifier,
    wildcard: boolean,
    validAt: Date,
  ): Promise<AuthorizationRecord | undefined> {
    return this.#run('read authorization', () => {
      const row = this.#get<AuthorizationRow>(
        'validAuthorization',
        accountId,
        identifier.type,
        identifier.value,
        wildcard ? 1 : 0,
        validAt.getTime(),
      );
      return row === undefined ? undefined : toAuthorization(row);
    });
  }

  updateAuthorization(
    id: string,
    from: readonly AuthorizationStatus[],
    changes: AuthorizationChanges,
  ): Promise<AuthorizationRecord | undefined> {
    return this.#run('update authorization', () => {
      const row = this.#get<AuthorizationRow>(
        'updateAuthorization',
        changes.status,
        changes.expires?.getTime() ?? null,
        id,
        JSON.stringify(from),
      );
      return row === undefined ? undefined : toAuthorization(row);
    });
  }

  listChallenges(authorizationId: string): Promise<ChallengeRecord[]> {
    return this.#run('read challenges', () =>
      this.#all<ChallengeRow>('challenges', authorizationId).map(toChallenge),
    );
  }

  getChallenge(id: string): Promise<ChallengeRecord | undefined> {
    return this.#run('read challenge', () => {
      const row = this.#get<ChallengeRow>('challenge', id);
      return row === undefined ? undefined : toChallenge(row);
    });
  }

  updateChallenge(
    id: string,
    from: readonly ChallengeStatus[],
    changes: ChallengeChanges,
  ): Promise<ChallengeRecord | undefined> {
    return this.#run('update challenge', () => {
      const row = this.#get<ChallengeRow>(
        'updateChallenge',
        changes.status,
        changes.validated?.getTime() ?? null,
        changes.error === undefined ? null : JSON.stringify(changes.error),
        id,
        JSON.stringify(from),
      );
      return row === undefined ? undefined : toChallenge(row);
    });
  }

  close(): Promise<void> {
    return this.#run('close', () => {
      if (this.#db.isOpen) this.#db.close();
    });
  }
}

/** An AcmeStore the caller closes when the service stops. */
export type SqliteAcmeStoreHandle = AcmeStore & { close(): Promise<void> };

/**
 * Opens (creating and migrating) the ACME store at `path`: normally the CA directory's
 * ca.db, which the CA's store opens too (each keeps its own connection; WAL lets them share).
 */
export function openAcmeStore(path: string): SqliteAcmeStoreHandle {
  const db = openDatabase(path);
  try {
    migrate(db, 'acme', MIGRATIONS, path);
  } catch (cause) {
    db.close();
    throw storeError(path, 'migrate', cause);
  }
  return new SqliteAcmeStore(db, path);
}
