// The CA bench's figures, as one JSON document (--json) and as the table people read:
// wiretight and pebble side by side, how many times faster wiretight is, and each target
// of the issue with whether this run met it. Pure functions of the measurements.
import { formatMs, ratio, tableLines } from '../format.ts';
import { median, percentile } from '../stats.ts';
import type { OrderSteps } from './acme-client.ts';
import type { LoadResult } from './acme-load.ts';
import { type Throughput, formatRate } from './throughput.ts';

/** The issue's targets. */
export const TARGETS = {
  /** ECDSA P-256 certificates per CPU-second through the library. */
  libraryPerCpuSecond: 2000,
  /** ACME orders per second on one node, concurrent client. */
  acmeOrdersPerSecond: 100,
  /** One lego order end to end on loopback. */
  legoOrderMs: 1000,
} as const;

export interface AcmeFigures {
  readonly orders: number;
  readonly concurrency: number;
  readonly completed: number;
  readonly failed: number;
  readonly errors: readonly string[];
  readonly wallMs: number;
  readonly ordersPerSecond: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  /** Median HTTP requests per order (polls and nonce fetches included). */
  readonly requestsP50: number | undefined;
  /** Medians per step of an order. */
  readonly stepsP50Ms: Readonly<Record<keyof OrderSteps, number>> | undefined;
  readonly serverCpuMsPerOrder: number | undefined;
  readonly clientCpuMsPerOrder: number;
  /** The server stopped answering after this many timed orders (figures are theirs). */
  readonly stalledAfterOrders?: number;
}

/** What an ACME run amounts to. */
export function acmeFigures(load: LoadResult): AcmeFigures {
  const done = load.latenciesMs.length;
  const stepMedian = (k: keyof OrderSteps): number => median(load.steps.map((s) => s[k]));
  return {
    orders: load.orders,
    concurrency: load.concurrency,
    completed: done,
    failed: load.failed,
    errors: load.errors,
    wallMs: load.wallMs,
    ordersPerSecond: done === 0 ? 0 : (done * 1000) / load.wallMs,
    p50Ms: done === 0 ? undefined : percentile(load.latenciesMs, 50),
    p99Ms: done === 0 ? undefined : percentile(load.latenciesMs, 99),
    requestsP50: load.requests.length === 0 ? undefined : median(load.requests),
    stepsP50Ms:
      load.steps.length === 0
        ? undefined
        : {
            newOrder: stepMedian('newOrder'),
            authorize: stepMedian('authorize'),
            finalize: stepMedian('finalize'),
            download: stepMedian('download'),
          },
    serverCpuMsPerOrder:
      load.serverCpuMs === undefined ? undefined : load.serverCpuMs / Math.max(1, done),
    clientCpuMsPerOrder: load.clientCpuMs / Math.max(1, done),
    ...(load.stalledAfterOrders === undefined
      ? {}
      : { stalledAfterOrders: load.stalledAfterOrders }),
  };
}

export interface LegoFigures {
  /** Wall times of the runs that succeeded. */
  readonly runsMs: readonly number[];
  readonly medianMs: number | undefined;
  readonly failures: readonly string[];
}

export function legoFigures(runs: readonly { ms: number; error?: string }[]): LegoFigures {
  const ok = runs.filter((r) => r.error === undefined).map((r) => r.ms);
  return {
    runsMs: ok,
    medianMs: ok.length === 0 ? undefined : median(ok),
    failures: runs.flatMap((r) => (r.error === undefined ? [] : [r.error])),
  };
}

/** Where the figures were taken: the header of the report. */
export interface BenchEnvironment {
  readonly node: string;
  /** The OpenSSL inside Node (what wiretight and the bench's client use). */
  readonly nodeOpenssl: string;
  /** `openssl version` of the system CLI (the sample checks). */
  readonly opensslCli: string;
  readonly cpus: number;
  readonly cpuModel: string;
  /** The 1, 5 and 15 minute load averages when the bench started. */
  readonly loadAverage: string;
  /** Debian package versions. */
  readonly pebble: string;
  readonly lego: string;
  /** Which ACME store `ca serve` ran on. */
  readonly acmeStore: string;
  readonly date: string;
}

