/**
 * Apache httpd 2.4.36 or later with mod_ssl (TLS 1.3; `SSLOpenSSLConfCmd` since 2.4.8), plus
 * mod_headers for HSTS and mod_socache_shmcb for the stapling cache.
 */
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
    `SSLProtocol -all ${p.protocols.map((v) => `+${opensslProtocol(v)}`).join(' ')}`,
    ...(c.opensslCiphers === '' ? [] : [`SSLCipherSuite ${c.opensslCiphers}`]),
    `SSLCipherSuite TLSv1.3 ${c.tls13Ciphers}`,
    `SSLHonorCipherOrder ${p.serverPreference ? 'on' : 'off'}`,
  ];
}

const groups = (c: SnippetContext): string[] => [
  ...note(missingGroupsNote(c)),
  `SSLOpenSSLConfCmd Curves ${c.groups.map((g) => g.openssl).join(':')}`,
];

const dh = (c: SnippetContext): string[] => [
  ...note(dhAdvice(c.profile)),
  `SSLOpenSSLConfCmd DHParameters "${P.dhParams}"`,
];

const certificate = (c: SnippetContext): string[] => [
  ...note(certificateAdvice(c.profile)),
  `SSLCertificateFile ${P.certificateChain}`,
  `SSLCertificateKeyFile ${P.privateKey}`,
];

const hsts = (c: SnippetContext): string[] => [
  '# in the <VirtualHost *:443>; needs mod_headers',
  `Header always set Strict-Transport-Security "${hstsValue(c.profile)}"`,
];

const ocsp = (): string[] => [
  '# SSLStaplingCache outside any <VirtualHost>; needs mod_socache_shmcb',
  'SSLUseStapling On',
  'SSLStaplingCache "shmcb:logs/ssl_stapling(32768)"',
];

export const apache: Dialect = {
  product: 'Apache httpd 2.4.36 or later (mod_ssl, mod_headers, mod_socache_shmcb)',
  opensslBased: true,
  comment: '#',
  aspects: { tls, groups, dh, certificate, hsts, 'ocsp-stapling': ocsp },
  whole(c, header) {
    const vhost = blocks(['SSLEngine on'], certificate(c), [
      `Header always set Strict-Transport-Security "${hstsValue(c.profile)}"`,
    ]);
    return [
      ...blocks(
        header,
        ['<VirtualHost *:443>', ...indent('    ', vhost), '</VirtualHost>'],
        [...tls(c), ...groups(c)],
        usesDhe(c.profile) ? dh(c) : [],
        c.profile.ocspStapling
          ? ['SSLUseStapling On', 'SSLStaplingCache "shmcb:logs/ssl_stapling(32768)"']
          : [],
      ),
      '',
    ].join('\n');
  },
};
