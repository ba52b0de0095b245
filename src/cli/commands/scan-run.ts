import { readFile, stat } from 'node:fs/promises';
import { WiretightError } from '../../errors.ts';
import type { ScanOptions } from '../../scan/engine.ts';
import { type FleetTarget, MAX_TARGET_FILE_BYTES } from '../../scan/fleet/target-list.ts';
import type { ScanReport } from '../../scan/report.ts';
import { EXIT } from '../exit-codes.ts';
import { type CliIo, wantsColor } from '../io.ts';
import { progressLine } from '../progress.ts';
import type * as ScanRuntime from './scan-runtime.ts';
import type { ScanFlags } from './scan.ts';

type Runtime = typeof ScanRuntime;

/**
 * `wiretight scan`: one target prints one report; several (arguments or `--targets`) are
 * scanned `--concurrency` at a time, each report written as soon as it is done, then a
 * summary. Returns the exit code.
 */
export async function runScanCommand(
  args: readonly string[],
  flags: ScanFlags,
  io: CliIo,
): Promise<number> {
  // Loaded here, not at the top: `wiretight --help` should not pay for the scanner.
  const runtime = await import('./scan-runtime.ts');
  const targets = await collectTargets(args, flags, runtime);
  const base = await baseOptions(flags);
  const first = targets[0];
  if (targets.length === 1 && flags.targets === undefined && first !== undefined) {
    const report = await runtime.scanEndpoint(first, optionsFor(first, base));
    io.stdout(render(report, flags, io, runtime));
    return exitCodeOf(report, flags, io, runtime, false);
  }
  return runFleet(targets, base, flags, io, runtime);
}

async function collectTargets(
  args: readonly string[],
  flags: ScanFlags,
  runtime: Runtime,
): Promise<FleetTarget[]> {
  const targets: FleetTarget[] = [];
  for (const [i, text] of args.entries()) {
    let target;
    try {
      target = runtime.parseTarget(text, flags.port);
    } catch (err) {
      if (err instanceof WiretightError) throw usage(err.message);
      throw err;
    }
    if (flags.port !== undefined && /:\d+$/.test(text) && !text.endsWith(`:${flags.port}`)) {
      throw usage(`the target gives port ${target.port} and --port gives ${flags.port}`);
    }
    targets.push({ ...target, source: `argument ${i + 1}` });
  }
  if (flags.targets !== undefined)
    targets.push(...(await readTargetsFile(flags.targets, flags, runtime)));
  if (targets.length === 0) throw usage('give a target, or --targets FILE');
  return targets;
}

async function readTargetsFile(
  path: string,
  flags: ScanFlags,
  runtime: Runtime,
): Promise<FleetTarget[]> {
  try {
    const size = (await stat(path)).size;
    if (size > MAX_TARGET_FILE_BYTES) {
      throw usage(`--targets ${path}: ${size} bytes, more than ${MAX_TARGET_FILE_BYTES}`);
    }
    return runtime.parseTargetList(await readFile(path, 'utf8'), path, flags.port);
  } catch (err) {
    if (err instanceof WiretightError) throw usage(err.message);
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw usage(`--targets ${path}: cannot read it (${code})`);
  }
}

/** The options every target shares: trust, revocation, timeouts, what to run. */
async function baseOptions(flags: ScanFlags): Promise<ScanOptions> {
  const trust = await trustStoreFor(flags.ca);
  return {
    ...(trust === undefined ? {} : { trust }),
    expiryWarningDays: flags.expiryDays ?? 30,
    checkRevocation: flags.revocation,
    ...(flags.fetch ? {} : { fetcher: null }),
    ...(flags.sni === undefined ? {} : { sni: flags.sni === false ? null : flags.sni }),
    timeoutMs: Math.round(flags.timeout * 1000),
    maxConnections: flags.maxConnections,
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    ...(flags.quick === true ? { quick: true } : {}),
    ...(flags.httpPort === undefined ? {} : { httpPort: flags.httpPort }),
  };
}

/** A targets-file line's own `sni=` and `profile=` win over the command line's. */
function optionsFor(target: FleetTarget, base: ScanOptions): ScanOptions {
  return {
    ...base,
    ...(target.sni === undefined ? {} : { sni: target.sni }),
    ...(target.profile === undefined ? {} : { profile: target.profile }),
  };
}

function render(report: ScanReport, flags: ScanFlags, io: CliIo, runtime: Runtime): string {
  return flags.format === 'json'
    ? runtime.renderJson(report)
    : runtime.renderText(report, { color: wantsColor(io, flags.color) });
}

function exitCodeOf(
  report: ScanReport,
  flags: ScanFlags,
  io: CliIo,
  runtime: Runtime,
  fleet: boolean,
): number {
  const where = `${report.target.host}:${report.target.port}`;
  if (!report.tls) {
    return report.plaintext !== undefined && flags.expectPlaintext === true
      ? EXIT.ok
      : EXIT.unreachable;
  }
  const reasons = runtime.failOnReasons(report, flags.failOn);
  const prefix = fleet ? `${where}: ` : '';
  for (const reason of reasons) io.stderr(`wiretight: fail-on: ${prefix}${reason}\n`);
  return reasons.length > 0 ? EXIT.policy : EXIT.ok;
}

async function runFleet(
  targets: readonly FleetTarget[],
  base: ScanOptions,
  flags: ScanFlags,
  io: CliIo,
  runtime: Runtime,
): Promise<number> {
  const tally = new runtime.FleetTally();
  const progress = progressLine(io, targets.length);
  const json = flags.format === 'json';
  let exit: number = EXIT.ok;
  let written = 0;
  if (json) io.stdout('[\n');
  for await (const { item, report } of runtime.runBounded(targets, flags.concurrency, (t) =>
    runtime.scanEndpoint(t, optionsFor(t, base)),
  )) {
    progress.clear();
    tally.add(report);
    if (json) io.stdout(`${written > 0 ? ',\n' : ''}${runtime.renderJson(report).trimEnd()}`);
    else io.stdout(`${written > 0 ? '\n' : ''}${render(report, flags, io, runtime)}`);
    written++;
    const code = exitCodeOf(report, flags, io, runtime, true);
    // A target that could not be checked outranks one that failed a gate.
    if (code === EXIT.unreachable || (code === EXIT.policy && exit === EXIT.ok)) exit = code;
    progress.update(written, item);
  }
  progress.clear();
  if (json) io.stdout('\n]\n');
  else
    io.stdout(
      `\n${runtime.renderSummary(tally.summary(), { color: wantsColor(io, flags.color) })}`,
    );
  return exit;
}

/** A trust store with the `--ca` files; undefined leaves the scanner's shared default. */
async function trustStoreFor(files: readonly string[]) {
  if (files.length === 0) return undefined;
  const { TrustStore, readCaFile } = await import('../../pki/index.ts');
  const caFiles = [];
  for (const file of files) {
    try {
      caFiles.push(await readCaFile(file));
    } catch (err) {
      if (err instanceof WiretightError) throw usage(err.message);
      throw err;
    }
  }
  return new TrustStore({ files: caFiles });
}

function usage(message: string): WiretightError {
  return new WiretightError('WT_ERR_CLI_USAGE', message);
}