export interface CaBenchResults {
  readonly environment: BenchEnvironment;
  readonly settings: {
    readonly certificates: number;
    readonly orders: number;
    readonly concurrency: number;
    readonly runs: number;
    readonly pollMs: number;
  };
  readonly library?: {
    readonly issue: Throughput;
    readonly issueFromCsr: Throughput;
    readonly problems: readonly string[];
  };
  readonly acme: {
    readonly wiretight?: AcmeFigures | undefined;
    readonly pebble?: AcmeFigures | undefined;
  };
  readonly lego: {
    readonly wiretight?: LegoFigures;
    readonly pebbleShipped?: LegoFigures;
    readonly pebbleFast?: LegoFigures;
  };
  readonly notes: readonly string[];
}

/** `met`, or `MISSED by 23%` (how far short of the target, relative to it). */
export function verdict(
  value: number | undefined,
  target: number,
  higherIsBetter: boolean,
): string {
  if (value === undefined) return 'not measured';
  const ok = higherIsBetter ? value >= target : value < target;
  if (ok) return 'met';
  const short = higherIsBetter ? (target - value) / target : (value - target) / target;
  return `MISSED by ${(short * 100).toFixed(0)}%`;
}

export const TABLE_HEADER = [
  'measure',
  'wiretight',
  'pebble',
  'advantage',
  'target',
  'verdict',
] as const;

/** What the advantage column means, for the legend under the table. */
export const ADVANTAGE_LEGEND =
  "advantage: how many times better wiretight's figure is than pebble's (rates: wiretight ÷ pebble; " +
  'times and CPU: pebble ÷ wiretight); below 1.0x pebble is better';

const perSecond = (cpuMsPerOrder: number | undefined): number | undefined =>
  cpuMsPerOrder === undefined || cpuMsPerOrder <= 0 ? undefined : 1000 / cpuMsPerOrder;

function libraryRow(label: string, t: Throughput | undefined): string[] {
  const per = t?.perCpuSecond;
  return [
    label,
    t === undefined ? '-' : `${formatRate(t.perSecond)} (${formatRate(per, '/CPU-s')})`,
    '-',
    '-',
    `≥ ${formatRate(TARGETS.libraryPerCpuSecond)} per core`,
    verdict(per, TARGETS.libraryPerCpuSecond, true),
  ];
}

function legoRow(
  label: string,
  wt: LegoFigures | undefined,
  pb: LegoFigures | undefined,
): string[] {
  return [
    label,
    formatMs(wt?.medianMs),
    formatMs(pb?.medianMs),
    ratio(pb?.medianMs, wt?.medianMs),
    `< ${formatMs(TARGETS.legoOrderMs)}`,
    verdict(wt?.medianMs, TARGETS.legoOrderMs, false),
  ];
}

/** The rows of the summary table (TABLE_HEADER's columns). */
export function summaryRows(r: CaBenchResults): string[][] {
  const { certificates, orders, concurrency, runs } = r.settings;
  const wt = r.acme.wiretight;
  const pb = r.acme.pebble;
  const wtCapacity = perSecond(wt?.serverCpuMsPerOrder);
  const pbCapacity = perSecond(pb?.serverCpuMsPerOrder);
  const rows: string[][] = [
    libraryRow(`library issue(), ${certificates} P-256 leaves, 1 thread`, r.library?.issue),
    libraryRow(`library issueFromCsr(), ${certificates} CSRs, 1 thread`, r.library?.issueFromCsr),
    [
      `ACME orders/s, ${concurrency} concurrent, ${orders} orders`,
      formatRate(wt?.ordersPerSecond),
      // A pebble that deadlocked at the bench's concurrency is measured again at a lower one.
      pb === undefined || pb.concurrency === concurrency
        ? formatRate(pb?.ordersPerSecond)
        : `${formatRate(pb.ordersPerSecond)} (${pb.concurrency} concurrent)`,
      ratio(wt?.ordersPerSecond, pb?.ordersPerSecond),
      `≥ ${formatRate(TARGETS.acmeOrdersPerSecond)}`,
      verdict(wt?.ordersPerSecond, TARGETS.acmeOrdersPerSecond, true),
    ],
    [
      'ACME orders per server CPU-second',
      formatRate(wtCapacity),
      formatRate(pbCapacity),
      ratio(wtCapacity, pbCapacity),
      '',
      '',
    ],
  ];
  for (const [label, key] of [
    ['ACME order latency p50', 'p50Ms'],
    ['ACME order latency p99', 'p99Ms'],
    ['ACME server CPU per order', 'serverCpuMsPerOrder'],
  ] as const) {
    rows.push([
      label,
      formatMs(wt?.[key]),
      formatMs(pb?.[key]),
      ratio(pb?.[key], wt?.[key]),
      '',
      '',
    ]);
  }
  rows.push([
    'ACME client CPU per order (this process)',
    formatMs(wt?.clientCpuMsPerOrder),
    formatMs(pb?.clientCpuMsPerOrder),
    '',
    '',
    '',
  ]);
  const lego = `lego run, 1 order (median of ${runs})`;
  rows.push(legoRow(`${lego}, pebble as shipped`, r.lego.wiretight, r.lego.pebbleShipped));
  rows.push(legoRow(`${lego}, pebble NOSLEEP`, r.lego.wiretight, r.lego.pebbleFast));
  return rows;
}

