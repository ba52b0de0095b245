// The pure parts of the CA bench: Retry-After, rates, verdicts, the report, and the
// arguments it gives pebble, pebble-challtestsrv and lego.
//   node_modules/.bin/node --test bench/lib/ca/*.test.ts
import assert from 'node:assert/strict';
import test from 'node:test';
import type { LoadResult } from './acme-load.ts';
import { legoArgs } from './lego.ts';
import { PEBBLE_FLAVOURS, challtestsrvArgs, pebbleConfig } from './pebble.ts';
import {
  type CaBenchResults,
  TABLE_HEADER,
  TARGETS,
  acmeFigures,
  legoFigures,
  reportLines,
  summaryRows,
  verdict,
} from './report.ts';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-after.ts';
import { formatRate, throughput } from './throughput.ts';

test('Retry-After: seconds, HTTP dates, clamps, and the fallback for anything else', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs(undefined, 100, now), 100);
  assert.equal(retryAfterMs('1', 100, now), 1000);
  assert.equal(retryAfterMs(' 0 ', 100, now), 0);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', 100, now), 3000);
  // A date in the past means now; one far ahead, or a huge count, is clamped.
  assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', 100, now), 0);
  assert.equal(retryAfterMs('86400', 100, now), MAX_RETRY_AFTER_MS);
  assert.equal(retryAfterMs('99999999999999999999', 100, now), 100);
  for (const junk of [
    '',
    '-1',
    '1.5',
    'soon',
    '1e3',
    '0x10',
    '12 apples',
    'Thu, 32 Jan 2026 00:00:03 GMT',
    'Thursday, 01-Jan-26 00:00:03 UTC',
  ]) {
    assert.equal(retryAfterMs(junk, 100, now), 100, junk);
  }
});

test('throughput: per wall second and per CPU second; bad figures are RangeErrors', () => {
  const t = throughput(500, 250, 200);
  assert.equal(t.perSecond, 2000);
  assert.equal(t.perCpuSecond, 2500);
  assert.equal(throughput(1, 1, 0).perCpuSecond, Infinity);
  assert.throws(() => throughput(-1, 1, 1), RangeError);
  assert.throws(() => throughput(1.5, 1, 1), RangeError);
  assert.throws(() => throughput(1, 0, 1), RangeError);
  assert.throws(() => throughput(1, 1, Number.NaN), RangeError);
  assert.equal(formatRate(2345.6), '2,346/s');
  assert.equal(formatRate(12.2, '/CPU-s'), '12/CPU-s');
  assert.equal(formatRate(undefined), '-');
  assert.equal(formatRate(Infinity), '-');
});

test('verdict: met, or missed by how much relative to the target', () => {
  assert.equal(verdict(2000, 2000, true), 'met');
  assert.equal(verdict(1500, 2000, true), 'MISSED by 25%');
  assert.equal(verdict(999, 1000, false), 'met');
  assert.equal(verdict(1000, 1000, false), 'MISSED by 0%');
  assert.equal(verdict(1500, 1000, false), 'MISSED by 50%');
  assert.equal(verdict(undefined, 1000, false), 'not measured');
});

const load = (over: Partial<LoadResult> = {}): LoadResult => ({
  orders: 4,
  concurrency: 2,
  wallMs: 40,
  clientCpuMs: 20,
  serverCpuMs: 12,
  latenciesMs: [10, 40, 20, 30],
  steps: [1, 2, 3, 4].map((n) => ({ newOrder: n, authorize: 2 * n, finalize: 3 * n, download: 1 })),
  requests: [5, 7, 5, 6],
  errors: [],
  failed: 0,
  ...over,
});

