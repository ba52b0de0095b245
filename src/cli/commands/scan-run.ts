import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Severity } from '../../scan/findings/index.ts';
import { WiretightError } from '../../errors.ts';
import type { ScanOptions } from '../../scan/engine.ts';
import { DEFAULT_PORT } from '../../scan/target.ts';
import type { ResolvedTarget } from '../../scan/fleet/resolve.ts';
import type { FleetPlan } from '../../scan/fleet/plan.ts';
import type { FleetScanOptions, Interruption } from '../../scan/fleet/fleet-run.ts';
import {
  type FleetEntry,
  type FleetTarget,
  MAX_TARGET_FILE_BYTES,
} from '../../scan/fleet/target-list.ts';
import type { ScanReport, TargetReport } from '../../scan/report.ts';
import { EXIT } from '../exit-codes.ts';
import { STARTTLS_PROTOCOL_NAMES, isStarttlsProtocol } from '../../probe/starttls/protocols.ts';
import { type CliIo, wantsColor } from '../io.ts';
import { progressLine } from '../progress.ts';
import type * as ScanRuntime from './scan-runtime.ts';
import type * as PolicyApi from '../../scan/policy/index.ts';
import type { ScanFlags } from './scan.ts';

type Runtime = typeof ScanRuntime;

/** What the fleet loop needs of any report it writes: where, and whether TLS answered. */
export interface FleetReport {
  readonly tls: boolean;
  readonly target: TargetReport;
  readonly plaintext?: unknown;
}

/** Writes reports as they come, and what closes the output (a summary, a document). */
export interface FleetWriter<R> {
  add(report: R): void;
  /** `notScanned`: targets the run's deadline left unscanned. */
  finish(notScanned: number): Promise<void>;
}

/** One way of scanning a fleet: the full scan, or `--grab`. */
export interface FleetMode<R extends FleetReport> {
  readonly scan: (target: ResolvedTarget, options: FleetScanOptions) => Promise<R>;
  readonly interrupted: (target: ResolvedTarget, how: Interruption) => R;
  readonly writer: FleetWriter<R>;
  /** Why the report fails the `--fail-on` gates, one line each. */
  readonly gates: (report: R) => string[];
}

/**
 * `wiretight scan`: one target prints one report; several (arguments, `--targets`, CIDR
 * ranges with `--ports`, names with `--all-ips`) are scanned `--concurrency` at a time,
 * each report written as soon as it is done, then a summary. Returns the exit code.
 */
export async function runScanCommand(
  args: readonly string[],
  flags: ScanFlags,
  io: CliIo,
): Promise<number> {
  if (flags.grab === true) checkGrabFlags(flags);
  // Loaded here, not at the top: `wiretight --help` should not pay for the scanner.
  const runtime = await import('./scan-runtime.ts');
  const entries = await collectEntries(args, flags, runtime);
  const plan = planTargets(entries, flags, runtime);
  const policy = flags.policy === undefined ? undefined : await loadPolicy(flags.policy);
  const base = await baseOptions(flags, policy);
  const fleet =
    plan.total > 1 ||
    flags.targets !== undefined ||
    flags.allIps === true ||
    entries.some((e) => e.range !== undefined);
  const output = await openOutput(flags.output, io);
  const out = { ...io, stdout: output.write };
  try {
    if (flags.grab === true) {
      const { grabMode } = await import('./grab-mode.ts');
      return await scanAll(plan, grabMode(flags, base, out, fleet), flags, out, runtime, fleet);
    }
    const scan = async (target: FleetTarget, options: FleetScanOptions): Promise<ScanReport> => {
      const report = await runtime.scanEndpoint(target, {
        ...optionsFor(target, base),
        ...options,
      });
      if (policy === undefined) return report;
      const judged = policy.module.applyPolicy(policy.policy, report, new Date());
      for (const w of judged.policy?.warnings ?? []) io.stderr(`wiretight: policy: ${w.message}\n`);
      return judged;
    };
    const mode: FleetMode<ScanReport> = {
      scan,
      interrupted: (target, how) =>
        runtime.deadlineReport(target, sniFor(target, base, runtime), how),
      writer: reportWriter(flags, out, runtime, fleet),
      gates: (report) => runtime.failOnReasons(report, flags.failOn),
    };
    return await scanAll(plan, mode, flags, out, runtime, fleet);
  } finally {
    await output.close();
  }
}

