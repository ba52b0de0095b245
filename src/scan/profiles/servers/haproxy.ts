/** HAProxy 2.8 or later (`ocsp-update` in crt-lists), built with OpenSSL. */
import {
  SNIPPET_PATHS as P,
  certificateAdvice,
  commented,
  dhAdvice,
  hstsValue,
  indent,
  maxProtocol,
  minProtocol,
  missingGroupsNote,
  usesDhe,
  type Dialect,
  type SnippetContext,
} from '../dialect.ts';

const note = (lines: readonly string[]): string[] => commented('#', lines);
const GLOBAL = '# in the global section';
const FRONTEND = '# in the frontend';

function tlsLines(c: SnippetContext): string[] {
  const p = c.profile;
  // HAProxy enforces its own suite order unless told otherwise.
  const preference = p.serverPreference ? [] : ['prefer-client-ciphers'];
  return [
    ...(c.opensslCiphers === '' ? [] : [`ssl-default-bind-ciphers ${c.opensslCiphers}`]),
    `ssl-default-bind-ciphersuites ${c.tls13Ciphers}`,
    `ssl-default-bind-options ${[...preference, 'ssl-min-ver', minProtocol(p), 'ssl-max-ver', maxProtocol(p)].join(' ')}`,
  ];
}

const groupLines = (c: SnippetContext): string[] => [
  ...note(missingGroupsNote(c)),
  `ssl-default-bind-curves ${c.groups.map((g) => g.openssl).join(':')}`,
];

const dhLines = (c: SnippetContext): string[] => [
  ...note(dhAdvice(c.profile)),
  `ssl-dh-param-file ${P.dhParams}`,
];

const bindCrt = `bind :443 ssl crt ${P.certificateKeyChain}`;

const certificateNotes = (c: SnippetContext): string[] =>
  note([
    ...certificateAdvice(c.profile),
    'HAProxy reads certificate, key and intermediates from one file.',
  ]);

const hstsLine = (c: SnippetContext): string =>
  `http-response set-header Strict-Transport-Security "${hstsValue(c.profile)}"`;

const ocspLines = (): string[] => [
  ...note([
    'HAProxy fetches and staples the OCSP response of a certificate listed in a crt-list',
    `with ocsp-update on; ${P.crtList} holds the line:`,
    `  ${P.certificateKeyChain} [ocsp-update on]`,
  ]),
  `bind :443 ssl crt-list ${P.crtList}`,
];

export const haproxy: Dialect = {
  product: 'HAProxy 2.8 or later',
  opensslBased: true,
  comment: '#',
  aspects: {
    tls: (c) => [GLOBAL, ...tlsLines(c)],
    groups: (c) => [GLOBAL, ...groupLines(c)],
    dh: (c) => [GLOBAL, ...dhLines(c)],
    certificate: (c) => [FRONTEND, ...certificateNotes(c), bindCrt],
    hsts: (c) => [`${FRONTEND} (mode http)`, hstsLine(c)],
    'ocsp-stapling': () => [FRONTEND, ...ocspLines()],
  },
  whole(c, header) {
    const global = [...tlsLines(c), ...groupLines(c), ...(usesDhe(c.profile) ? dhLines(c) : [])];
    const frontend = [
      'mode http',
      ...certificateNotes(c),
      ...(c.profile.ocspStapling ? ocspLines() : [bindCrt]),
      hstsLine(c),
      '# default_backend <your backend>',
    ];
    return [
      ...header,
      'global',
      ...indent('    ', global),
      '',
      'frontend https',
      ...indent('    ', frontend),
      '',
    ].join('\n');
  },
};