test('acmeFigures: rate of completed orders, percentiles, step medians, CPU per order', () => {
  const f = acmeFigures(load());
  assert.equal(f.ordersPerSecond, 100);
  assert.equal(f.p50Ms, 20);
  assert.equal(f.p99Ms, 40);
  assert.deepEqual(f.stepsP50Ms, { newOrder: 2.5, authorize: 5, finalize: 7.5, download: 1 });
  assert.equal(f.serverCpuMsPerOrder, 3);
  assert.equal(f.clientCpuMsPerOrder, 5);
  assert.equal(f.requestsP50, 5.5);
  assert.equal(f.stalledAfterOrders, undefined);
  assert.equal(acmeFigures(load({ stalledAfterOrders: 3 })).stalledAfterOrders, 3);
  // Failed orders do not count as done; a run where none completed has no percentiles.
  const failed = acmeFigures(
    load({ latenciesMs: [10], steps: [], failed: 3, errors: ['x'], serverCpuMs: undefined }),
  );
  assert.equal(failed.ordersPerSecond, 25);
  assert.equal(failed.serverCpuMsPerOrder, undefined);
  const none = acmeFigures(load({ latenciesMs: [], steps: [], requests: [], failed: 4 }));
  assert.equal(none.p50Ms, undefined);
  assert.equal(none.requestsP50, undefined);
  assert.equal(none.stepsP50Ms, undefined);
});

test('legoFigures: the median of the runs that succeeded, failures listed apart', () => {
  const f = legoFigures([{ ms: 300 }, { ms: 100, error: 'lego exit 1' }, { ms: 200 }, { ms: 900 }]);
  assert.deepEqual(f.runsMs, [300, 200, 900]);
  assert.equal(f.medianMs, 300);
  assert.deepEqual(f.failures, ['lego exit 1']);
  assert.equal(legoFigures([{ ms: 1, error: 'x' }]).medianMs, undefined);
});

const results = (over: Partial<CaBenchResults> = {}): CaBenchResults => ({
  environment: {
    node: 'v24.0.0',
    nodeOpenssl: '3.5.0',
    opensslCli: 'OpenSSL 3.0.0',
    cpus: 2,
    cpuModel: 'test CPU',
    loadAverage: '0.00 0.00 0.00',
    pebble: '2.4.0',
    lego: '4.9.1',
    acmeStore: 'memory',
    date: '2026-01-01T00:00:00.000Z',
  },
  settings: { certificates: 100, orders: 4, concurrency: 2, runs: 3, pollMs: 100 },
  library: {
    issue: throughput(100, 40, 40),
    issueFromCsr: throughput(100, 200, 200),
    problems: [],
  },
  acme: { wiretight: acmeFigures(load()), pebble: acmeFigures(load({ wallMs: 80 })) },
  lego: {
    wiretight: legoFigures([{ ms: 200 }]),
    pebbleShipped: legoFigures([{ ms: 6000 }]),
    pebbleFast: legoFigures([{ ms: 5000 }]),
  },
  notes: ['a note'],
  ...over,
});

test('summary rows: one cell per column, targets judged, advantage the right way round', () => {
  const rows = summaryRows(results());
  for (const row of rows) assert.equal(row.length, TABLE_HEADER.length, row[0]);
  const byLabel = (start: string): string[] => rows.find((r) => r[0]!.startsWith(start))!;
  assert.deepEqual(byLabel('library issue()').slice(1), [
    '2,500/s (2,500/CPU-s)',
    '-',
    '-',
    '≥ 2,000/s per core',
    'met',
  ]);
  assert.equal(byLabel('library issueFromCsr()')[5], 'MISSED by 75%');
  // Rates: wiretight ÷ pebble; times: pebble ÷ wiretight.
  assert.deepEqual(byLabel('ACME orders/s').slice(1), [
    '100/s',
    '50/s',
    '2.0x',
    `≥ ${TARGETS.acmeOrdersPerSecond}/s`,
    'met',
  ]);
  assert.deepEqual(byLabel('ACME orders per server CPU-second').slice(1, 4), [
    '333/s',
    '333/s',
    '1.0x',
  ]);
  const shipped = byLabel('lego run, 1 order (median of 3), pebble as shipped');
  assert.deepEqual(shipped.slice(1), ['200 ms', '6.00 s', '30.0x', '< 1.00 s', 'met']);
  assert.equal(byLabel('lego run, 1 order (median of 3), pebble NOSLEEP')[3], '25.0x');
});

