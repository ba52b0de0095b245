// The CA's storage, owned here and implemented in src/store (SQLite now, PostgreSQL later).
// Every method is async so a networked backend fits; every failure is WT_ERR_STORE_FAILED.
import type { CertificateRecord, CertificateStatus, RevocationReason } from './types.ts';

/** `valid` and `expired` split the unrevoked certificates at `now`. */
export type ListStatus = CertificateStatus | 'expired';

export interface CertificateQuery {
  /** Split at `now`: valid = unrevoked and not expired, expired = unrevoked and expired. */
  readonly status?: ListStatus;
  /** Unrevoked certificates whose notAfter is after `now` and at most this far beyond it. */
  readonly expiringWithinSeconds?: number;
  /** Most rows returned (ordered by notAfter, then serial). */
  readonly limit?: number;
  readonly now: Date;
}

export interface CertificateCounts {
  readonly valid: number;
  readonly expired: number;
  readonly revoked: number;
}

/** What a CRL lists about one revoked certificate. */
export interface RevokedEntry {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
}

export type RevokeOutcome =
  | { readonly outcome: 'revoked'; readonly record: CertificateRecord }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'already-revoked'; readonly record: CertificateRecord };

/** A signed CRL as the store keeps it, so every process serving the CA shares one. */
export interface StoredCrl {
  readonly number: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly der: Uint8Array;
  /** How many certificates were revoked in the store when it was signed. */
  readonly revokedCount: number;
}

export interface CaStore {
  /** Adds a newly issued certificate; a serial that exists already is WT_ERR_STORE_FAILED. */
  insert(record: CertificateRecord): Promise<void>;
  get(serial: string): Promise<CertificateRecord | undefined>;
  list(query: CertificateQuery): Promise<CertificateRecord[]>;
  count(now: Date): Promise<CertificateCounts>;
  /** How many certificates were ever revoked: only grows, so it tells when a CRL is stale. */
  countRevoked(): Promise<number>;
  /** Marks a valid certificate revoked, atomically: a revoked one stays as it was. */
  revoke(serial: string, revokedAt: Date, reason: RevocationReason): Promise<RevokeOutcome>;
  /** Revoked certificates whose notAfter is after `notAfterAfter` (older ones leave the CRL). */
  listRevoked(notAfterAfter: Date): Promise<RevokedEntry[]>;
  /** The next CRL number: strictly greater than every number returned before. */
  nextCrlNumber(): Promise<bigint>;
  saveCrl(crl: StoredCrl): Promise<void>;
  /** The CRL with the highest number, if any was saved. */
  latestCrl(): Promise<StoredCrl | undefined>;
  close(): Promise<void>;
}
