// A CaStore in memory, for the CA's own tests (src/ca may not import src/store). The same
// conformance tests (store-conformance.ts) run against it and against SQLite, so the two
// cannot drift apart.
import { WiretightError } from '../../errors.ts';
import type {
  CaStore,
  CertificateCounts,
  CertificateQuery,
  RevokeOutcome,
  RevokedEntry,
  StoredCrl,
} from '../store.ts';
import type { CertificateRecord, RevocationReason } from '../types.ts';

const byExpiry = (a: CertificateRecord, b: CertificateRecord): number =>
  a.notAfter.getTime() - b.notAfter.getTime() ||
  (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0);

function statusAt(r: CertificateRecord, now: Date): 'valid' | 'expired' | 'revoked' {
  if (r.status === 'revoked') return 'revoked';
  return r.notAfter > now ? 'valid' : 'expired';
}

export function memoryCaStore(): CaStore {
  const records = new Map<string, CertificateRecord>();
  const crls: StoredCrl[] = [];
  let crlNumber = 0n;
  let closed = false;
  const open = (): void => {
    if (closed) throw new WiretightError('WT_ERR_STORE_FAILED', 'memory store: closed');
  };
  return {
    async insert(record) {
      open();
      if (records.has(record.serial)) {
        throw new WiretightError(
          'WT_ERR_STORE_FAILED',
          `memory store: serial ${record.serial} exists`,
        );
      }
      records.set(record.serial, record);
    },
    async get(serial) {
      open();
      return records.get(serial);
    },
    async list(query: CertificateQuery) {
      open();
      const { now } = query;
      const horizon = now.getTime() + (query.expiringWithinSeconds ?? 0) * 1000;
      return [...records.values()]
        .filter((r) => query.status === undefined || statusAt(r, now) === query.status)
        .filter(
          (r) =>
            query.expiringWithinSeconds === undefined ||
            (statusAt(r, now) === 'valid' && r.notAfter.getTime() <= horizon),
        )
        .sort(byExpiry)
        .slice(0, query.limit ?? Infinity);
    },
    async count(now): Promise<CertificateCounts> {
      open();
      const counts = { valid: 0, expired: 0, revoked: 0 };
      for (const r of records.values()) counts[statusAt(r, now)]++;
      return counts;
    },
    async countRevoked() {
      open();
      return [...records.values()].filter((r) => r.status === 'revoked').length;
    },
    async revoke(serial, revokedAt: Date, reason: RevocationReason): Promise<RevokeOutcome> {
      open();
      const record = records.get(serial);
      if (record === undefined) return { outcome: 'not-found' };
      if (record.status === 'revoked') return { outcome: 'already-revoked', record };
      const revoked: CertificateRecord = {
        ...record,
        status: 'revoked',
        revokedAt,
        revocationReason: reason,
      };
      records.set(serial, revoked);
      return { outcome: 'revoked', record: revoked };
    },
    async listRevoked(notAfterAfter): Promise<RevokedEntry[]> {
      open();
      return [...records.values()]
        .filter((r) => r.status === 'revoked' && r.notAfter > notAfterAfter)
        .sort((a, b) => (a.serial < b.serial ? -1 : 1))
        .map((r) => ({
          serial: r.serial,
          revokedAt: r.revokedAt as Date,
          reason: r.revocationReason ?? 'unspecified',
        }));
    },
    async nextCrlNumber() {
      open();
      crlNumber += 1n;
      return crlNumber;
    },
    async saveCrl(crl) {
      open();
      crls.push(crl);
    },
    async latestCrl() {
      open();
      return [...crls].sort((a, b) => (a.number < b.number ? 1 : -1))[0];
    },
    async close() {
      closed = true;
    },
  };
}
