import { WiretightError } from '../../errors.ts';
import { type Dialer, defaultDialer } from '../../probe/connection.ts';
import { type AddressLookup, type Resolver, formatTarget } from '../target.ts';
import { AddressGate } from './address-gate.ts';
import type { HostLimiter } from './host-limiter.ts';
import type { FleetPlan } from './plan.ts';
import { type ResolvedTarget, resolveTargets, resolverFor } from './resolve.ts';
import { runBounded } from './run-fleet.ts';

/** What the fleet hands each target's scan (the ScanOptions it owns). */
export interface FleetScanOptions {
  /** The per-host limited dialer, shared by the whole fleet. */
  readonly dialer: Dialer;
  /** Answers the address the fleet resolved (or the error it got). */
  readonly resolver: Resolver;
  /** Fires at the target's time limit or the run's deadline. */
  readonly signal: AbortSignal;
  /** The target's share of its host's connections. */
  readonly maxConnections: number;
}

/** A scan a deadline stopped: what its report can still say. */
export interface Interruption {
  /** WT_ERR_SCAN_DEADLINE, saying which limit. */
  readonly error: WiretightError;
  /** The address scanned; '' when the name never resolved. */
  readonly address: string;
  /** When the scan started (ms since the epoch). */
  readonly started: number;
  /** Connections it made before it was stopped. */
  readonly handshakes: number;
}

export interface FleetRunOptions<R> {
  /** Targets scanned at once. */
  readonly concurrency: number;
  /** Connections one target's scan may have open at once (`--max-connections`). */
  readonly maxConnections: number;
  /** Holds every host to its cap across the whole run, and backs off the ones pushing back. */
  readonly limiter: HostLimiter;
  /** Stops one target's scan after this long (`--target-timeout`). */
  readonly targetTimeoutMs?: number;
  /** The run's deadline (`--deadline`): no target starts after it fires, running ones stop. */
  readonly signal?: AbortSignal;
  /** Scan a name on every address it resolves to (`--all-ips`). */
  readonly allIps?: boolean;
  readonly lookup?: AddressLookup;
  /** A name that does not resolve in this long fails with WT_ERR_PROBE_DNS. */
  readonly lookupTimeoutMs: number;
  /** The TCP dialer under the limiter (default: a plain connect). */
  readonly dialer?: Dialer;
  /** The report for a scan a deadline stopped. */
  readonly interrupted: (target: ResolvedTarget, how: Interruption) => R;
  readonly now?: () => number;
}

/** How long a stopped scan gets to close its connections before its report is written. */
const WIND_DOWN_MS = 2000;

const NOT_SCANNED = Symbol('not scanned');

/**
 * One fleet scan: the plan's targets resolved ahead (one per address with `allIps`),
 * scanned `concurrency` at a time, results yielded as they finish.
 *
 * Politeness: every connection goes through the shared HostLimiter, and targets that
 * share an address are admitted `floor(perHost / maxConnections)` at a time (at least
 * one), each with at most `min(maxConnections, perHost)` connections, so the limiter's
 * cap is rarely what makes a connection wait.
 *
 * Time: a target's scan is stopped at `targetTimeoutMs` (its clock starts when it is
 * admitted, not while it waits for its host); the run's `signal` stops every scan in
 * flight. A stopped scan yields the `interrupted` report; targets never started are
 * counted in `notScanned`. Nothing is kept of a target once it is yielded.
 */
export class FleetRun<R> implements AsyncIterable<{ target: ResolvedTarget; report: R }> {
  readonly #plan: FleetPlan;
  readonly #scanOne: (target: ResolvedTarget, options: FleetScanOptions) => Promise<R>;
  readonly #options: FleetRunOptions<R>;
  readonly #dialer: Dialer;
  readonly #gate: AddressGate;
  readonly #perTarget: number;
  readonly #now: () => number;
  #total: number;
  #done = 0;
  #stopped = 0;

