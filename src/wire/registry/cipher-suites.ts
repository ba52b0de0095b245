import { CIPHER_SUITE_ROWS } from './cipher-suites.generated.ts';
import { protocolRank, type ProtocolName } from './versions.ts';

export interface CipherSuite {
  /** Two bytes for TLS, three for SSLv2 (`0x0700c0`). */
  readonly id: number;
  /** IANA name (the OpenSSL name where IANA has none). */
  readonly name: string;
  readonly opensslName: string | null;
  /** First protocol version the suite may be negotiated in. */
  readonly minProtocol: ProtocolName;
  /** RSA, DHE, ECDHE, DH, ECDH, PSK, DHE-PSK, ECDHE-PSK, RSA-PSK, SRP, KRB5, GOST, CECPQ1, NULL, or `any` (TLS 1.3). */
  readonly kx: string;
  /** RSA, DSS, ECDSA, PSK, anon, any, … */
  readonly auth: string;
  readonly enc: string;
  readonly encBits: number;
  readonly mac: string;
  readonly aead: boolean;
  readonly forwardSecrecy: boolean;
  readonly export: boolean;
  /** For export suites: the key-exchange size limit (512 or 1024 bits). */
  readonly exportKeyBits: number | null;
}

export const CIPHER_SUITES: readonly CipherSuite[] = CIPHER_SUITE_ROWS.map((r) => ({
  id: r[0],
  name: r[1],
  opensslName: r[2],
  minProtocol: r[3],
  kx: r[4],
  auth: r[5],
  enc: r[6],
  encBits: r[7],
  mac: r[8],
  aead: r[9],
  forwardSecrecy: r[10],
  export: r[11],
  exportKeyBits: r[12],
}));

/** Signalling suite values (RFC 5746, RFC 7507): never negotiated, only offered. */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
export const TLS_FALLBACK_SCSV = 0x5600;

/**
 * TLS suites (2-byte ids) and SSLv2 cipher specs (3-byte ids) are separate name spaces:
 * `0x0000` TLS_NULL_WITH_NULL_NULL and `0x000000` SSL_CK_NULL_WITH_MD5 share the number 0.
 */
export type SuiteFamily = 'tls' | 'sslv2';

const byId: Record<SuiteFamily, Map<number, CipherSuite>> = {
  tls: new Map(CIPHER_SUITES.filter((s) => s.minProtocol !== 'SSLv2').map((s) => [s.id, s])),
  sslv2: new Map(CIPHER_SUITES.filter((s) => s.minProtocol === 'SSLv2').map((s) => [s.id, s])),
};

export function cipherSuite(id: number, family: SuiteFamily = 'tls'): CipherSuite | undefined {
  return byId[family].get(id);
}

/** Looks a suite up by the report's hex id: four digits for TLS, six for SSLv2. */
export function cipherSuiteByHex(hex: string): CipherSuite | undefined {
  const m = /^0x([0-9a-f]{4}|[0-9a-f]{6})$/i.exec(hex);
  if (m === null) return undefined;
  const digits = m[1] as string;
  return cipherSuite(Number.parseInt(digits, 16), digits.length === 6 ? 'sslv2' : 'tls');
}

/** Lower-case hex as the report contract writes it: `0xc02f`, SSLv2 `0x0700c0`. */
export function suiteIdHex(id: number, family: SuiteFamily = 'tls'): string {
  return `0x${id.toString(16).padStart(family === 'sslv2' || id > 0xffff ? 6 : 4, '0')}`;
}

export function isSslv2Suite(suite: CipherSuite): boolean {
  return suite.minProtocol === 'SSLv2';
}

/**
 * The registered suites a client may offer in a hello of `version`: SSLv2 specs only in
 * SSLv2, TLS 1.3 suites only in TLS 1.3, and no suite newer than the version.
 */
export function suitesForProtocol(version: ProtocolName): CipherSuite[] {
  if (version === 'SSLv2') return CIPHER_SUITES.filter(isSslv2Suite);
  if (version === 'TLSv1.3') return CIPHER_SUITES.filter((s) => s.minProtocol === 'TLSv1.3');
  const rank = protocolRank(version);
  return CIPHER_SUITES.filter(
    (s) =>
      s.minProtocol !== 'SSLv2' &&
      s.minProtocol !== 'TLSv1.3' &&
      protocolRank(s.minProtocol) <= rank,
  );
}
