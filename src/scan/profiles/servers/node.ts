/**
 * Node.js `https.createServer` / `tls.createServer` options. Node bundles its own OpenSSL
 * (3.5 in Node 24); `ciphers` carries the TLS 1.3 suites too, which Node hands to OpenSSL
 * separately.
 */
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
  opensslProtocol,
  usesDhe,
  type Dialect,
  type SnippetContext,
} from '../dialect.ts';

/** The TLS options a Node server needs for the profile (certificate and key aside). */
export interface NodeTlsOptions {
  readonly minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly ciphers: string;
  readonly honorCipherOrder: boolean;
  readonly ecdhCurve: string;
}

type NodeVersion = NodeTlsOptions['minVersion'];

export function nodeOptions(c: SnippetContext): NodeTlsOptions {
  const p = c.profile;
  return {
    minVersion: opensslProtocol(minProtocol(p)) as NodeVersion,
    maxVersion: opensslProtocol(maxProtocol(p)) as NodeVersion,
    ciphers: [c.tls13Ciphers, ...(c.opensslCiphers === '' ? [] : [c.opensslCiphers])].join(':'),
    honorCipherOrder: p.serverPreference,
    ecdhCurve: c.groups.map((g) => g.openssl).join(':'),
  };
}

const note = (lines: readonly string[]): string[] => commented('//', lines);
const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const OPTIONS = '// options of https.createServer / tls.createServer';

function tls(c: SnippetContext): string[] {
  const o = nodeOptions(c);
  return [
    `minVersion: ${quote(o.minVersion)},`,
    `maxVersion: ${quote(o.maxVersion)},`,
    `ciphers: ${quote(o.ciphers)},`,
    `honorCipherOrder: ${String(o.honorCipherOrder)},`,
  ];
}

const groups = (c: SnippetContext): string[] => [
  ...note(missingGroupsNote(c)),
  `ecdhCurve: ${quote(nodeOptions(c).ecdhCurve)},`,
];

const dh = (c: SnippetContext): string[] => [
  ...note(dhAdvice(c.profile)),
  `dhparam: readFileSync(${quote(P.dhParams)}),`,
];

const certificate = (c: SnippetContext): string[] => [
  ...note(certificateAdvice(c.profile)),
  `cert: readFileSync(${quote(P.certificateChain)}),`,
  `key: readFileSync(${quote(P.privateKey)}),`,
];

const hstsLine = (c: SnippetContext): string =>
  `res.setHeader('Strict-Transport-Security', ${quote(hstsValue(c.profile))});`;

const ocsp = (): string[] => [
  ...note([
    'Node staples what this listener hands it: keep a fresh DER response for the certificate',
    `in ${P.ocspResponse} (for example \`openssl ocsp -issuer … -cert … -url <responder>`,
    `-respout ${P.ocspResponse}\`, run before the previous response expires).`,
  ]),
  "server.on('OCSPRequest', (_certificate, _issuer, done) => {",
  `  readFile(${quote(P.ocspResponse)}, (err, response) => done(null, err ? null : response));`,
  '});',
];

export const node: Dialect = {
  product: 'Node.js 24',
  opensslBased: true,
  comment: '//',
  aspects: {
    tls: (c) => [OPTIONS, ...tls(c)],
    groups: (c) => [OPTIONS, ...groups(c)],
    dh: (c) => [OPTIONS, ...dh(c)],
    certificate: (c) => [OPTIONS, ...certificate(c)],
    hsts: (c) => ['// in the request handler of https.createServer', hstsLine(c)],
    'ocsp-stapling': ocsp,
  },
  whole(c, header) {
    const options = [
      ...certificate(c),
      ...tls(c),
      ...groups(c),
      ...(usesDhe(c.profile) ? dh(c) : []),
    ];
    return [
      ...header,
      `import { readFile, readFileSync } from 'node:fs';`,
      `import { createServer } from 'node:https';`,
      '',
      'const server = createServer(',
      '  {',
      ...indent('    ', options),
      '  },',
      '  (req, res) => {',
      `    ${hstsLine(c)}`,
      "    res.end('hello\\n');",
      '  },',
      ');',
      ...(c.profile.ocspStapling ? ocsp() : []),
      'server.listen(443);',
      '',
    ].join('\n');
  },
};