/** What `--grab` cannot do: it has no grade, no suite list and one document per target. */
function checkGrabFlags(flags: ScanFlags): void {
  const clash = [
    flags.quick === true ? '--quick' : undefined,
    flags.profile === undefined ? undefined : '--profile',
    flags.policy === undefined ? undefined : '--policy',
    flags.failOn.some((g) => g.kind === 'grade') ? '--fail-on grade:' : undefined,
    ['sarif', 'junit', 'html'].includes(flags.format) ? `--format ${flags.format}` : undefined,
  ].filter((x) => x !== undefined);
  if (clash.length > 0) {
    throw usage(
      `--grab makes one or two handshakes per target, without a grade or the suite list: it does not go with ${clash.join(', ')} (use the full scan)`,
    );
  }
}

type PolicyModule = typeof PolicyApi;

/** The policy file, loaded and validated; its problems are a usage error, one per line. */
async function loadPolicy(path: string) {
  const module: PolicyModule = await import('../../scan/policy/index.ts');
  try {
    return { module, policy: await module.loadPolicyFile(path) };
  } catch (err) {
    if (err instanceof WiretightError) throw usage(err.message);
    throw err;
  }
}

async function collectEntries(
  args: readonly string[],
  flags: ScanFlags,
  runtime: Runtime,
): Promise<FleetEntry[]> {
  if (flags.port !== undefined && flags.ports !== undefined) {
    throw usage('give --port or --ports, not both');
  }
  const entries: FleetEntry[] = [];
  for (const [i, text] of args.entries()) {
    let entry: FleetEntry;
    try {
      entry = runtime.parseFleetEntry(text, `argument ${i + 1}`);
    } catch (err) {
      if (err instanceof WiretightError) throw usage(err.message);
      throw err;
    }
    if (flags.port !== undefined && entry.port !== undefined && entry.port !== flags.port) {
      throw usage(`the target gives port ${entry.port} and --port gives ${flags.port}`);
    }
    entries.push(entry);
  }
  if (flags.targets !== undefined) entries.push(...(await readTargetsFile(flags.targets, runtime)));
  if (entries.length === 0) throw usage('give a target, or --targets FILE');
  return entries;
}

/** Every target to scan, counted (and capped) before the first connection. */
function planTargets(
  entries: readonly FleetEntry[],
  flags: ScanFlags,
  runtime: Runtime,
): FleetPlan {
  try {
    return runtime.planFleet(entries, flags.ports ?? [flags.port ?? DEFAULT_PORT]);
  } catch (err) {
    if (err instanceof WiretightError) throw usage(err.message);
    throw err;
  }
}

async function readTargetsFile(path: string, runtime: Runtime): Promise<FleetEntry[]> {
  try {
    const size = (await stat(path)).size;
    if (size > MAX_TARGET_FILE_BYTES) {
      throw usage(`--targets ${path}: ${size} bytes, more than ${MAX_TARGET_FILE_BYTES}`);
    }
    return runtime.parseTargetList(await readFile(path, 'utf8'), path);
  } catch (err) {
    if (err instanceof WiretightError) throw usage(err.message);
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw usage(`--targets ${path}: cannot read it (${code})`);
  }
}

