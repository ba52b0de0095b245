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
import { fileURLToPath } from 'node:url';
import { makeTestPki } from '../test/helpers/pki.ts';
import { type RunningServer, startNginx, startOpenSslServer } from '../test/helpers/servers.ts';
import { findProgram } from '../test/helpers/tools.ts';
import { exec } from '../test/helpers/exec.ts';

const cli = fileURLToPath(new URL('../dist/bin/main.js', import.meta.url));
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const fmt = (ms: number | undefined): string =>
  ms === undefined ? '-' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;

// Asynchronous on purpose: the servers' pipes are drained by this process's event loop.
async function timed(cmd: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  const r = await exec(cmd, args, { timeoutMs: 900_000 });
  return { ms: performance.now() - t0, stdout: r.stdout };
}

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
        cli,
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
      theirs === undefined ? '-' : `${(theirs / mine).toFixed(0)}x`,
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
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log(line(header));
for (const r of rows) console.log(line(r));
if (testssl === undefined)
  console.log('testssl.sh not installed (Debian package testssl.sh): its column is empty');
