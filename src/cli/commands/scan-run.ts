import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Severity } from '../../scan/findings/index.ts';
import { WiretightError } from '../../errors.ts';
import type { ScanOptions } from '../../scan/engine.ts';
import type { ResolvedTarget } from '../../scan/fleet/resolve.ts';
import type { FleetPlan } from '../../scan/fleet/plan.ts';
import type { FleetScanOptions, Interruption } from '../../scan/fleet/fleet-run.ts';
import type { HostLimiter } from '../../scan/fleet/host-limiter.ts';
import {
  type FleetEntry,
  type FleetTarget,
  MAX_TARGET_FILE_BYTES,
} from '../../scan/fleet/target-list.ts';
import type { ScanReport, TargetReport } from '../../scan/report.ts';
import { EXIT } from '../exit-codes.ts';
import { STARTTLS_PROTOCOL_NAMES, isStarttlsProtocol } from '../../probe/starttls/protocols.ts';
import { type CliIo, wantsColor } from '../io.ts';
import * as runtime from './scan-runtime.ts';
import type * as PolicyLoader from './scan-policy.ts';
import type * as FleetLoop from './scan-fleet.ts';
import type { ScanFlags } from './scan.ts';

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
 *
 * The fleet loop (scan-fleet.ts) is loaded only for a fleet or a time limit: one target
 * without `--target-timeout` or `--deadline` is scanned as that loop would scan it, without it.
 */
export async function runScanCommand(
  args: readonly string[],
  flags: ScanFlags,
  io: CliIo,
): Promise<number> {
  if (flags.grab === true) checkGrabFlags(flags);
  const entries = await collectEntries(args, flags);
  const plan = planTargets(entries, flags);
  const policy =
    flags.policy === undefined
      ? undefined
      : await (await import('./scan-policy.ts')).loadPolicy(flags.policy);
  const base = await baseOptions(flags, policy);
  const fleet =
    plan.total > 1 ||
    flags.targets !== undefined ||
    flags.allIps === true ||
    entries.some((e) => e.range !== undefined);
  const limited = flags.targetTimeout !== undefined || flags.deadline !== undefined;
  const loop = fleet || limited ? await import('./scan-fleet.ts') : undefined;
  const output = await openOutput(flags.output, io);
  const out = { ...io, stdout: output.write };
  try {
    const scanWith = <R extends FleetReport>(mode: FleetMode<R>): Promise<number> =>
      loop === undefined
        ? scanOne(onlyTarget(plan), mode, flags, out)
        : loop.scanFleet(plan, mode, flags, out, fleet);
    if (flags.grab === true) {
      const { grabMode } = await import('./grab-mode.ts');
      return await scanWith(grabMode(flags, base, out, fleet));
    }
    return await scanWith(await scanMode(flags, base, policy, out, fleet ? loop : undefined));
  } finally {
    await output.close();
  }
}

/** The full scan as a fleet mode: the engine, then the policy file's judgement if any. */
async function scanMode(
  flags: ScanFlags,
  base: ScanOptions,
  policy: Awaited<ReturnType<typeof PolicyLoader.loadPolicy>> | undefined,
  io: CliIo,
  loop: typeof FleetLoop | undefined,
): Promise<FleetMode<ScanReport>> {
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
  return {
    scan,
    interrupted: (target, how) => runtime.deadlineReport(target, sniFor(target, base), how),
    writer: await reportWriter(flags, io, loop),
    gates: (report) => runtime.failOnReasons(report, flags.failOn),
  };
}

/**
 * One target without a time limit, scanned as the fleet loop scans each of its targets:
 * its name resolved within `--timeout`, its connections held to the host's cap and
 * backed off when the host pushes back.
 */
async function scanOne<R extends FleetReport>(
  target: FleetTarget,
  mode: FleetMode<R>,
  flags: ScanFlags,
  io: CliIo,
): Promise<number> {
  const [resolved] = await runtime.resolveTarget(target, {
    allIps: false,
    timeoutMs: timeoutMs(flags),
  });
  if (resolved === undefined) throw new TypeError('a target resolves to an address or an error');
  const limiter = hostLimiter(flags);
  const report = await mode.scan(resolved, {
    dialer: limiter.wrap(runtime.defaultDialer),
    resolver: runtime.resolverFor(resolved),
    signal: new AbortController().signal,
    maxConnections: limiter.connectionsFor(flags.maxConnections),
  });
  mode.writer.add(report);
  const code = exitCodeOf(report, mode, flags, io, '');
  await mode.writer.finish(0);
  return code;
}

/** The plan's one target, when it is not a fleet. */
function onlyTarget(plan: FleetPlan): FleetTarget {
  const [target] = plan.targets();
  if (target === undefined || plan.total !== 1) {
    throw new TypeError(`expected one target, the plan has ${plan.total}`);
  }
  return target;
}

