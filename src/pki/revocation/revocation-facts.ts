/** What one revocation source said about the leaf. Facts, never exceptions. */
export interface RevocationFacts {
  /** `ocsp`: asked the responder; `ocsp-stapled`: the server's stapled answer; `crl`: the CRL. */
  readonly source: 'ocsp' | 'ocsp-stapled' | 'crl';
  /**
   * `good` / `revoked` / `unknown`: a verified, current answer said so. `unavailable`: no
   * usable answer (fetch failed, malformed, bad signature, stale, issuer unknown); see `error`.
   */
  readonly status: 'good' | 'revoked' | 'unknown' | 'unavailable';
  /** The OCSP responder or CRL URL asked (absent for a stapled response). */
  readonly url?: string;
  /** RFC 5280 CRLReason name (`keyCompromise`…), when revoked with a reason. */
  readonly reason?: string;
  /** When the certificate was revoked (ISO 8601). */
  readonly revokedAt?: string;
  /** The answer's validity window (ISO 8601), when there was a verified answer. */
  readonly thisUpdate?: string;
  readonly nextUpdate?: string;
  /** Who signed an OCSP answer: the issuing CA itself, or a responder it delegated to. */
  readonly signer?: 'issuer' | 'delegated';
  /** Why the status is `unavailable`. */
  readonly error?: string;
}

/** RFC 5280 §5.3.1 CRLReason codes (7 is unused). */
const CRL_REASONS: readonly (string | undefined)[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

export function crlReasonName(code: number): string {
  return CRL_REASONS[code] ?? `reason-${code}`;
}

/** Clock difference tolerated between us and a responder or CRL signer. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why an answer dated thisUpdate..nextUpdate cannot be used at `now`, if it cannot: one
 * from the future, or one past its nextUpdate (a replayed or stale answer).
 */
export function freshnessProblem(
  thisUpdate: Date,
  nextUpdate: Date | undefined,
  now: Date,
): string | undefined {
  if (thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return `the answer is dated in the future (thisUpdate ${thisUpdate.toISOString()})`;
  }
  if (nextUpdate !== undefined && nextUpdate.getTime() < now.getTime() - CLOCK_SKEW_MS) {
    return `the answer is stale (nextUpdate ${nextUpdate.toISOString()})`;
  }
  return undefined;
}

export function unavailable(
  source: RevocationFacts['source'],
  error: string,
  url?: string,
): RevocationFacts {
  return { source, status: 'unavailable', ...(url === undefined ? {} : { url }), error };
}
