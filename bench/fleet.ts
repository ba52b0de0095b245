// A fleet scan against the anchor tools: 200 loopback endpoints of mixed postures (see
// lib/fleet/layout.ts), scanned in one run by
//   - `wiretight scan --targets FILE --format ndjson --concurrency N`, the full audit (the
//     default), `--quick` and `--grab` for reference, and the full audit again with Node's
//     own heap settings instead of the CLI's `#!` flags: wall time, CPU time, peak RSS (VmHWM);
//   - sslscan over the same endpoints, N at a time (as `xargs -P N` would) and one at a
//     time;
//   - `testssl --parallel --file FILE` on a sample (a full run takes about a minute per
//     endpoint), extrapolated to the fleet and labelled as such;
// with the CPU the servers spent answering each; then the ratios, whether wiretight meets
// its target (200 endpoints in under 30 s on this machine, peak RSS under 300 MB), and a
// sanity check: what wiretight reported against what was built, and where its time went.
//
//   npm run bench:fleet                              everything (testssl on 10 endpoints)
//   npm run bench:fleet -- --quick                   skip the serial sslscan loop and testssl
//   npm run bench:fleet -- --testssl-sample all      testssl on all 200 (hours, not minutes)
//   npm run bench:fleet -- --concurrency 32 --runs 5 --endpoints 200
//
// Needs nginx, openssl and gnutls-serv; sslscan, testssl.sh and GNU time (Debian packages
// sslscan, testssl.sh, time) for the anchors and the CPU and RSS columns. Runs the built
// CLI, dist/bin/main.js. Never decides pass/fail: it prints figures for people.
import { mkdtempSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { removeAtExit } from '../test/helpers/cleanup.ts';
import { makeTestPki } from '../test/helpers/pki.ts';
import { findProgram } from '../test/helpers/tools.ts';
import { formatMs, ratio, tableLines } from './lib/format.ts';
import { GNU_TIME } from './lib/measure.ts';
import { childProcessGroups, groupCpuMs } from './lib/proc.ts';
import { median } from './lib/stats.ts';
import { type LoopCost, sslscanLoop, testsslMass } from './lib/fleet/anchors.ts';
import { fleetLayout } from './lib/fleet/layout.ts';
import { type FleetCheck, postureLines, sanityLines } from './lib/fleet/sanity.ts';
import { startFleet } from './lib/fleet/start.ts';
import { type FleetScan, type FleetScanOptions, scanFleet } from './lib/fleet/wiretight.ts';

const TARGET = { endpoints: 200, wallMs: 30_000, rssBytes: 300e6 };

const { values: args } = parseArgs({
  options: {
    endpoints: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '3' },
    'testssl-sample': { type: 'string', default: '10' },
    quick: { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`--${name}: expected a positive integer, got ${text}`);
  }
  return n;
}

const size = positive('endpoints', args.endpoints);
const concurrency = positive('concurrency', args.concurrency);
const runs = positive('runs', args.runs);
const sampleArg = args['testssl-sample'];
const sample = sampleArg === 'all' ? size : Math.min(size, positive('testssl-sample', sampleArg));

const sslscan = findProgram('sslscan');
const testssl = args.quick ? undefined : (findProgram('testssl') ?? findProgram('testssl.sh'));
const work = mkdtempSync(join(tmpdir(), 'wiretight-bench-fleet-'));
removeAtExit(work);

const pki = await makeTestPki();
const fleet = await startFleet(fleetLayout(size), pki);
// Taken now, while the servers are this process's only children.
const serverGroups = childProcessGroups();

/** What `fn` cost the servers of the fleet in CPU time. */
async function onServers<T>(fn: () => Promise<T>): Promise<{ result: T; serverCpuMs: number }> {
  const before = groupCpuMs(serverGroups);
  const result = await fn();
  return { result, serverCpuMs: groupCpuMs(serverGroups) - before };
}

interface Row {
  readonly label: string;
  readonly endpoints: number;
  readonly wallMs: number;
  readonly cpuMs?: number | undefined;
  readonly peakRssKiB?: number | undefined;
  readonly serverCpuMs?: number | undefined;
}

const rows: Row[] = [];
const notes: string[] = [];
const checks: {
  full?: FleetCheck;
  quick?: FleetCheck;
  grab?: FleetCheck;
  nodeDefaults?: FleetCheck;
} = {};

/** Medians over the runs (the largest peak RSS), and the worst run's sanity check. */
function wiretightRow(label: string, scans: { scan: FleetScan; serverCpuMs: number }[]): Row {
  const costs = scans.map((s) => s.scan.cost);
  const all = <K extends 'cpuMs' | 'peakRssKiB'>(k: K): number[] | undefined =>
    costs.every((c) => c[k] !== undefined) ? costs.map((c) => c[k] ?? 0) : undefined;
  const cpu = all('cpuMs');
  const rss = all('peakRssKiB');
  return {
    label: `${label}${runs > 1 ? ` (median of ${runs})` : ''}`,
    endpoints: size,
    wallMs: median(costs.map((c) => c.ms)),
    cpuMs: cpu === undefined ? undefined : median(cpu),
    peakRssKiB: rss === undefined ? undefined : Math.max(...rss),
    serverCpuMs: median(scans.map((s) => s.serverCpuMs)),
  };
}

function loopRow(label: string, c: LoopCost, serverCpuMs: number): Row {
  if (c.failed > 0) notes.push(`${label}: ${c.failed} of ${c.endpoints} runs exited non-zero`);
  return { label, ...c, serverCpuMs };
}

const worst = (a: FleetCheck | undefined, b: FleetCheck): FleetCheck =>
  a === undefined || b.wrong.length > a.wrong.length ? b : a;

try {
  type Measured = { scan: FleetScan; serverCpuMs: number }[];
  const full: Measured = [];
  const quick: Measured = [];
  const grab: Measured = [];
  const nodeDefaults: Measured = [];
  const opts = { dir: work, concurrency, caFile: pki.root.cert };
  const measure = async (into: Measured, o: Omit<FleetScanOptions, keyof typeof opts>) => {
    const m = await onServers(() => scanFleet(fleet.endpoints, { ...opts, ...o }));
    into.push({ scan: m.result, serverCpuMs: m.serverCpuMs });
    return m.result.check;
  };
  // The kinds alternate, so that a noisy moment on the machine hits all alike.
  for (let i = 0; i < runs; i++) {
    checks.full = worst(checks.full, await measure(full, { mode: 'full' }));
    checks.quick = worst(checks.quick, await measure(quick, { mode: 'quick' }));
    checks.grab = worst(checks.grab, await measure(grab, { mode: 'grab' }));
    // The same full audit with Node's own heap settings: what the CLI's #! flags buy.
    checks.nodeDefaults = worst(
      checks.nodeDefaults,
      await measure(nodeDefaults, { mode: 'full', nodeDefaults: true }),
    );
  }
  rows.push(wiretightRow(`wiretight full audit, --concurrency ${concurrency}`, full));
  rows.push(wiretightRow(`wiretight --quick, --concurrency ${concurrency}`, quick));
  rows.push(wiretightRow(`wiretight --grab, --concurrency ${concurrency}`, grab));
  rows.push(wiretightRow(`wiretight full audit, Node's default heap (no #! flags)`, nodeDefaults));

  if (sslscan !== undefined) {
    const parallel = await onServers(() => sslscanLoop(sslscan, fleet.endpoints, concurrency));
    rows.push(loopRow(`sslscan, ${concurrency} at a time`, parallel.result, parallel.serverCpuMs));
    if (!args.quick) {
      const serial = await onServers(() => sslscanLoop(sslscan, fleet.endpoints, 1));
      rows.push(loopRow('sslscan, one at a time', serial.result, serial.serverCpuMs));
    }
  }
  if (testssl !== undefined) {
    // The layout interleaves its postures, so any prefix of the fleet is a mix of them.
    const picked = fleet.endpoints.slice(0, sample);
    const parallel = Math.min(concurrency, sample);
    const t = await onServers(() =>
      testsslMass(testssl, picked, { parallel, caFile: pki.root.cert, dir: work }),
    );
    rows.push(loopRow(`testssl --parallel (${parallel} at a time)`, t.result, t.serverCpuMs));
    if (sample < size) {
      const scale = size / sample;
      const c = t.result;
      rows.push({
        label: `testssl --parallel, EXTRAPOLATED from ${sample} (x${scale.toFixed(1)})`,
        endpoints: size,
        wallMs: c.wallMs * scale,
        cpuMs: c.cpuMs === undefined ? undefined : c.cpuMs * scale,
        serverCpuMs: t.serverCpuMs * scale,
      });
      notes.push(
        `testssl.sh ran on the first ${sample} endpoints (a mix of postures); the EXTRAPOLATED ` +
          'row scales its times linearly to the whole fleet: an estimate, not a measurement',
      );
    }
  }
} finally {
  await fleet.stop();
}

const mb = (kib: number | undefined): string =>
  kib === undefined ? '-' : `${((kib * 1024) / 1e6).toFixed(0)} MB`;
const [fullRow, quickRow] = rows;
const kinds = new Map<string, number>();
for (const e of fleet.endpoints) kinds.set(e.posture.kind, (kinds.get(e.posture.kind) ?? 0) + 1);

console.log(
  `node ${process.version}, ${new Date().toISOString()}, ` +
    `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'})`,
);
console.log(
  `fleet: ${size} loopback endpoints (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), ` +
    'an address each (s_server: 127.0.0.1); wiretight with --ca <test root> --no-fetch',
);
console.log('');
const header = [
  'tool',
  'endpoints',
  'wall',
  'per endpoint',
  'CPU user+sys',
  'peak RSS',
  'server CPU',
  'wall/full',
  'wall/quick',
];
const cells = (r: Row): string[] => [
  r.label,
  String(r.endpoints),
  formatMs(r.wallMs),
  formatMs(r.wallMs / r.endpoints),
  formatMs(r.cpuMs),
  mb(r.peakRssKiB),
  formatMs(r.serverCpuMs),
  ratio(r.wallMs, fullRow?.wallMs),
  ratio(r.wallMs, quickRow?.wallMs),
];
for (const line of tableLines(header, rows.map(cells))) console.log(line);
console.log('');
if (fullRow !== undefined) {
  const wallOk = fullRow.wallMs < TARGET.wallMs;
  const rss = fullRow.peakRssKiB;
  const rssVerdict =
    rss === undefined ? 'not measured' : rss * 1024 < TARGET.rssBytes ? 'met' : 'MISSED';
  const scope =
    size === TARGET.endpoints ? '' : ` (this fleet has ${size} endpoints: not the target's)`;
  console.log(
    `target, ${TARGET.endpoints} endpoints, full audit: wall ${formatMs(fullRow.wallMs)} < 30 s ` +
      `${wallOk ? 'met' : 'MISSED'}; peak RSS ${mb(rss)} < 300 MB ${rssVerdict}${scope}`,
  );
}
if (checks.full !== undefined) {
  console.log('');
  console.log(`sanity check, full audit${runs > 1 ? ' (the run with most mismatches)' : ''}:`);
  for (const line of sanityLines(checks.full)) console.log(`  ${line}`);
  console.log('');
  for (const line of postureLines(checks.full)) console.log(`  ${line}`);
}
for (const [label, check] of [
  ['--quick', checks.quick],
  ['--grab', checks.grab],
  ["full audit with Node's default heap", checks.nodeDefaults],
] as const) {
  if (check === undefined) continue;
  const wrong = check.wrong;
  console.log('');
  console.log(
    `sanity check, ${label}: ${wrong.length === 0 ? 'every endpoint reported as built' : `MISMATCH on ${wrong.length} endpoints: ${wrong.slice(0, 5).join('; ')}`}`,
  );
}
if (GNU_TIME === undefined)
  notes.push('GNU time not installed (Debian package time): no CPU or RSS figures');
if (sslscan === undefined) notes.push('sslscan not installed (Debian package sslscan): no rows');
if (!args.quick && testssl === undefined)
  notes.push('testssl.sh not installed (Debian package testssl.sh): no rows');
if (notes.length > 0) console.log('');
for (const n of notes) console.log(n);
