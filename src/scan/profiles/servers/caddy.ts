/**
 * Caddy 2, which runs on Go's crypto/tls rather than OpenSSL: several profile settings
 * have no Caddy syntax, and the snippets say so in comments instead of inventing any.
 */
import {
  SNIPPET_PATHS as P,
  certificateAdvice,
  commented,
  hstsValue,
  indent,
  type Dialect,
  type SnippetContext,
} from '../dialect.ts';

/**
 * The TLS 1.2 suite names Caddy accepts in `ciphers` (Go's crypto/tls CipherSuites()),
 * from the Caddyfile `tls` directive documentation (caddyserver/website,
 * src/docs/markdown/caddyfile/directives/tls.md).
 */
const CADDY_TLS12_SUITES: ReadonlySet<string> = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
]);

/** Caddy's protocol names; it has none below TLS 1.2. */
const CADDY_PROTOCOLS: Readonly<Record<string, string>> = {
  'TLSv1.2': 'tls1.2',
  'TLSv1.3': 'tls1.3',
};

const note = (lines: readonly string[]): string[] => commented('#', lines);

/** Lines for inside `tls { … }`. */
function tls(c: SnippetContext): string[] {
  const p = c.profile;
  const versions = p.protocols.flatMap((v) => CADDY_PROTOCOLS[v] ?? []);
  const unsupported = p.protocols.filter((v) => CADDY_PROTOCOLS[v] === undefined);
  const suites = p.tls12Suites.filter((s) => CADDY_TLS12_SUITES.has(s.iana));
  const missing = p.tls12Suites.filter((s) => !CADDY_TLS12_SUITES.has(s.iana));
  const lines: string[] = [];
  if (unsupported.length > 0) {
    lines.push(
      ...note([
        `Caddy cannot enable ${unsupported.join(' or ')}, which the ${p.name} profile lists.`,
      ]),
    );
  }
  lines.push(`protocols ${versions.join(' ')}`);
  if (suites.length > 0) lines.push(`ciphers ${suites.map((s) => s.iana).join(' ')}`);
  if (missing.length > 0) {
    lines.push(
      ...note([
        `Caddy cannot offer these suites of the ${p.name} profile:`,
        ...missing.map((s) => `  ${s.iana}`),
      ]),
    );
  }
  lines.push(
    ...note([
      "TLS 1.3 suites cannot be set in Caddy; Go always offers these three, the profile's:",
      `  ${p.tls13Suites.map((s) => s.iana).join(' ')}`,
      p.serverPreference
        ? `The ${p.name} profile wants the server's suite order to win; Go applies its own and Caddy cannot change it.`
        : 'Cipher preference cannot be set in Caddy: Go picks among the suites above by its own rules.',
    ]),
  );
  return lines;
}

const groups = (): string[] =>
  note([
    "Caddy's default groups (X25519MLKEM768 from Caddy 2.10, x25519, secp256r1) are all in",
    'the profile: remove any `curves` line from the tls block to keep them.',
  ]);

const dh = (): string[] =>
  note(["Caddy (Go's crypto/tls) has no DHE suites: there are no DH parameters to set."]);

function keyType(c: SnippetContext): string {
  return c.profile.certificate.types[0] === 'rsa' ? 'rsa2048' : 'p256';
}

const certificate = (c: SnippetContext): string[] => [
  ...note([
    ...certificateAdvice(c.profile),
    'For certificates Caddy obtains itself, in the global options block:',
  ]),
  '{',
  `\tkey_type ${keyType(c)}`,
  '}',
  ...note([
    'For your own certificate instead, in the site block:',
    `  tls ${P.certificateChain} ${P.privateKey}`,
  ]),
];

const hstsLine = (c: SnippetContext): string =>
  `header Strict-Transport-Security "${hstsValue(c.profile)}"`;

const ocsp = (): string[] =>
  note([
    'Caddy staples OCSP responses by default: remove `ocsp_stapling off` from the global',
    'options if it is there.',
  ]);

export const caddy: Dialect = {
  product: "Caddy 2 (Go's crypto/tls, not OpenSSL)",
  opensslBased: false,
  comment: '#',
  aspects: {
    tls: (c) => ['# inside the tls { } block of the site', ...tls(c)],
    groups,
    dh,
    certificate,
    hsts: (c) => ['# in the site block', hstsLine(c)],
    'ocsp-stapling': ocsp,
  },
  whole(c, header) {
    const site = [
      'tls {',
      ...indent('\t', [...tls(c), ...groups()]),
      '}',
      hstsLine(c),
      ...(c.profile.ocspStapling ? ocsp() : []),
    ];
    return [
      ...header,
      ...note(certificateAdvice(c.profile)),
      '{',
      `\tkey_type ${keyType(c)}`,
      '}',
      '',
      '# replace example.com with your domain name',
      'example.com {',
      ...indent('\t', site),
      '}',
      '',
    ].join('\n');
  },
};
