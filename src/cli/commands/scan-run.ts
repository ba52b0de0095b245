import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Severity } from '../../scan/findings/index.ts';
import type { FleetSummary } from '../../scan/fleet/summary.ts';
import { WiretightError } from '../../errors.ts';
import type { ScanOptions } from '../../scan/engine.ts';
import { type FleetTarget, MAX_TARGET_FILE_BYTES } from '../../scan/fleet/target-list.ts';
import type { ScanReport } from '../../scan/report.ts';
import { EXIT } from '../exit-codes.ts';
import { STARTTLS_PROTOCOL_NAMES, isStarttlsProtocol } from '../../probe/starttls/protocols.ts';
import { type CliIo, wantsColor } from '../io.ts';
import { progressLine } from '../progress.ts';
import type * as ScanRuntime from './scan-runtime.ts';
import type * as PolicyApi from '../../scan/policy/index.ts';
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
  const policy = flags.policy === undefined ? undefined : await loadPolicy(flags.policy);
  const base = await baseOptions(flags, policy);
  const scan = async (target: FleetTarget): Promise<ScanReport> => {
    const report = await runtime.scanEndpoint(target, optionsFor(target, base));
    if (policy === undefined) return report;
    const judged = policy.module.applyPolicy(policy.policy, report, new Date());
    for (const w of judged.policy?.warnings ?? []) io.stderr(`wiretight: policy: ${w.message}\n`);
    return judged;
  };
  const fleet = targets.length > 1 || flags.targets !== undefined;
  const output = await openOutput(flags.output, io);
  try {
    return await scanAll(targets, scan, flags, { ...io, stdout: output.write }, runtime, fleet);
  } finally {
    await output.close();
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
    ...(flags.httpPort === undefined ? {} : { httpPort: flags.httpPort }),
    ...starttlsOption(flags.starttls),
  };
}

/** A targets-file line's own `sni=`, `profile=` and `starttls=` win over the command line's. */
function optionsFor(target: FleetTarget, base: ScanOptions): ScanOptions {
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
function reportWriter(flags: ScanFlags, io: CliIo, runtime: Runtime, fleet: boolean) {
  const color = flags.output === undefined && wantsColor(io, flags.color);
  const kept: ScanReport[] = [];
  let written = 0;
  return {
    add(report: ScanReport): void {
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
    async finish(summary: () => FleetSummary): Promise<void> {
      switch (flags.format) {
        case 'text':
          if (fleet) io.stdout(`\n${runtime.renderSummary(summary(), { color })}`);
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

async function scanAll(
  targets: readonly FleetTarget[],
  scan: (target: FleetTarget) => Promise<ScanReport>,
  flags: ScanFlags,
  io: CliIo,
  runtime: Runtime,
  fleet: boolean,
): Promise<number> {
  const tally = new runtime.FleetTally();
  const progress = fleet ? progressLine(io, targets.length) : undefined;
  const writer = reportWriter(flags, io, runtime, fleet);
  let exit: number = EXIT.ok;
  let done = 0;
  for await (const { item, report } of runtime.runBounded(targets, flags.concurrency, scan)) {
    progress?.clear();
    tally.add(report);
    writer.add(report);
    const code = exitCodeOf(report, flags, io, runtime, fleet);
    // A target that could not be checked outranks one that failed a gate.
    if (code === EXIT.unreachable || (code === EXIT.policy && exit === EXIT.ok)) exit = code;
    progress?.update(++done, item);
  }
  progress?.clear();
  await writer.finish(() => tally.summary());
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
