// The fleet loop of `wiretight scan`: several targets (arguments, --targets, CIDR ranges,
// --all-ips), or one under a time limit (--target-timeout, --deadline). Loaded only then:
// a single target's scan loads none of it.
import { WiretightError } from '../../errors.ts';
import { FleetRun } from '../../scan/fleet/fleet-run.ts';
import type { FleetPlan } from '../../scan/fleet/plan.ts';
import { reportLabel } from '../../scan/fleet/summary.ts';
import { EXIT } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';
import { progressLine } from '../progress.ts';
import {
  type FleetMode,
  type FleetReport,
  exitCodeOf,
  hostLimiter,
  timeoutMs,
} from './scan-run.ts';
import type { ScanFlags } from './scan.ts';

export { FleetTally } from '../../scan/fleet/summary.ts';
export { renderSummary } from '../../report/summary-text.ts';

/**
 * Scans the plan `--concurrency` targets at a time, writing each report as it is done;
 * a progress line on a terminal when `fleet`. Returns the worst exit code: a target that
 * could not be checked (or the `--deadline`) outranks one that failed a gate.
 */
export async function scanFleet<R extends FleetReport>(
  plan: FleetPlan,
  mode: FleetMode<R>,
  flags: ScanFlags,
  io: CliIo,
  fleet: boolean,
): Promise<number> {
  const deadline = runDeadline(flags.deadline);
  const run = new FleetRun<R>(plan, mode.scan, {
    concurrency: flags.concurrency,
    maxConnections: flags.maxConnections,
    limiter: hostLimiter(flags),
    ...(flags.targetTimeout === undefined
      ? {}
      : { targetTimeoutMs: Math.round(flags.targetTimeout * 1000) }),
    ...(deadline === undefined ? {} : { signal: deadline.signal }),
    allIps: flags.allIps === true,
    lookupTimeoutMs: timeoutMs(flags),
    interrupted: mode.interrupted,
  });
  const progress = fleet ? progressLine(io, () => run.total) : undefined;
  let exit: number = EXIT.ok;
  try {
    for await (const { target, report } of run) {
      progress?.clear();
      mode.writer.add(report);
      const code = exitCodeOf(report, mode, flags, io, fleet ? `${reportLabel(report)}: ` : '');
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