/** The per-address connection cap of `--host-connections`, shared by every target of the run. */
export function hostLimiter(flags: ScanFlags): HostLimiter {
  return new runtime.HostLimiter({
    perHost: flags.hostConnections ?? flags.maxConnections,
    // A pause longer than half a connection's deadline would time out the dials waiting on it.
    backoff: { maxMs: Math.min(8000, timeoutMs(flags) / 2) },
  });
}

/** `--timeout` in milliseconds: each connection's deadline, and a name's lookup's. */
export function timeoutMs(flags: ScanFlags): number {
  return Math.round(flags.timeout * 1000);
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

async function collectEntries(args: readonly string[], flags: ScanFlags): Promise<FleetEntry[]> {
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
  if (flags.targets !== undefined) entries.push(...(await readTargetsFile(flags.targets)));
  if (entries.length === 0) throw usage('give a target, or --targets FILE');
  return entries;
}

/** Every target to scan, counted (and capped) before the first connection. */
function planTargets(entries: readonly FleetEntry[], flags: ScanFlags): FleetPlan {
  try {
    return runtime.planFleet(entries, flags.ports ?? [flags.port ?? runtime.DEFAULT_PORT]);
  } catch (err) {
    if (err instanceof WiretightError) throw usage(err.message);
    throw err;
  }
}

async function readTargetsFile(path: string): Promise<FleetEntry[]> {
  try {
    const { readFile, stat } = await import('node:fs/promises');
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
  // The scanner's shared default trust store unless `--ca` adds anchors.
  const trust =
    flags.ca.length === 0
      ? undefined
      : await (await import('./scan-trust.ts')).trustStoreFor(flags.ca);
  return {
    ...(trust === undefined ? {} : { trust }),
    // The command line wins over the policy file, which wins over the default.
    expiryWarningDays: flags.expiryDays ?? policy?.policy.expiryWarningDays ?? 30,
    checkRevocation: flags.revocation,
    ...(flags.fetch ? {} : { fetcher: null }),
    ...(flags.sni === undefined ? {} : { sni: flags.sni === false ? null : flags.sni }),
    timeoutMs: timeoutMs(flags),
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

/** The exit code a report gives, with the reasons of failed gates on stderr after `prefix`. */
export function exitCodeOf<R extends FleetReport>(
  report: R,
  mode: FleetMode<R>,
  flags: ScanFlags,
  io: CliIo,
  prefix: string,
): number {
  if (!report.tls) {
    return report.plaintext !== undefined && flags.expectPlaintext === true
      ? EXIT.ok
      : EXIT.unreachable;
  }
  const reasons = mode.gates(report);
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
 * document over every target. `loop` is there for a fleet: its summary closes the text.
 */
async function reportWriter(
  flags: ScanFlags,
  io: CliIo,
  loop: typeof FleetLoop | undefined,
): Promise<FleetWriter<ScanReport>> {
  const color = flags.output === undefined && wantsColor(io, flags.color);
  const fleet = loop !== undefined;
  const summary = loop === undefined ? undefined : { tally: new loop.FleetTally(), loop };
  const stream = await streamed(flags.format, color, fleet);
  const kept: ScanReport[] = [];
  let written = 0;
  return {
    add(report: ScanReport): void {
      summary?.tally.add(report);
      if (stream === undefined) kept.push(report);
      else io.stdout(stream(report, written));
      written++;
    },
    async finish(notScanned: number): Promise<void> {
      summary?.tally.addNotScanned(notScanned);
      switch (flags.format) {
        case 'text':
          if (summary !== undefined) {
            io.stdout(`\n${summary.loop.renderSummary(summary.tally.summary(), { color })}`);
          }
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

/**
 * How a format writes each report as it comes (`index` counts those before it), or
 * undefined for the formats written once at the end. Only the chosen renderer is loaded:
 * a JSON scan never loads the text one.
 */
async function streamed(
  format: ScanFlags['format'],
  color: boolean,
  fleet: boolean,
): Promise<((report: ScanReport, index: number) => string) | undefined> {
  switch (format) {
    case 'text': {
      const { renderText } = await import('../../report/text.ts');
      return (report, index) => `${index > 0 ? '\n' : ''}${renderText(report, { color })}`;
    }
    case 'json':
      return fleet
        ? (report, index) => `${index > 0 ? ',\n' : '[\n'}${runtime.renderJson(report).trimEnd()}`
        : (report) => runtime.renderJson(report);
    case 'ndjson':
      return (report) => runtime.renderNdjson(report);
    default:
      return undefined;
  }
}

/** JUnit fails a target on findings at the `--fail-on severity:` gate, else at high. */
function junitThreshold(flags: ScanFlags): Severity {
  const gate = flags.failOn.find((g) => g.kind === 'severity');
  return gate?.kind === 'severity' ? gate.severity : 'high';
}

/** The server name a target's scan sends, for the report of a scan stopped before it said. */
export function sniFor(target: FleetTarget, base: ScanOptions): string | null {
  const sni = optionsFor(target, base).sni;
  return sni === undefined ? runtime.defaultSni(target.host) : sni;
}

export function usage(message: string): WiretightError {
  return new WiretightError('WT_ERR_CLI_USAGE', message);
}
