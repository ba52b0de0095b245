// The anchor tools over the same fleet: sslscan in a loop (one at a time, and N at once
// as `xargs -P N` would run it) and testssl.sh's own mass testing (`--parallel --file`).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ProcessCost, measureProcess } from '../measure.ts';
import { mapBounded } from '../pool.ts';
import { FLEET_SNI } from './layout.ts';
import type { FleetEndpoint } from './start.ts';

/** What a loop of separate processes cost in all. */
export interface LoopCost {
  readonly endpoints: number;
  readonly wallMs: number;
  /** Summed over the processes; undefined without /usr/bin/time. */
  readonly cpuMs?: number;
  /** The largest of the processes' peaks, in KiB. */
  readonly peakRssKiB?: number;
  /** Processes that exited non-zero or timed out. */
  readonly failed: number;
}

const where = (e: FleetEndpoint): string => `${e.host}:${e.port}`;

function sumCosts(endpoints: number, wallMs: number, runs: readonly ProcessCost[]): LoopCost {
  const measured = runs.every((r) => r.cpuMs !== undefined && r.peakRssKiB !== undefined);
  return {
    endpoints,
    wallMs,
    ...(measured
      ? {
          cpuMs: runs.reduce((sum, r) => sum + (r.cpuMs ?? 0), 0),
          peakRssKiB: Math.max(...runs.map((r) => r.peakRssKiB ?? 0)),
        }
      : {}),
    failed: runs.filter((r) => r.code !== 0 || r.timedOut).length,
  };
}

/**
 * `sslscan --sni-name=localhost ADDRESS:PORT` for every endpoint, `parallel` at a time,
 * output discarded.
 */
export async function sslscanLoop(
  sslscan: string,
  endpoints: readonly FleetEndpoint[],
  parallel: number,
): Promise<LoopCost> {
  const t0 = performance.now();
  const runs = await mapBounded(endpoints, parallel, (e) =>
    measureProcess(sslscan, ['--no-colour', `--sni-name=${FLEET_SNI}`, where(e)], {
      captureStdout: false,
      timeoutMs: 300_000,
    }),
  );
  return sumCosts(endpoints.length, performance.now() - t0, runs);
}

/**
 * `testssl --parallel --file FILE`: its default full run on every endpoint, at most
 * `parallel` at once (its MAX_PARALLEL), trusting `caFile` as wiretight does. The file
 * holds one command line per endpoint (`--ip ADDRESS localhost:PORT`: the name for SNI
 * and the certificate check, the address to connect to); the options given with --file
 * apply to each.
 */
export async function testsslMass(
  testssl: string,
  endpoints: readonly FleetEndpoint[],
  opts: { parallel: number; caFile: string; dir: string },
): Promise<LoopCost> {
  const file = join(opts.dir, 'testssl-targets.txt');
  await writeFile(file, endpoints.map((e) => `--ip ${e.host} ${FLEET_SNI}:${e.port}\n`).join(''));
  const run = await measureProcess(
    testssl,
    ['--quiet', '--color', '0', '--add-ca', opts.caFile, '--parallel', '--file', file],
    {
      captureStdout: false,
      cwd: opts.dir,
      env: { ...process.env, MAX_PARALLEL: String(opts.parallel) },
      timeoutMs: 4 * 3600_000,
    },
  );
  return sumCosts(endpoints.length, run.ms, [run]);
}