/** The options every target shares: trust, revocation, timeouts, what to run. */
async function baseOptions(
  flags: ScanFlags,
  policy: { policy: { expiryWarningDays?: number } } | undefined,
): Promise<ScanOptions> {
  const trust = await trustStoreFor(flags.ca);
  return {
    ...(trust === undefined ? {} : { trust }),
    // The command line wins over the policy file, which wins over the default.
    expiryWarningDays: flags.expiryDays ?? policy?.policy.expiryWarningDays ?? 30,
    checkRevocation: flags.revocation,
    ...(flags.fetch ? {} : { fetcher: null }),
    ...(flags.sni === undefined ? {} : { sni: flags.sni === false ? null : flags.sni }),
    timeoutMs: Math.round(flags.timeout * 1000),
    maxConnections: flags.maxConnections,
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    ...(flags.quick === true ? { quick: true } : {}),
    ...(flags.clients ? {} : { clients: false }),
    ...(flags.httpPort === undefined ? {} : { httpPort: flags.httpPort }),
    ...starttlsOption(flags.starttls),
  };
}

/** A targets-file line's own `sni=`, `profile=` and `starttls=` win over the command line's. */
export function optionsFor(target: FleetTarget, base: ScanOptions): ScanOptions {
  return {
    ...base,
    ...(target.sni === undefined ? {} : { sni: target.sni }),
    ...(target.profile === undefined ? {} : { profile: target.profile }),
    ...(target.starttls === undefined ? {} : { starttls: target.starttls }),
  };
}

function starttlsOption(value: string | undefined): Pick<ScanOptions, 'starttls'> {
  if (value === undefined) return {};
  if (value === 'none') return { starttls: null };
  if (!isStarttlsProtocol(value)) {
    throw usage(`--starttls ${value}: expected one of ${STARTTLS_PROTOCOL_NAMES.join(', ')}, none`);
  }
  return { starttls: value };
}

function exitCodeOf<R extends FleetReport>(
  report: R,
  mode: FleetMode<R>,
  flags: ScanFlags,
  io: CliIo,
  runtime: Runtime,
  fleet: boolean,
): number {
  if (!report.tls) {
    return report.plaintext !== undefined && flags.expectPlaintext === true
      ? EXIT.ok
      : EXIT.unreachable;
  }
  const reasons = mode.gates(report);
  const prefix = fleet ? `${runtime.reportLabel(report)}: ` : '';
  for (const reason of reasons) io.stderr(`wiretight: fail-on: ${prefix}${reason}\n`);
  return reasons.length > 0 ? EXIT.policy : EXIT.ok;
}