test('a pebble measured at another concurrency says so in its cell', () => {
  const rows = summaryRows(
    results({
      acme: { wiretight: acmeFigures(load()), pebble: acmeFigures(load({ concurrency: 1 })) },
    }),
  );
  assert.equal(rows.find((r) => r[0]!.startsWith('ACME orders/s'))![2], '100/s (1 concurrent)');
});

test('summary rows without pebble or lego: dashes, never NaN or a crash', () => {
  const rows = summaryRows(results({ acme: { wiretight: acmeFigures(load()) }, lego: {} }));
  const text = rows.flat().join(' ');
  assert.doesNotMatch(text, /NaN|undefined|Infinity/);
  assert.equal(rows.find((r) => r[0]!.startsWith('lego'))![5], 'not measured');
  const nothing = { ...results({ acme: {}, lego: {}, notes: [] }) };
  delete (nothing as { library?: unknown }).library;
  const lines = reportLines(nothing);
  assert.doesNotMatch(lines.join('\n'), /lego runs/);
  assert.match(lines.join('\n'), /library issue\(\).* - +- +- +≥ 2,000\/s per core +not measured/);
  assert.doesNotMatch(lines.join('\n'), /NaN|undefined/);
});

test('the text report carries the table, the steps and the notes', () => {
  const text = reportLines(results()).join('\n');
  assert.match(text, /^node v24\.0\.0 \(OpenSSL 3\.5\.0\), OpenSSL 3\.0\.0, 2 cores \(test CPU\)/);
  assert.match(text, /^measure +wiretight +pebble +advantage +target +verdict$/m);
  assert.match(text, /^ {2}authorize +5 ms +5 ms$/m);
  assert.match(text, /^ {2}HTTP requests per order +5\.5 +5\.5$/m);
  assert.match(text, /PEBBLE_VA_NOSLEEP=1/);
  assert.match(text, /a note$/);
  assert.match(
    text,
    /^lego runs: wiretight 200 ms; pebble as shipped 6\.00 s; pebble NOSLEEP 5\.00 s$/m,
  );
});

test('pebble: its config, the mock DNS arguments and the two flavours', () => {
  const config = pebbleConfig({
    port: 14000,
    managementPort: 15000,
    certificate: '/c.pem',
    privateKey: '/k.pem',
    httpPort: 5002,
    tlsPort: 5001,
  });
  assert.deepEqual(config.pebble, {
    listenAddress: '127.0.0.1:14000',
    managementListenAddress: '127.0.0.1:15000',
    certificate: '/c.pem',
    privateKey: '/k.pem',
    httpPort: 5002,
    tlsPort: 5001,
    ocspResponderURL: '',
    externalAccountBindingRequired: false,
  });
  const args = challtestsrvArgs(8053, 8055);
  const flag = (name: string): string | undefined => args[args.indexOf(name) + 1];
  assert.equal(flag('-defaultIPv4'), '127.0.0.1');
  assert.equal(flag('-defaultIPv6'), '');
  assert.equal(flag('-dns01'), '127.0.0.1:8053');
  assert.equal(flag('-management'), '127.0.0.1:8055');
  for (const off of ['-http01', '-https01', '-tlsalpn01']) assert.equal(flag(off), '', off);
  assert.deepEqual(PEBBLE_FLAVOURS.shipped, {});
  assert.equal(PEBBLE_FLAVOURS.fast.PEBBLE_VA_NOSLEEP, '1');
  // Validation is never skipped, in either flavour.
  for (const env of Object.values(PEBBLE_FLAVOURS))
    assert.equal('PEBBLE_VA_ALWAYS_VALID' in env, false);
});

test('lego: http-01 on the bench port, one domain, run', () => {
  assert.deepEqual(legoArgs({ httpPort: 5002, domain: 'a.bench.test' }), [
    '--http',
    '--http.port',
    '127.0.0.1:5002',
    '--domains',
    'a.bench.test',
    'run',
  ]);
});
