// The independent check the integration tests hold the scanner to: the system OpenSSL's
// `s_client`, one full handshake per (version, suite), reporting what the server accepted.
// It shares no code with src/, so agreeing with it means something. Its limit is the
// local OpenSSL: Debian 12's 3.0 has no SSLv2/SSLv3 and no 3DES, RC4, SEED or IDEA suites.
import { exec } from './exec.ts';
import { requireProgram } from './tools.ts';

export type OracleVersion = 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const ORACLE_VERSIONS: readonly OracleVersion[] = [
  'TLSv1.0',
  'TLSv1.1',
  'TLSv1.2',
  'TLSv1.3',
];

const VERSION_FLAG: Record<OracleVersion, string> = {
  'TLSv1.0': '-tls1',
  'TLSv1.1': '-tls1_1',
  'TLSv1.2': '-tls1_2',
  'TLSv1.3': '-tls1_3',
};

/** Every TLS 1.3 suite OpenSSL 3.0 implements; only the first three are on by default. */
export const TLS13_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
] as const;

// SECLEVEL=0 everywhere: at Debian's default level 2 the client itself refuses TLS 1.0/1.1
// (SHA-1 signatures), DHE-1024, RSA-1024 certificates and NULL suites, which are exactly
// what the tests want to see a server accept.
const EVERYTHING = 'ALL:COMPLEMENTOFALL:@SECLEVEL=0';

export interface Endpoint {
  host: string;
  port: number;
}

export interface Handshake {
  /** 'TLSv1.0' … 'TLSv1.3' */
  version: OracleVersion;
  /** OpenSSL name of the negotiated suite. */
  suite: string;
}

/**
 * One `openssl s_client -brief` handshake with stdin at EOF; undefined when the server
 * refused (alert, close, timeout). The -brief summary goes to stderr. In TLS 1.3 the
 * client sees the handshake complete before a server's late refusal (a missing client
 * certificate), so that case reads as accepted here.
 */
export async function handshake(
  server: Endpoint,
  version: OracleVersion,
  offer: { cipher?: string; ciphersuites?: string; extra?: readonly string[] } = {},
): Promise<Handshake | undefined> {
  const args = ['s_client', '-connect', `${server.host}:${server.port}`, '-brief'];
  args.push(VERSION_FLAG[version], '-cipher', offer.cipher ?? EVERYTHING);
  if (version === 'TLSv1.3')
    args.push('-ciphersuites', offer.ciphersuites ?? TLS13_SUITES.join(':'));
  args.push(...(offer.extra ?? []));
  const r = await exec(requireProgram('openssl'), args, { timeoutMs: 5000, input: '' });
  const out = r.stderr + r.stdout;
  if (!out.includes('CONNECTION ESTABLISHED')) return undefined;
  const proto = /^Protocol version: (\S+)$/m.exec(out)?.[1];
  const suite = /^Ciphersuite: (\S+)$/m.exec(out)?.[1];
  if (proto === undefined || suite === undefined) return undefined;
  return { version: proto === 'TLSv1' ? 'TLSv1.0' : (proto as OracleVersion), suite };
}

/** Run fn over items, at most `limit` at a time, keeping the order of items. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The suites (OpenSSL names) of `suites` that the server accepts at `version`: one
 * handshake offering only that suite each, four at a time.
 */
export async function acceptedByOpenSsl(
  server: Endpoint,
  version: OracleVersion,
  suites: readonly string[],
): Promise<string[]> {
  const outcomes = await mapLimit(suites, 4, async (suite) => {
    const offer =
      version === 'TLSv1.3'
        ? { ciphersuites: suite } // and -cipher EVERYTHING, for its @SECLEVEL=0
        : { cipher: `${suite}:@SECLEVEL=0` };
    const h = await handshake(server, version, offer);
    return h !== undefined && h.suite === suite;
  });
  return suites.filter((_, i) => outcomes[i] === true);
}

/** The versions the server completes a handshake at, offering every suite at each. */
export async function supportedVersionsByOpenSsl(server: Endpoint): Promise<OracleVersion[]> {
  const outcomes = await mapLimit(ORACLE_VERSIONS, 4, (v) => handshake(server, v));
  return ORACLE_VERSIONS.filter((v, i) => outcomes[i]?.version === v);
}

export interface OpenSslSuite {
  /** OpenSSL name, e.g. 'ECDHE-RSA-AES128-GCM-SHA256'. */
  name: string;
  /** IANA id as lower-case hex, as in the DESIGN contract: '0xc02f'. */
  id: string;
}

const suiteCache = new Map<OracleVersion, Promise<OpenSslSuite[]>>();

/**
 * The suites the local OpenSSL client can offer at `version` (`openssl ciphers -s -V`
 * with everything enabled). PSK and SRP suites are left out: they need a PSK or password.
 */
export function allOpenSslSuites(version: OracleVersion): Promise<OpenSslSuite[]> {
  let suites = suiteCache.get(version);
  if (suites === undefined) {
    suites = listSuites(version);
    suiteCache.set(version, suites);
  }
  return suites;
}

export async function allOpenSslSuiteNames(version: OracleVersion): Promise<string[]> {
  return (await allOpenSslSuites(version)).map((s) => s.name);
}

async function listSuites(version: OracleVersion): Promise<OpenSslSuite[]> {
  const args = ['ciphers', '-s', '-V', VERSION_FLAG[version]];
  args.push('-ciphersuites', TLS13_SUITES.join(':'), EVERYTHING);
  const r = await exec(requireProgram('openssl'), args, { timeoutMs: 5000 });
  if (r.code !== 0) throw new Error(`openssl ciphers failed: ${r.stderr.trim()}`);
  const suites: OpenSslSuite[] = [];
  // "          0xC0,0x2F - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=ECDH ..."
  for (const m of r.stdout.matchAll(/^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/gm)) {
    const [, hi = '', lo = '', name = ''] = m;
    const tls13 = name.startsWith('TLS_');
    if (tls13 !== (version === 'TLSv1.3')) continue;
    suites.push({ name, id: `0x${hi}${lo}`.toLowerCase() });
  }
  return suites;
}

export interface GnutlsHandshake {
  version: OracleVersion;
  /** GnuTLS's summary, e.g. '(TLS1.0-X.509)-(RSA)-(ARCFOUR-128)-(SHA1)'. */
  description: string;
}

/**
 * The second oracle, for what Debian's OpenSSL 3.0 cannot offer (RC4, 3DES, which GnuTLS
 * 3.7 still can): one `gnutls-cli` handshake with a GnuTLS priority string, e.g.
 * 'NONE:+VERS-TLS1.0:+ARCFOUR-128:+SHA1:+RSA:+SIGN-ALL:+COMP-NULL:+GROUP-ALL'.
 * Undefined when the server refused.
 */
export async function handshakeByGnutls(
  server: Endpoint,
  priority: string,
): Promise<GnutlsHandshake | undefined> {
  const args = ['--insecure', '--priority', priority, '-p', String(server.port), server.host];
  const r = await exec(requireProgram('gnutls-cli'), args, { timeoutMs: 5000, input: '' });
  if (!r.stdout.includes('- Handshake was completed')) return undefined;
  const description = /^- Description: (\S+)$/m.exec(r.stdout)?.[1];
  const version = /^\(TLS(1\.[0-3])-/.exec(description ?? '')?.[1];
  if (description === undefined || version === undefined) return undefined;
  return { version: `TLSv${version}` as OracleVersion, description };
}
