// The fleet the fleet bench scans: which posture each endpoint has, fixed by its index so
// that two runs (and two machines) scan the same fleet. Pure data, no I/O: start.ts brings
// it up. Most endpoints are nginx server blocks, as in a real fleet; every tenth is one of
// the others (openssl s_server, gnutls-serv, plaintext HTTP, a closed port), interleaved
// so that a bounded-concurrency scan meets a mix at every moment.
//
// Each endpoint has a loopback address of its own (Linux routes all of 127.0.0.0/8 to
// lo), as each service of a real fleet has its host: wiretight's per-address politeness
// cap would otherwise queue the whole fleet behind one address. The s_server endpoints
// are the exception, all on 127.0.0.1 (the test helper binds there): one host with a few
// services, which the cap does apply to.

/** The name the fleet's certificates are issued for (but the wrong-name one): its SNI. */
export const FLEET_SNI = 'localhost';

/** Certificates of the test PKI (test/helpers/pki.ts) a posture can serve. */
export type CertName = 'rsa' | 'ecdsa' | 'weakRsa' | 'expired' | 'selfSigned' | 'wrongName';
/** DH parameter files of the test PKI. */
export type DhName = 'dh1024' | 'dh2048';

/** An nginx `server` block with `ssl`. */
export interface NginxTlsPosture {
  readonly kind: 'nginx';
  readonly name: string;
  /** `ssl_protocols`. */
  readonly protocols: string;
  /** `ssl_ciphers` (TLS ≤ 1.2; TLS 1.3 suites are OpenSSL's defaults). */
  readonly ciphers: string;
  readonly cert: CertName;
  readonly dhparam?: DhName;
  /** Sends `Strict-Transport-Security: max-age=31536000`. */
  readonly hsts: boolean;
}

/** `openssl s_server -www` with the RSA leaf. */
export interface OpenSslPosture {
  readonly kind: 's_server';
  readonly name: string;
  readonly args: readonly string[];
  readonly dhparam?: DhName;
}

/** `gnutls-serv` (HTTP mode) with the RSA leaf. */
export interface GnutlsPosture {
  readonly kind: 'gnutls-serv';
  readonly name: string;
  readonly priority: string;
}

/** An nginx `server` block without TLS: HTTP in the clear. */
export interface PlaintextPosture {
  readonly kind: 'plaintext';
  readonly name: string;
}

/** A loopback port nothing listens on. */
export interface ClosedPosture {
  readonly kind: 'closed';
  readonly name: string;
}

export type Posture =
  NginxTlsPosture | OpenSslPosture | GnutlsPosture | PlaintextPosture | ClosedPosture;

/** What a scanner should find at an endpoint of this posture. */
export type ExpectedTransport = 'tls' | 'plaintext' | 'unreachable';

export function expectedTransport(p: Posture): ExpectedTransport {
  return p.kind === 'plaintext' ? 'plaintext' : p.kind === 'closed' ? 'unreachable' : 'tls';
}

// Mozilla's intermediate suites for TLS 1.2 without DHE.
const MODERN_SUITES =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
  'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';
const MODERN = 'TLSv1.2 TLSv1.3';
// Debian's OpenSSL 3.0 runs at security level 2: TLS 1.0/1.1, DHE-1024 and RSA-1024 need 0.
const LEGACY = 'TLSv1 TLSv1.1 TLSv1.2';

const nginx = (
  name: string,
  protocols: string,
  ciphers: string,
  cert: CertName,
  hsts: boolean,
  dhparam?: DhName,
): NginxTlsPosture => ({
  kind: 'nginx',
  name,
  protocols,
  ciphers,
  cert,
  hsts,
  ...(dhparam === undefined ? {} : { dhparam }),
});

