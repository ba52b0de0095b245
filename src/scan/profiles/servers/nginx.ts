/** nginx 1.19.4 or later (`ssl_conf_command` sets the TLS 1.3 suites). */
import {
  SNIPPET_PATHS as P,
  blocks,
  certificateAdvice,
  commented,
  dhAdvice,
  hstsValue,
  indent,
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
    `ssl_protocols ${p.protocols.map(opensslProtocol).join(' ')};`,
    ...(c.opensslCiphers === '' ? [] : [`ssl_ciphers ${c.opensslCiphers};`]),
    `ssl_conf_command Ciphersuites ${c.tls13Ciphers};`,
    `ssl_prefer_server_ciphers ${p.serverPreference ? 'on' : 'off'};`,
  ];
}

function groups(c: SnippetContext): string[] {
  return [
    ...note(missingGroupsNote(c)),
    `ssl_ecdh_curve ${c.groups.map((g) => g.openssl).join(':')};`,
  ];
}

const dh = (c: SnippetContext): string[] => [
  ...note(dhAdvice(c.profile)),
  `ssl_dhparam ${P.dhParams};`,
];

const certificate = (c: SnippetContext): string[] => [
  ...note(certificateAdvice(c.profile)),
  `ssl_certificate ${P.certificateChain};`,
  `ssl_certificate_key ${P.privateKey};`,
];

const hsts = (c: SnippetContext): string[] => [
  `add_header Strict-Transport-Security "${hstsValue(c.profile)}" always;`,
];

const ocsp = (): string[] => [
  'ssl_stapling on;',
  'ssl_stapling_verify on;',
  `ssl_trusted_certificate ${P.trustedChain};`,
  '# nginx asks the OCSP responder through this DNS resolver: put yours here',
  'resolver 127.0.0.1;',
];

export const nginx: Dialect = {
  product: 'nginx 1.19.4 or later',
  opensslBased: true,
  comment: '#',
  aspects: { tls, groups, dh, certificate, hsts, 'ocsp-stapling': ocsp },
  whole(c, header) {
    const body = blocks(
      ['listen 443 ssl;', 'listen [::]:443 ssl;'],
      certificate(c),
      [...tls(c), ...groups(c)],
      usesDhe(c.profile) ? dh(c) : [],
      hsts(c),
      c.profile.ocspStapling ? ocsp() : [],
    );
    return [...header, 'server {', ...indent('    ', body), '}', ''].join('\n');
  },
};
