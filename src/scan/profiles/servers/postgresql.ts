/**
 * PostgreSQL 13 or later (postgresql.conf). Settings that only PostgreSQL 18 knows
 * (`ssl_tls13_ciphers`, `ssl_groups`) stay in comments, so every line that is not a comment
 * loads on every supported release.
 */
import {
  SNIPPET_PATHS as P,
  blocks,
  certificateAdvice,
  commented,
  dhAdvice,
  maxProtocol,
  minProtocol,
  missingGroupsNote,
  opensslProtocol,
  usesDhe,
  type Dialect,
  type SnippetContext,
} from '../dialect.ts';

const note = (lines: readonly string[]): string[] => commented('#', lines);

function tls(c: SnippetContext): string[] {
  const p = c.profile;
  return [
    `ssl_min_protocol_version = '${opensslProtocol(minProtocol(p))}'`,
    `ssl_max_protocol_version = '${opensslProtocol(maxProtocol(p))}'`,
    ...(c.opensslCiphers === '' ? [] : [`ssl_ciphers = '${c.opensslCiphers}'`]),
    `ssl_prefer_server_ciphers = ${p.serverPreference ? 'on' : 'off'}`,
    ...note([
      "TLS 1.3 suites: up to PostgreSQL 17 OpenSSL's defaults apply, which are the profile's;",
      'PostgreSQL 18 and later can name them:',
      `ssl_tls13_ciphers = '${c.tls13Ciphers}'`,
    ]),
  ];
}

// Up to 17, PostgreSQL sets one curve by name (OpenSSL then offers only that one).
const SINGLE_CURVE = 'prime256v1';

const groups = (c: SnippetContext): string[] => [
  ...note(['Up to PostgreSQL 17, one curve only:']),
  `ssl_ecdh_curve = '${SINGLE_CURVE}'`,
  ...note([
    'PostgreSQL 18 and later take the whole list (instead of the line above):',
    `ssl_groups = '${c.groups.map((g) => g.openssl).join(':')}'`,
    ...missingGroupsNote(c),
  ]),
];

const dh = (c: SnippetContext): string[] => [
  ...note(dhAdvice(c.profile)),
  `ssl_dh_params_file = '${P.dhParams}'`,
];

const certificate = (c: SnippetContext): string[] => [
  ...note(certificateAdvice(c.profile)),
  `ssl_cert_file = '${P.certificateChain}'`,
  `ssl_key_file = '${P.privateKey}'`,
];

const hsts = (): string[] =>
  note(['PostgreSQL does not speak HTTP: HSTS does not apply and has no setting.']);

const ocsp = (): string[] =>
  note(['PostgreSQL cannot staple OCSP responses: there is no setting for it.']);

export const postgresql: Dialect = {
  product: 'PostgreSQL 13 or later',
  opensslBased: true,
  comment: '#',
  aspects: { tls, groups, dh, certificate, hsts, 'ocsp-stapling': ocsp },
  whole(c, header) {
    return [
      ...blocks(
        header,
        ['ssl = on'],
        certificate(c),
        tls(c),
        groups(c),
        usesDhe(c.profile) ? dh(c) : [],
        [...hsts(), ...(c.profile.ocspStapling ? ocsp() : [])],
      ),
      '',
    ].join('\n');
  },
};