  constructor(
    plan: FleetPlan,
    scanOne: (target: ResolvedTarget, options: FleetScanOptions) => Promise<R>,
    options: FleetRunOptions<R>,
  ) {
    const timeout = options.targetTimeoutMs;
    if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
      throw new RangeError(`targetTimeoutMs must be a positive number, got ${timeout}`);
    }
    if (!Number.isInteger(options.maxConnections) || options.maxConnections < 1) {
      throw new RangeError(
        `maxConnections must be a positive integer, got ${options.maxConnections}`,
      );
    }
    this.#plan = plan;
    this.#scanOne = scanOne;
    this.#options = options;
    this.#total = plan.total;
    this.#dialer = options.limiter.wrap(options.dialer ?? defaultDialer);
    this.#perTarget = options.limiter.connectionsFor(options.maxConnections);
    this.#gate = new AddressGate(
      Math.max(1, Math.floor(options.limiter.perHost / options.maxConnections)),
    );
    this.#now = options.now ?? Date.now;
  }

  /** Targets in the run: the plan's, plus the extra addresses of names (`allIps`). */
  get total(): number {
    return this.#total;
  }

  /** Targets whose report has been yielded, stopped ones included. */
  get done(): number {
    return this.#done;
  }

  /** Targets a deadline stopped mid-scan (their reports say WT_ERR_SCAN_DEADLINE). */
  get stopped(): number {
    return this.#stopped;
  }

  /** Targets never scanned because the run's deadline came first. */
  get notScanned(): number {
    return this.#total - this.#done;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<{ target: ResolvedTarget; report: R }> {
    const options = this.#options;
    const targets = resolveTargets(this.#plan.targets(), {
      allIps: options.allIps === true,
      window: options.concurrency,
      timeoutMs: options.lookupTimeoutMs,
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      onExtraTargets: (extra) => {
        this.#total += extra;
      },
    });
    for await (const { item, report } of runBounded(
      targets,
      options.concurrency,
      (target) => this.#admit(target),
      options.signal,
    )) {
      if (report === NOT_SCANNED) continue;
      this.#done++;
      yield { target: item, report };
    }
  }

  /** Waits for the target's turn at its address, then scans it; not at all after the deadline. */
  async #admit(target: ResolvedTarget): Promise<R | typeof NOT_SCANNED> {
    const run = this.#options.signal;
    if (run?.aborted === true) return NOT_SCANNED;
    let leave = (): void => undefined;
    if (target.address !== undefined) {
      try {
        leave = await this.#gate.enter(target.address, run);
      } catch (err) {
        // The gate gives up a wait only when the run's deadline fires.
        if (err instanceof WiretightError) return NOT_SCANNED;
        throw err;
      }
    }
    try {
      return await this.#scanWithin(target);
    } finally {
      leave();
    }
  }

  /** Scans one target under its time limit and the run's deadline. */
  async #scanWithin(target: ResolvedTarget): Promise<R> {
    const options = this.#options;
    const started = this.#now();
    const where = formatTarget(target);
    const controller = new AbortController();
    const run = options.signal;
    const onRunDeadline = (): void =>
      controller.abort(
        new WiretightError(
          'WT_ERR_SCAN_DEADLINE',
          `the scan of ${where} was stopped: the run's deadline was reached`,
        ),
      );
    if (run?.aborted === true) onRunDeadline();
    else run?.addEventListener('abort', onRunDeadline, { once: true });
    const limit = options.targetTimeoutMs;
    const timer =
      limit === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(
                new WiretightError(
                  'WT_ERR_SCAN_DEADLINE',
                  `the scan of ${where} did not finish within its time limit of ${limit / 1000} s`,
                ),
              ),
            limit,
          );
    let handshakes = 0;
    const dialer: Dialer = (endpoint, signal) => {
      handshakes++;
      return this.#dialer(endpoint, signal);
    };
    try {
      const scan = this.#scanOne(target, {
        dialer,
        resolver: resolverFor(target),
        signal: controller.signal,
        maxConnections: this.#perTarget,
      });
      // Settled below either way; this keeps a failure after a deadline from going unhandled.
      scan.catch(() => undefined);
      const first = await Promise.race([
        scan.then((report) => ({ report })),
        whenAborted(controller.signal),
      ]);
      if (first !== undefined) return first.report;
      await settleWithin(scan, WIND_DOWN_MS);
      this.#stopped++;
      const error =
        controller.signal.reason instanceof WiretightError
          ? controller.signal.reason
          : new WiretightError('WT_ERR_SCAN_DEADLINE', `the scan of ${where} was stopped`);
      return options.interrupted(target, {
        error,
        address: target.address ?? '',
        started,
        handshakes,
      });
    } finally {
      clearTimeout(timer);
      run?.removeEventListener('abort', onRunDeadline);
    }
  }
}

function whenAborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}

/** Waits for `work` to settle, but no longer than `ms`. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
