// `wiretight scan` over the whole fleet, as a user runs it: the built CLI, a targets file,
// NDJSON to a file, bounded concurrency, the test CA trusted and nothing fetched.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProcessCost, measureProcess } from '../measure.ts';
import { WIRETIGHT_CLI, wiretightArgv } from '../run.ts';
import { FLEET_SNI } from './layout.ts';
import { type FleetCheck, checkFleet } from './sanity.ts';
import type { FleetEndpoint } from './start.ts';

export interface FleetScanOptions {
  /** Where the targets file and the NDJSON go. */
  readonly dir: string;
  readonly concurrency: number;
  /** PEM trust anchor passed with --ca. */
  readonly caFile: string;
  /** The full audit, `--quick` or `--grab`. */
  readonly mode: 'full' | 'quick' | 'grab';
  /**
   * Run Node with its own defaults instead of the flags of the CLI's `#!` line: the
   * measurement those flags are set by.
   */
  readonly nodeDefaults?: boolean;
}

/** The process's cost, and its reports set against the fleet built. */
export interface FleetScan {
  readonly cost: ProcessCost;
  readonly check: FleetCheck;
}

/** One line per endpoint: its address and port, and the name its certificate is for. */
export function targetsFile(endpoints: readonly FleetEndpoint[]): string {
  return endpoints.map((e) => `${e.host}:${e.port} sni=${FLEET_SNI}\n`).join('');
}

/** Runs `wiretight scan --targets … --format ndjson` once; throws when it fails to run. */
export async function scanFleet(
  endpoints: readonly FleetEndpoint[],
  opts: FleetScanOptions,
): Promise<FleetScan> {
  const targets = join(opts.dir, 'targets.txt');
  writeFileSync(targets, targetsFile(endpoints));
  const out = join(
    opts.dir,
    `${opts.mode}${opts.nodeDefaults === true ? '-node-defaults' : ''}.ndjson`,
  );
  const cost = await measureProcess(process.execPath, [
    ...(opts.nodeDefaults === true ? [WIRETIGHT_CLI] : wiretightArgv()),
    'scan',
    '--targets',
    targets,
    '--format',
    'ndjson',
    '--output',
    out,
    '--concurrency',
    String(opts.concurrency),
    '--ca',
    opts.caFile,
    '--no-fetch',
    ...(opts.mode === 'full' ? [] : [`--${opts.mode}`]),
  ]);
  // 3 is expected: the fleet has plaintext and closed ports on purpose.
  if (cost.timedOut || (cost.code !== 0 && cost.code !== 3)) {
    throw new Error(
      `wiretight scan exited ${cost.code ?? cost.signal}: ${cost.stderr.slice(-2000)}`,
    );
  }
  return { cost, check: checkFleet(endpoints, readFileSync(out, 'utf8')) };
}