/** Where reports go: stdout, or `--output FILE` (created or truncated, written as it comes). */
async function openOutput(
  path: string | undefined,
  io: CliIo,
): Promise<{ write: (text: string) => void; close: () => Promise<void> }> {
  if (path === undefined) return { write: io.stdout, close: async () => undefined };
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw usage(`--output ${path}: cannot write it (${code})`);
  }
  return {
    write: (text) => {
      stream.write(text);
    },
    close: async () => {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/**
 * Writes reports as the chosen format wants them: text, JSON and NDJSON as each scan
 * finishes (nothing kept); SARIF, JUnit and HTML once at the end, since each is one
 * document over every target.
 */
function reportWriter(
  flags: ScanFlags,
  io: CliIo,
  runtime: Runtime,
  fleet: boolean,
): FleetWriter<ScanReport> {
  const color = flags.output === undefined && wantsColor(io, flags.color);
  const tally = new runtime.FleetTally();
  const kept: ScanReport[] = [];
  let written = 0;
  return {
    add(report: ScanReport): void {
      tally.add(report);
      switch (flags.format) {
        case 'text':
          io.stdout(`${written > 0 ? '\n' : ''}${runtime.renderText(report, { color })}`);
          break;
        case 'json':
          if (!fleet) io.stdout(runtime.renderJson(report));
          else io.stdout(`${written > 0 ? ',\n' : '[\n'}${runtime.renderJson(report).trimEnd()}`);
          break;
        case 'ndjson':
          io.stdout(runtime.renderNdjson(report));
          break;
        default:
          kept.push(report);
      }
      written++;
    },
    async finish(notScanned: number): Promise<void> {
      tally.addNotScanned(notScanned);
      switch (flags.format) {
        case 'text':
          if (fleet) io.stdout(`\n${runtime.renderSummary(tally.summary(), { color })}`);
          break;
        case 'json':
          if (fleet) io.stdout(written > 0 ? '\n]\n' : '[]\n');
          break;
        case 'sarif': {
          const { renderSarif } = await import('../../report/sarif.ts');
          io.stdout(
            renderSarif(
              kept,
              flags.sarifCategory === undefined ? {} : { category: flags.sarifCategory },
            ),
          );
          break;
        }
        case 'junit': {
          const { renderJunit } = await import('../../report/junit.ts');
          io.stdout(renderJunit(kept, { failOn: junitThreshold(flags) }));
          break;
        }
        case 'html': {
          const { renderHtml } = await import('../../report/html.ts');
          io.stdout(renderHtml(kept));
          break;
        }
        default:
          break;
      }
    },
  };
}

/** JUnit fails a target on findings at the `--fail-on severity:` gate, else at high. */
function junitThreshold(flags: ScanFlags): Severity {
  const gate = flags.failOn.find((g) => g.kind === 'severity');
  return gate?.kind === 'severity' ? gate.severity : 'high';
}

async function scanAll<R extends FleetReport>(
  plan: FleetPlan,
  mode: FleetMode<R>,
  flags: ScanFlags,
  io: CliIo,
  runtime: Runtime,
  fleet: boolean,
): Promise<number> {
  const deadline = runDeadline(flags.deadline);
  const timeoutMs = Math.round(flags.timeout * 1000);
  const run = new runtime.FleetRun<R>(plan, mode.scan, {
    concurrency: flags.concurrency,
    maxConnections: flags.maxConnections,
    limiter: new runtime.HostLimiter({
      perHost: flags.hostConnections ?? flags.maxConnections,
      // A pause longer than half a connection's deadline would time out the dials waiting on it.
      backoff: { maxMs: Math.min(8000, timeoutMs / 2) },
    }),
    ...(flags.targetTimeout === undefined
      ? {}
      : { targetTimeoutMs: Math.round(flags.targetTimeout * 1000) }),
    ...(deadline === undefined ? {} : { signal: deadline.signal }),
    allIps: flags.allIps === true,
    lookupTimeoutMs: timeoutMs,
    interrupted: mode.interrupted,
  });
  const progress = fleet ? progressLine(io, () => run.total) : undefined;
  let exit: number = EXIT.ok;
  try {
    for await (const { target, report } of run) {
      progress?.clear();
      mode.writer.add(report);
      const code = exitCodeOf(report, mode, flags, io, runtime, fleet);
      // A target that could not be checked outranks one that failed a gate.
      if (code === EXIT.unreachable || (code === EXIT.policy && exit === EXIT.ok)) exit = code;
      progress?.update(run.done, target);
    }
  } finally {
    deadline?.dispose();
  }
  progress?.clear();
  if (deadline?.signal.aborted === true) {
    io.stderr(
      `wiretight: the --deadline of ${flags.deadline} s was reached: ${run.stopped} scan${run.stopped === 1 ? '' : 's'} stopped, ${run.notScanned} target${run.notScanned === 1 ? '' : 's'} not scanned\n`,
    );
    exit = EXIT.unreachable;
  }
  await mode.writer.finish(deadline?.signal.aborted === true ? run.notScanned : 0);
  return exit;
}

/** The server name a target's scan sends, for the report of a scan stopped before it said. */
export function sniFor(target: FleetTarget, base: ScanOptions, runtime: Runtime): string | null {
  const sni = optionsFor(target, base).sni;
  return sni === undefined ? runtime.defaultSni(target.host) : sni;
}

/** The run's `--deadline`: a signal that fires when it is reached, and the timer to clear. */
function runDeadline(
  seconds: number | undefined,
): { signal: AbortSignal; dispose: () => void } | undefined {
  if (seconds === undefined) return undefined;
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new WiretightError(
          'WT_ERR_SCAN_DEADLINE',
          `the run's --deadline of ${seconds} s was reached`,
        ),
      ),
    Math.round(seconds * 1000),
  );
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
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

export function usage(message: string): WiretightError {
  return new WiretightError('WT_ERR_CLI_USAGE', message);
}
