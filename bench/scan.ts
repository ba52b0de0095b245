// wiretight vs sslscan vs testssl.sh on the same loopback servers, in one run.
//
//   npm run bench                 all anchors
//   npm run bench -- --quick      skip testssl.sh (it takes tens of seconds per server)
//
// Prints, per server: the enumeration itself (in-process scanEndpoint with quick: true,
// warm), the CPU time the server itself spent answering it (a floor no client can beat), the whole `wiretight scan --quick` process (the same questions sslscan and
// `testssl.sh -p -E` answer), the whole process with the full audit for reference,
// sslscan and testssl.sh, the ratios against --quick, and whether wiretight and sslscan
// found the same suites. Medians of several runs. bench/audit.ts compares full audits.
// Never decides pass/fail: it prints figures for people.
import { execFileSync } from 'node:child_process';
import { scanEndpoint } from '../src/scan/engine.ts';
import type { ScanReport } from '../src/scan/report.ts';
import { cipherSuiteByHex } from '../src/wire/registry/cipher-suites.ts';
import { makeTestPki } from '../test/helpers/pki.ts';
import { type RunningServer, startNginx, startOpenSslServer } from '../test/helpers/servers.ts';
import { findProgram } from '../test/helpers/tools.ts';
import { formatMs as fmt, ratio, tableLines } from './lib/format.ts';
import { cpuMs } from './lib/proc.ts';
import { runTimed, wiretightArgv } from './lib/run.ts';
import { median } from './lib/stats.ts';

const quick = process.argv.includes('--quick');

interface Case {
  readonly name: string;
  readonly start: () => Promise<RunningServer>;
}

const pki = await makeTestPki();
const CASES: Case[] = [
  { name: 's_server TLS1.2+1.3 defaults', start: () => startOpenSslServer([]) },
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
  {
    name: 'nginx TLS1.2+1.3 server order RSA+ECDSA',
    start: () =>
      startNginx({
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers:
          'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256',
        preferServerCiphers: true,
        http2: true,
        dual: true,
      }),
  },
];

/** The pid listening on a loopback port (`ss` from iproute2), to read its CPU time. */
function listenerPid(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`]).toString();
    const pid = /pid=(\d+)/.exec(out)?.[1];
    return pid === undefined ? undefined : Number(pid);
  } catch {
    return undefined;
  }
}

const timed = (cmd: string, args: string[]) => runTimed(cmd, args, { timeoutMs: 600_000 });

function wiretightSuites(r: ScanReport): Set<string> {
  const out = new Set<string>();
  for (const [version, suites] of Object.entries(r.cipherSuites)) {
    for (const s of suites) out.add(`${version} ${cipherSuiteByHex(s.id)?.opensslName ?? s.name}`);
  }
  return out;
}

/** Accepted suites from sslscan's XML (`<cipher status="accepted" sslversion=… cipher=…>`). */
function sslscanSuites(xml: string): Set<string> {
  const out = new Set<string>();
  for (const m of xml.matchAll(
    /<cipher status="(?:accepted|preferred)" sslversion="([^"]+)"[^>]* cipher="([^"]+)"/g,
  )) {
    out.add(`${m[1]} ${m[2]}`);
  }
  return out;
}

const sslscan = findProgram('sslscan');
const testssl = quick ? undefined : (findProgram('testssl') ?? findProgram('testssl.sh'));
const rows: string[][] = [];
const notes: string[] = [];

for (const c of CASES) {
  const server = await c.start();
  const target = `127.0.0.1:${server.port}`;
  try {
    // Warm the in-process engine once, then measure.
    await scanEndpoint({ host: '127.0.0.1', port: server.port }, { quick: true });
    const enumMs: number[] = [];
    const serverCpu: number[] = [];
    const pid = listenerPid(server.port);
    let report: ScanReport | undefined;
    for (let i = 0; i < 9; i++) {
      const cpu0 = pid === undefined ? 0 : cpuMs(pid);
      const t0 = performance.now();
      report = await scanEndpoint({ host: '127.0.0.1', port: server.port }, { quick: true });
      enumMs.push(performance.now() - t0);
      if (pid !== undefined) serverCpu.push(cpuMs(pid) - cpu0);
    }
    const cliMs: number[] = [];
    const fullMs: number[] = [];
    for (let i = 0; i < 7; i++) {
      cliMs.push(
        (
          await timed(process.execPath, [
            ...wiretightArgv(),
            'scan',
            target,
            '--quick',
            '--format',
            'json',
          ])
        ).ms,
      );
      fullMs.push(
        (await timed(process.execPath, [...wiretightArgv(), 'scan', target, '--format', 'json']))
          .ms,
      );
    }

    let sslscanMs: number | undefined;
    if (sslscan !== undefined) {
      const runs = [];
      for (let i = 0; i < 3; i++)
        runs.push(await timed(sslscan, ['--no-colour', '--xml=-', target]));
      sslscanMs = median(runs.map((r) => r.ms));
      const theirs = sslscanSuites(runs[0]?.stdout ?? '');
      const ours = report === undefined ? new Set<string>() : wiretightSuites(report);
      // sslscan can only offer what its OpenSSL offers; compare on its side of the fence.
      const missed = [...theirs].filter((s) => !ours.has(s));
      const beyond = [...ours].filter((s) => !theirs.has(s));
      notes.push(
        `${c.name}: sslscan ${theirs.size} suites, wiretight ${ours.size}; missed by wiretight: ${missed.length === 0 ? 'none' : missed.join(', ')}; ` +
          `found only by wiretight: ${beyond.length === 0 ? 'none' : beyond.join(', ')}`,
      );
    }
    let testsslMs: number | undefined;
    if (testssl !== undefined) {
      testsslMs = (
        await timed(testssl, ['--quiet', '--color', '0', '--warnings', 'off', '-p', '-E', target])
      ).ms;
    }
    const enumMedian = median(enumMs);
    const cliMedian = median(cliMs);
    rows.push([
      c.name,
      `${fmt(enumMedian)} (${report?.handshakes ?? 0} conn)`,
      serverCpu.length === 0 ? '-' : fmt(median(serverCpu)),
      fmt(cliMedian),
      fmt(median(fullMs)),
      fmt(sslscanMs),
      fmt(testsslMs),
      ratio(sslscanMs, cliMedian),
      ratio(testsslMs, cliMedian),
    ]);
  } finally {
    await server.stop();
  }
}

const header = [
  'server',
  'wiretight enum',
  'server CPU',
  'CLI --quick',
  'CLI full audit',
  'sslscan',
  'testssl.sh -p -E',
  'sslscan/quick',
  'testssl/quick',
];
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const line of tableLines(header, rows)) console.log(line);
console.log('');
for (const n of notes) console.log(n);
if (sslscan === undefined)
  console.log('sslscan not installed (Debian package sslscan): its columns are empty');
if (!quick && testssl === undefined)
  console.log('testssl.sh not installed (Debian package testssl.sh): its column is empty');
