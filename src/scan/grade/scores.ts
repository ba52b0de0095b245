/**
 * The numeric half of the grade, after the SSL Labs SSL Server Rating Guide: a score per
 * category, weighted 30 % protocol, 30 % key exchange, 40 % cipher strength.
 */
import type { ProtocolName } from '../../wire/registry/versions.ts';

/** Protocol support: the score is the mean of the best and worst version's score. */
export const PROTOCOL_SCORE: Record<ProtocolName, number> = {
  SSLv2: 0,
  SSLv3: 80,
  'TLSv1.0': 90,
  'TLSv1.1': 95,
  'TLSv1.2': 100,
  'TLSv1.3': 100,
};

/** Key exchange, by RSA-equivalent bits of the weakest exchange the server accepts. */
export function keyExchangeScore(rsaEquivalentBits: number): number {
  if (rsaEquivalentBits <= 0) return 0;
  if (rsaEquivalentBits < 512) return 20;
  if (rsaEquivalentBits < 1024) return 40;
  if (rsaEquivalentBits < 2048) return 80;
  if (rsaEquivalentBits < 4096) return 90;
  return 100;
}

/** Cipher strength, by symmetric key bits: the mean of the strongest and weakest suite. */
export function cipherScore(bits: number): number {
  if (bits <= 0) return 0;
  if (bits < 128) return 20;
  if (bits < 256) return 80;
  return 100;
}

/**
 * RSA-equivalent size of a key or group with `securityBits` of classical security (NIST SP
 * 800-57 part 1, table 2): 80 → 1024, 112 → 2048, 128 → 3072, 192 → 7680, 256 → 15360.
 */
export function rsaEquivalent(securityBits: number): number {
  const table: readonly (readonly [number, number])[] = [
    [256, 15360],
    [192, 7680],
    [128, 3072],
    [112, 2048],
    [96, 1536],
    [80, 1024],
  ];
  for (const [security, rsa] of table) if (securityBits >= security) return rsa;
  return Math.max(0, securityBits * 8);
}

/** Classical security bits of an elliptic-curve key of `fieldBits` (half the order size). */
export function ecSecurityBits(fieldBits: number): number {
  return Math.floor(fieldBits / 2);
}

export const WEIGHTS = { protocol: 0.3, keyExchange: 0.3, cipher: 0.4 } as const;

/** The letter for a numeric score before any cap (guide table 1). */
export function letterForScore(score: number): 'A' | 'B' | 'C' | 'D' | 'E' | 'F' {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  if (score >= 20) return 'E';
  return 'F';
}
