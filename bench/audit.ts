// One full audit of a loopback endpoint: `wiretight scan` (everything: protocols, suites,
// groups, certificate verdicts, vulnerability probes, session and HTTP facts, findings,
// grade) against a full `testssl.sh` run on the same endpoint, in one run.
//
//   npm run bench:audit                  3 wiretight runs per server, 1 testssl.sh run
//   npm run bench:audit -- --runs 5      more wiretight runs
//
// testssl.sh runs its default full check set (protocols, ciphers, server defaults, headers,
// vulnerabilities, client simulation) and takes about a minute per server, so it runs once.
// Prints medians and the ratio; never decides pass/fail.
import { makeTestPki } from '../test/helpers/pki.ts';
import { type RunningServer, startNginx, startOpenSslServer } from '../test/helpers/servers.ts';
import { findProgram } from '../test/helpers/tools.ts';
import { formatMs as fmt, ratio, tableLines } from './lib/format.ts';
import { runTimed as timed, wiretightArgv } from './lib/run.ts';
import { median } from './lib/stats.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg === -1 ? 3 : Number(process.argv[runsArg + 1]);

const pki = await makeTestPki();
const CASES: { name: string; start: () => Promise<RunningServer> }[] = [
  {
    name: 'nginx TLS1.2+1.3 HSTS h2',
    start: () =>
      startNginx({
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers:
          'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305',
        http2: true,
        hsts: 'max-age=63072000',
      }),
  },
  {
    name: 's_server TLS1.0-1.2 ALL@SECLEVEL=0 DHE-1024',
    start: () =>
      startOpenSslServer([
        '-no_tls1_3',
        '-cipher',
        'ALL:COMPLEMENTOFALL:@SECLEVEL=0',
        '-dhparam',
        pki.dh1024,
      ]),
  },
];

const testssl = findProgram('testssl') ?? findProgram('testssl.sh');
const rows: string[][] = [];
for (const c of CASES) {
  const server = await c.start();
  const target = `127.0.0.1:${server.port}`;
  try {
    const ours: number[] = [];
    let findings = 0;
    let grade = '';
    let connections = 0;
    for (let i = 0; i < runs; i++) {
      const r = await timed(process.execPath, [
        ...wiretightArgv(),
        'scan',
        target,
        '--sni',
        'localhost',
        '--ca',
        pki.root.cert,
        '-f',
        'json',
      ]);
      ours.push(r.ms);
      const report = JSON.parse(r.stdout) as {
        findings: unknown[];
        grade: { letter: string | null };
        handshakes: number;
      };
      findings = report.findings.length;
      grade = report.grade.letter ?? 'withheld';
      connections = report.handshakes;
    }
    const theirs =
      testssl === undefined
        ? undefined
        : (
            await timed(testssl, [
              '--quiet',
              '--color',
              '0',
              '--warnings',
              'off',
              '--ip',
              'one',
              target,
            ])
          ).ms;
    const mine = median(ours);
    rows.push([
      c.name,
      `${fmt(mine)} (${connections} conn, grade ${grade}, ${findings} findings)`,
      fmt(theirs),
      ratio(theirs, mine, 0),
    ]);
  } finally {
    await server.stop();
  }
}

const header = [
  'server',
  `wiretight full audit (median of ${runs})`,
  'testssl.sh (full)',
  'testssl/wiretight',
];
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const line of tableLines(header, rows)) console.log(line);
if (testssl === undefined)
  console.log('testssl.sh not installed (Debian package testssl.sh): its column is empty');
