import type { SuiteReport } from '../report.ts';

/** Block ciphers that TLS runs in CBC mode (everything not AEAD, stream or null). */
const CBC_CIPHERS = new Set(['AES', 'Camellia', 'ARIA', '3DES', 'DES', 'SEED', 'IDEA', 'RC2']);

export const isCbc = (s: SuiteReport): boolean => !s.aead && CBC_CIPHERS.has(s.enc);
export const isNull = (s: SuiteReport): boolean => s.enc === 'None';
export const isAnonymous = (s: SuiteReport): boolean => s.auth === 'anon' || s.auth === 'None';
export const isRc4 = (s: SuiteReport): boolean => s.enc === 'RC4';
/** Single DES, including the 40-bit export variants. */
export const isDes = (s: SuiteReport): boolean => s.enc === 'DES';
/** 64-bit block ciphers reachable by SWEET32. */
export const is64BitBlock = (s: SuiteReport): boolean =>
  s.enc === '3DES' || s.enc === 'IDEA' || s.enc === 'RC2';
export const isExportRsa = (s: SuiteReport): boolean => s.export && s.kx === 'RSA';
export const isExportDh = (s: SuiteReport): boolean => s.export && s.kx === 'DHE';
