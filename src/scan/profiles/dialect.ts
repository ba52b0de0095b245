/**
 * What every server's snippet writer shares: the aspects a snippet can cover, the context
 * it is written from, placeholder paths, and the prose all servers repeat (how to issue a
 * certificate, how to get DH parameters), so each server file only knows its own syntax.
 */
import type { ProtocolName } from '../../wire/registry/versions.ts';
import type { MozillaProfile, ProfileGroup } from './mozilla.ts';

/**
 * What one snippet configures. `tls` is protocol versions, cipher suites and cipher
 * preference together: the three depend on each other (a TLS 1.0 that old asks for needs
 * its CBC suites and, on OpenSSL 3, `@SECLEVEL=0` in the same cipher string).
 */
export const SNIPPET_ASPECTS = [
  'tls',
  'groups',
  'dh',
  'certificate',
  'hsts',
  'ocsp-stapling',
] as const;
export type SnippetAspect = (typeof SNIPPET_ASPECTS)[number];

export const ASPECT_TITLES: Readonly<Record<SnippetAspect, string>> = {
  tls: 'protocol versions, cipher suites and cipher preference',
  groups: 'key exchange groups',
  dh: 'Diffie-Hellman parameters',
  certificate: 'certificate',
  hsts: 'HTTP Strict Transport Security',
  'ocsp-stapling': 'OCSP stapling',
};

/** Placeholders the snippets use for files only the reader knows; replace them. */
export const SNIPPET_PATHS = {
  certificateChain: '/path/to/signed_cert_plus_intermediates',
  privateKey: '/path/to/private_key',
  /** HAProxy wants certificate, key and intermediates in one file. */
  certificateKeyChain: '/path/to/cert_key_and_intermediates.pem',
  /** Root and intermediates, to verify OCSP responses (nginx). */
  trustedChain: '/path/to/root_CA_cert_plus_intermediates',
  dhParams: '/path/to/dhparam.pem',
  ocspResponse: '/path/to/ocsp_response.der',
  crtList: '/path/to/crt-list.txt',
} as const;

/** Everything a server's writer needs, worked out once from the profile and the options. */
export interface SnippetContext {
  readonly profile: MozillaProfile;
  /** The OpenSSL version the snippet is for, as the caller gave it. */
  readonly openssl: string;
  /** The profile's groups this OpenSSL knows, in Mozilla's order. */
  readonly groups: readonly ProfileGroup[];
  /** The profile's groups this OpenSSL lacks (X25519MLKEM768 before 3.5). */
  readonly missingGroups: readonly ProfileGroup[];
  /** OpenSSL cipher string for TLS 1.0–1.2 ('' when the profile has none). */
  readonly opensslCiphers: string;
  /** TLS 1.3 suites, colon-separated. */
  readonly tls13Ciphers: string;
}

/** One server's syntax: the lines of each aspect, and a whole configuration. */
export interface Dialect {
  /** The server's name and the oldest release the snippets are written for. */
  readonly product: string;
  /** False for servers on another TLS library (Caddy: Go's crypto/tls). */
  readonly opensslBased: boolean;
  /** How a comment line starts. */
  readonly comment: '#' | '//';
  readonly aspects: Readonly<Record<SnippetAspect, (c: SnippetContext) => readonly string[]>>;
  /** A whole configuration for the profile, with the header already in place. */
  readonly whole: (c: SnippetContext, header: readonly string[]) => string;
}

/** OpenSSL's (and nginx's, Apache's, PostgreSQL's, Node's) name for a protocol version. */
export function opensslProtocol(p: ProtocolName): string {
  return p === 'TLSv1.0' ? 'TLSv1' : p;
}

export function minProtocol(profile: MozillaProfile): ProtocolName {
  return profile.protocols[0] ?? 'TLSv1.3';
}

export function maxProtocol(profile: MozillaProfile): ProtocolName {
  return profile.protocols[profile.protocols.length - 1] ?? 'TLSv1.3';
}

export function offersTls12(profile: MozillaProfile): boolean {
  return profile.protocols.some((p) => p !== 'TLSv1.3');
}

export function usesDhe(profile: MozillaProfile): boolean {
  return profile.tls12Suites.some((s) => s.kx === 'DHE');
}

/** Prefixes each line with the comment marker (blank lines stay blank). */
export function commented(marker: '#' | '//', lines: readonly string[]): string[] {
  return lines.map((l) => (l === '' ? '' : `${marker} ${l}`));
}

export function indent(prefix: string, lines: readonly string[]): string[] {
  return lines.map((l) => (l === '' ? '' : `${prefix}${l}`));
}

/** Joins blocks of lines with one blank line between non-empty blocks. */
export function blocks(...parts: ReadonlyArray<readonly string[]>): string[] {
  return parts.filter((p) => p.length > 0).flatMap((p, i) => (i === 0 ? [...p] : ['', ...p]));
}

export function missingGroupsNote(c: SnippetContext): string[] {
  if (c.missingGroups.length === 0) return [];
  const names = c.missingGroups.map((g) => g.openssl).join(', ');
  return [`${names}: left out, OpenSSL ${c.openssl} lacks it (OpenSSL 3.5 or later has it).`];
}

const NIST_CURVE: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384' };

const KEY_REQUEST: Readonly<Record<'ecdsa' | 'rsa', string>> = {
  ecdsa: 'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes',
  rsa: 'openssl req -new -newkey rsa:2048 -nodes',
};

/** What the profile asks of the certificate, and the command that makes a matching key. */
export function certificateAdvice(profile: MozillaProfile): string[] {
  const cert = profile.certificate;
  const kinds = cert.types.map((t) =>
    t === 'ecdsa'
      ? `ECDSA (${cert.curves.map((c) => NIST_CURVE[c] ?? c).join(' or ')})`
      : `RSA (${cert.rsaMinBits ?? 2048} bits or more)`,
  );
  const recommended =
    cert.recommendedLifetimeDays < cert.maxLifetimeDays
      ? ` (${cert.recommendedLifetimeDays} recommended)`
      : '';
  const preferred = cert.types[0] ?? 'ecdsa';
  return [
    `The ${profile.name} profile asks for an ${kinds.join(' or ')} certificate,`,
    `signed with ${cert.signatures.join(', ')}, valid at most ${cert.maxLifetimeDays} days${recommended}.`,
    'A key and a signing request for it:',
    `  ${KEY_REQUEST[preferred]} -keyout private_key -out request.csr -subj /CN=example.com`,
  ];
}

/** The RFC 7919 group at least as large as the profile's DH minimum. */
export function ffdheGroup(profile: MozillaProfile): string {
  const bits = profile.dhMinBits ?? 2048;
  return bits <= 2048 ? 'ffdhe2048' : bits <= 3072 ? 'ffdhe3072' : 'ffdhe4096';
}

/** Why DH parameters matter for the profile, and how to make the file the snippet names. */
export function dhAdvice(profile: MozillaProfile): string[] {
  const group = ffdheGroup(profile);
  const lead = usesDhe(profile)
    ? `The ${profile.name} profile's DHE suites need a group of ${profile.dhMinBits ?? 2048} bits or more:`
    : `The ${profile.name} profile has no DHE suite: its cipher list (the tls snippet) drops DHE. Where DHE must stay, use ${group} (RFC 7919):`;
  return [
    lead,
    `  openssl genpkey -genparam -algorithm DH -pkeyopt group:${group} -out ${SNIPPET_PATHS.dhParams}`,
  ];
}

/** The `Strict-Transport-Security` value the profile asks for. */
export function hstsValue(profile: MozillaProfile): string {
  return `max-age=${profile.hstsMinAge}`;
}
