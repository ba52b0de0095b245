/**
 * The JWS algorithms an account key may sign with, and the key each one needs. One table:
 * the directory's error documents, the header check and the key check all read it.
 */

/** Account-key signature algorithms (RFC 8555 §6.2: "none" and MACs are never accepted). */
export const ACCOUNT_ALGORITHMS = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  RS256: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
} as const satisfies Record<string, { kty: string; crv?: string }>;

export type AccountAlgorithm = keyof typeof ACCOUNT_ALGORITHMS;

export const ACCOUNT_ALGORITHM_NAMES = Object.keys(ACCOUNT_ALGORITHMS) as AccountAlgorithm[];

export const isAccountAlgorithm = (alg: string): alg is AccountAlgorithm =>
  Object.hasOwn(ACCOUNT_ALGORITHMS, alg);

/** MACs an external account binding may use (RFC 8555 §7.3.4). */
export const EAB_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type EabAlgorithm = (typeof EAB_ALGORITHMS)[number];

export const isEabAlgorithm = (alg: string): alg is EabAlgorithm =>
  (EAB_ALGORITHMS as readonly string[]).includes(alg);