/** The nginx postures, assigned in turn to the nginx endpoints. */
export const NGINX_POSTURES: readonly NginxTlsPosture[] = [
  nginx('modern RSA HSTS', MODERN, MODERN_SUITES, 'rsa', true),
  nginx('modern ECDSA HSTS', MODERN, MODERN_SUITES, 'ecdsa', true),
  nginx('modern RSA, no HSTS', MODERN, MODERN_SUITES, 'rsa', false),
  nginx('TLS 1.3 only ECDSA HSTS', 'TLSv1.3', MODERN_SUITES, 'ecdsa', true),
  nginx('TLS 1.0-1.2 CBC', LEGACY, 'ECDHE+AESGCM:ECDHE+AES:RSA+AES:@SECLEVEL=0', 'rsa', false),
  nginx('TLS 1.0-1.2 every suite', LEGACY, 'ALL:COMPLEMENTOFALL:@SECLEVEL=0', 'rsa', false),
  nginx('RSA-1024 key', MODERN, 'ECDHE+AESGCM:@SECLEVEL=0', 'weakRsa', false),
  nginx('DHE-1024', 'TLSv1.2', 'DHE+AESGCM:ECDHE+AESGCM:@SECLEVEL=0', 'rsa', false, 'dh1024'),
  nginx('DHE-2048 HSTS', MODERN, `${MODERN_SUITES}:DHE+AESGCM`, 'rsa', true, 'dh2048'),
  nginx('expired certificate', MODERN, MODERN_SUITES, 'expired', true),
  nginx('self-signed certificate', MODERN, MODERN_SUITES, 'selfSigned', true),
  nginx('wrong host name', MODERN, MODERN_SUITES, 'wrongName', true),
];

/** The other kinds, in the order they take the every-tenth slots. */
export const OTHER_POSTURES: readonly Posture[] = [
  { kind: 's_server', name: 's_server TLS 1.2+1.3', args: [] },
  // Debian's NORMAL still allows TLS 1.0 and 1.1.
  { kind: 'gnutls-serv', name: 'gnutls-serv NORMAL (TLS 1.0-1.3)', priority: 'NORMAL' },
  { kind: 'plaintext', name: 'plaintext HTTP' },
  { kind: 'closed', name: 'closed port' },
  {
    kind: 's_server',
    name: 's_server TLS 1.0-1.2 every suite DHE-1024',
    args: ['-no_tls1_3', '-cipher', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'],
    dhparam: 'dh1024',
  },
  {
    kind: 'gnutls-serv',
    name: 'gnutls-serv TLS 1.2+1.3',
    priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2',
  },
  { kind: 'plaintext', name: 'plaintext HTTP' },
  { kind: 'closed', name: 'closed port' },
];

/** The loopback address of the endpoint at `index`: 127.77.0.1, 127.77.0.2, … */
export function fleetAddress(index: number): string {
  const n = index + 1;
  if (!Number.isInteger(index) || index < 0 || n > 0xfffe) {
    throw new RangeError(`no fleet address for index ${index}`);
  }
  return `127.77.${n >> 8}.${n & 0xff}`;
}

/** One endpoint of the fleet, before it has a port. */
export interface EndpointSpec {
  /** Its place in the fleet (and in the targets file). */
  readonly index: number;
  readonly posture: Posture;
}

/**
 * The fleet of `size` endpoints: every tenth (index 9, 19, …) takes the next of
 * OTHER_POSTURES, the rest the next of NGINX_POSTURES. At 200: 180 nginx endpoints (15
 * of each posture), 5 s_server, 5 gnutls-serv, 5 plaintext, 5 closed.
 */
export function fleetLayout(size: number): EndpointSpec[] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`fleet size must be a positive integer, got ${size}`);
  }
  const specs: EndpointSpec[] = [];
  let nginxCount = 0;
  let otherCount = 0;
  for (let index = 0; index < size; index++) {
    const posture =
      index % 10 === 9
        ? OTHER_POSTURES[otherCount++ % OTHER_POSTURES.length]
        : NGINX_POSTURES[nginxCount++ % NGINX_POSTURES.length];
    specs.push({ index, posture: posture as Posture });
  }
  return specs;
}
