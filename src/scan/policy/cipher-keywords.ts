// The keywords of OpenSSL's cipher-string language that policies may use, as predicates over
// the registry. OpenSSL's meaning is kept (checked against `openssl ciphers` by a test);
// where OpenSSL no longer knows a suite (export, DES, KRB5…), the keyword follows the
// OpenSSL release that still did. OpenSSL never applies these keywords to TLS 1.3 suites,
// and neither do we: TLS 1.3 suites are selected by name or by `TLSv1.3`.
import type { CipherSuite } from '../../wire/registry/cipher-suites.ts';

type Predicate = (suite: CipherSuite) => boolean;

/** OpenSSL's strength classes: HIGH, MEDIUM and LOW as in 1.1.x, EXPORT as in 1.0.2. */
export type Strength = 'HIGH' | 'MEDIUM' | 'LOW' | 'EXPORT' | 'NONE';

const HIGH_CIPHERS = new Set([
  'AES',
  'AESGCM',
  'AESCCM',
  'AESCCM8',
  'Camellia',
  'CamelliaGCM',
  'ARIA',
  'ARIAGCM',
  'ChaCha20',
  'GOST',
]);

export function strength(suite: CipherSuite): Strength {
  if (suite.enc === 'None') return 'NONE';
  if (suite.export) return 'EXPORT';
  if (HIGH_CIPHERS.has(suite.enc)) return 'HIGH';
  if (suite.encBits < 128) return 'LOW';
  return 'MEDIUM';
}

const kx =
  (...values: string[]): Predicate =>
  (s) =>
    values.includes(s.kx);
const auth =
  (...values: string[]): Predicate =>
  (s) =>
    values.includes(s.auth);
const enc =
  (...values: string[]): Predicate =>
  (s) =>
    values.includes(s.enc);
const mac =
  (...values: string[]): Predicate =>
  (s) =>
    values.includes(s.mac);
const both =
  (a: Predicate, b: Predicate): Predicate =>
  (s) =>
    a(s) && b(s);
const not =
  (a: Predicate): Predicate =>
  (s) =>
    !a(s);
/**
 * The first version a suite works in, as OpenSSL states it: the elliptic-curve suites of
 * RFC 4492 need TLS extensions, so OpenSSL files them under TLS 1.0 where the registry
 * keeps the SSLv3 of their cipher's family.
 */
function firstVersion(s: CipherSuite): CipherSuite['minProtocol'] {
  return s.minProtocol === 'SSLv3' && s.kx.startsWith('ECDH') ? 'TLSv1.0' : s.minProtocol;
}

/** Like OpenSSL, a version keyword selects suites whose first version is exactly it. */
const minProtocol =
  (version: CipherSuite['minProtocol']): Predicate =>
  (s) =>
    firstVersion(s) === version;
const strong =
  (level: Strength): Predicate =>
  (s) =>
    strength(s) === level;
const bits =
  (family: Predicate, n: number): Predicate =>
  (s) =>
    family(s) && s.encBits === n;

const anonymous = auth('anon');
const eNULL = enc('None');
const aes = enc('AES', 'AESGCM', 'AESCCM', 'AESCCM8');
const camellia = enc('Camellia', 'CamelliaGCM');
const aria = enc('ARIA', 'ARIAGCM');
const psk = kx('PSK', 'RSA-PSK', 'DHE-PSK', 'ECDHE-PSK');

/**
 * Keyword → the suites it selects among TLS ≤ 1.2 and SSLv2 suites. Case-sensitive, as in
 * OpenSSL. docs/policy.md lists the same keywords (a test checks it).
 */
const KEYWORD_TABLE: Readonly<Record<string, Predicate>> = {
  ALL: not(eNULL),
  COMPLEMENTOFALL: eNULL,
  HIGH: strong('HIGH'),
  MEDIUM: strong('MEDIUM'),
  LOW: strong('LOW'),
  EXPORT: strong('EXPORT'),
  EXP: strong('EXPORT'),
  eNULL,
  NULL: eNULL,
  aNULL: anonymous,
  kRSA: kx('RSA'),
  RSA: kx('RSA'),
  aRSA: auth('RSA'),
  kDHE: kx('DHE'),
  kEDH: kx('DHE'),
  DH: kx('DHE'),
  DHE: both(kx('DHE'), not(anonymous)),
  EDH: both(kx('DHE'), not(anonymous)),
  ADH: both(kx('DHE'), anonymous),
  kECDHE: kx('ECDHE'),
  kEECDH: kx('ECDHE'),
  ECDH: kx('ECDHE'),
  ECDHE: both(kx('ECDHE'), not(anonymous)),
  EECDH: both(kx('ECDHE'), not(anonymous)),
  AECDH: both(kx('ECDHE'), anonymous),
  aECDSA: auth('ECDSA'),
  ECDSA: auth('ECDSA'),
  aDSS: auth('DSS'),
  DSS: auth('DSS'),
  kPSK: kx('PSK'),
  kRSAPSK: kx('RSA-PSK'),
  kDHEPSK: kx('DHE-PSK'),
  kECDHEPSK: kx('ECDHE-PSK'),
  PSK: psk,
  aPSK: auth('PSK'),
  kSRP: kx('SRP'),
  SRP: kx('SRP'),
  aSRP: auth('SRP'),
  KRB5: kx('KRB5'),
  kGOST: kx('GOST'),
  aGOST: auth('GOST01', 'GOST94'),
  AES: aes,
  AES128: bits(aes, 128),
  AES256: bits(aes, 256),
  AESGCM: enc('AESGCM'),
  AESCCM: enc('AESCCM', 'AESCCM8'),
  AESCCM8: enc('AESCCM8'),
  CAMELLIA: camellia,
  CAMELLIA128: bits(camellia, 128),
  CAMELLIA256: bits(camellia, 256),
  ARIA: aria,
  ARIA128: bits(aria, 128),
  ARIA256: bits(aria, 256),
  ARIAGCM: enc('ARIAGCM'),
  CHACHA20: enc('ChaCha20'),
  '3DES': enc('3DES'),
  DES: enc('DES'),
  RC4: enc('RC4'),
  RC2: enc('RC2'),
  IDEA: enc('IDEA'),
  SEED: enc('SEED'),
  MD5: mac('MD5'),
  SHA1: mac('SHA1'),
  SHA: mac('SHA1'),
  SHA256: mac('SHA256'),
  SHA384: mac('SHA384'),
  SSLv2: minProtocol('SSLv2'),
  SSLv3: minProtocol('SSLv3'),
  TLSv1: minProtocol('TLSv1.0'),
  'TLSv1.0': minProtocol('TLSv1.0'),
  'TLSv1.2': minProtocol('TLSv1.2'),
};

/** The keyword that selects TLS 1.3 suites, which no OpenSSL keyword does. */
export const TLS13_KEYWORD = 'TLSv1.3';

const isTls13 = minProtocol('TLSv1.3');

/** Every keyword policies may use, in the order docs/policy.md lists them. */
export const CIPHER_KEYWORDS: readonly string[] = [...Object.keys(KEYWORD_TABLE), TLS13_KEYWORD];

/** The predicate of a keyword, or undefined when `word` is not one. */
export function keyword(word: string): Predicate | undefined {
  if (word === TLS13_KEYWORD) return isTls13;
  if (!Object.hasOwn(KEYWORD_TABLE, word)) return undefined;
  const predicate = KEYWORD_TABLE[word] as Predicate;
  return (s) => !isTls13(s) && predicate(s);
}
