import type { HelloOptions } from '../wire/client-hello.ts';
import { type CipherSuite, suitesForProtocol } from '../wire/registry/cipher-suites.ts';
import { TLS12_EC_GROUPS, TLS13_GROUPS } from '../wire/registry/groups.ts';
import { ALL_SIGNATURE_SCHEMES } from '../wire/registry/signature-schemes.ts';
import { type TlsProtocolName, protocolWire } from '../wire/registry/versions.ts';

/**
 * Strongest first. Offers go out in this order, so a server that follows the client's
 * order picks as a modern client would make it pick, and the report lists suites the
 * way a reader ranks them.
 */
export function suiteRank(s: CipherSuite): number {
  if (s.minProtocol === 'TLSv1.3') return 0;
  if (s.enc === 'None' || s.auth === 'anon' || s.kx === 'NULL') return 9;
  if (s.export) return 8;
  if (s.enc === 'RC4' || s.enc === 'DES' || s.enc === 'RC2') return 7;
  if (s.enc === '3DES' || s.enc === 'IDEA') return 6;
  // Among the rest: AEAD before CBC, forward secrecy before none, ECDHE before DHE.
  const aead = s.aead ? 0 : 3;
  const kx = s.kx === 'ECDHE' ? 0 : s.forwardSecrecy ? 1 : 2;
  return 1 + (aead + kx) / 6;
}

function byStrength(a: CipherSuite, b: CipherSuite): number {
  return suiteRank(a) - suiteRank(b) || b.encBits - a.encBits || a.id - b.id;
}

const offered = new Map<TlsProtocolName, readonly number[]>();

/**
 * The suites offered when probing `version`, strongest first. Sorted once per version:
 * a scan asks for the same lists a dozen times, most of them before its code is warm.
 */
export function offeredSuites(version: TlsProtocolName): readonly number[] {
  let suites = offered.get(version);
  if (suites === undefined) {
    suites = Object.freeze(
      suitesForProtocol(version)
        .sort(byStrength)
        .map((s) => s.id),
    );
    offered.set(version, suites);
  }
  return suites;
}

/** ClientHello options for a TLS 1.0–1.2 (or SSLv3) probe offering `suites`. */
export function legacyHello(
  version: TlsProtocolName,
  suites: readonly number[],
  sni: string | undefined,
): HelloOptions {
  if (version === 'SSLv3') {
    // SSLv3-era servers may choke on an extensions block; real SSLv3 clients sent none.
    return { version: 0x0300, cipherSuites: suites, noExtensions: true };
  }
  return {
    version: protocolWire(version),
    cipherSuites: suites,
    serverName: sni,
    supportedGroups: TLS12_EC_GROUPS,
    ecPointFormats: [0, 1, 2],
    // RFC 5246 §7.4.1.4.1: only TLS 1.2 clients send it; older servers may reject it.
    ...(version === 'TLSv1.2' ? { signatureAlgorithms: ALL_SIGNATURE_SCHEMES } : {}),
    renegotiationInfo: true,
    sessionTicket: true,
    statusRequest: true,
    signedCertificateTimestamp: true,
    extendedMasterSecret: true,
    encryptThenMac: true,
    padTo: 512,
  };
}

/**
 * ClientHello options for a TLS 1.3 probe. With no key share, a TLS 1.3 server answers
 * with a HelloRetryRequest that already names its suite and group, without signing
 * anything: the cheapest possible answer for both sides.
 */
export function tls13Hello(
  suites: readonly number[],
  groups: readonly number[],
  sni: string | undefined,
  keyShares: HelloOptions['keyShares'] = [],
): HelloOptions {
  return {
    version: 0x0303,
    cipherSuites: suites,
    serverName: sni,
    supportedVersions: [0x0304],
    supportedGroups: groups,
    keyShares,
    signatureAlgorithms: ALL_SIGNATURE_SCHEMES,
    ecPointFormats: [0],
    renegotiationInfo: false,
    statusRequest: true,
    signedCertificateTimestamp: true,
    padTo: 512,
  };
}

export { TLS12_EC_GROUPS, TLS13_GROUPS };