/** Per step of an order, the median of each server: where an order's time goes. */
export function stepRows(r: CaBenchResults): string[][] {
  const wt = r.acme.wiretight?.stepsP50Ms;
  const pb = r.acme.pebble?.stepsP50Ms;
  const steps: readonly (keyof OrderSteps)[] = ['newOrder', 'authorize', 'finalize', 'download'];
  const count = (n: number | undefined): string => (n === undefined ? '-' : String(n));
  return [
    ...steps.map((k) => [k, formatMs(wt?.[k]), formatMs(pb?.[k])]),
    [
      'HTTP requests per order',
      count(r.acme.wiretight?.requestsP50),
      count(r.acme.pebble?.requestsP50),
    ],
  ];
}

/** Every lego run, in order: a median of three hides pebble's 5 s-or-not race. */
function legoRunsLine(r: CaBenchResults): string[] {
  const runs = (label: string, f: LegoFigures | undefined): string | undefined =>
    f === undefined || f.runsMs.length === 0
      ? undefined
      : `${label} ${f.runsMs.map((ms) => formatMs(ms)).join(', ')}`;
  const parts = [
    runs('wiretight', r.lego.wiretight),
    runs('pebble as shipped', r.lego.pebbleShipped),
    runs('pebble NOSLEEP', r.lego.pebbleFast),
  ].filter((p) => p !== undefined);
  return parts.length === 0 ? [] : [`lego runs: ${parts.join('; ')}`];
}

/** The whole text report: environment, the table, the steps, how it was measured, notes. */
export function reportLines(r: CaBenchResults): string[] {
  const e = r.environment;
  const lines = [
    `node ${e.node} (OpenSSL ${e.nodeOpenssl}), ${e.opensslCli}, ${e.cpus} cores (${e.cpuModel}), ` +
      `load average ${e.loadAverage} at start, ${e.date}`,
    `pebble ${e.pebble}, lego ${e.lego}; wiretight: ca serve in a child process, ACME store ${e.acmeStore}`,
    '',
    ...tableLines(TABLE_HEADER, summaryRows(r)),
    ADVANTAGE_LEGEND,
    ...legoRunsLine(r),
    '',
    'median time per step of an ACME order, under load:',
    ...tableLines(['step', 'wiretight', 'pebble NOSLEEP'], stepRows(r)).map((l) => `  ${l}`),
    '',
    'library: one distinct P-256 key (issue) or CSR (issueFromCsr) per certificate, made before the ' +
      'clock starts; /CPU-s divides by the process CPU time (user+sys): per core.',
    `ACME: client and server share the machine's ${e.cpus} cores; one account per worker; every order ` +
      'names a fresh DNS name, is validated for real over http-01, and its chain is checked (name, key, ' +
      `signature); polls every ${r.settings.pollMs} ms unless Retry-After says otherwise. pebble validates ` +
      'each challenge from 3 perspectives, wiretight once.',
    'pebble NOSLEEP: PEBBLE_VA_NOSLEEP=1 and PEBBLE_WFE_NONCEREJECT=0 (no artificial sleeps or nonce ' +
      'faults); as shipped: sleeps 0-15 s before validating. lego: fresh account and key per run, the ' +
      'whole process timed. lego polls an authorization 5 s after a challenge answer that is not yet ' +
      "valid and has no Retry-After: pebble's, unless its asynchronous validation wins the race " +
      '(with NOSLEEP it sometimes does); wiretight answers the challenge POST with the validation done.',
  ];
  if (r.notes.length > 0) lines.push('', ...r.notes);
  return lines;
}
