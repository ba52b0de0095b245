// ACME orders per second with a concurrent client: C workers, each with its own account
// (registered before the clock starts), take orders from one counter until M are done.
// Every order has a name of its own, so no server can skip a validation by reusing an
// authorization. A few warm-up orders per worker run first and are not counted.
// A server that stops answering altogether (pebble 2.4.0 can deadlock under concurrent
// orders) ends the run after `stallMs` without progress: the figures are then those of the
// orders completed before, and `stalledAfterOrders` says so.
import type { ChallengeBoard } from './challenge-board.ts';
import { AcmeClient, type OrderSteps } from './acme-client.ts';
import { httpsTransport } from './transport.ts';

export interface LoadOptions {
  readonly directoryUrl: string;
  /** PEM of the root that signed the server's HTTPS certificate. */
  readonly caPem: string;
  readonly board: ChallengeBoard;
  readonly orders: number;
  readonly concurrency: number;
  /** Orders per worker run before timing (default 1). */
  readonly warmupPerWorker?: number;
  /** The DNS name of order `i` (unique per order and per run). */
  readonly nameOf: (i: number) => string;
  readonly pollMs?: number;
  /** Reads the server's CPU time so far (ms), so its cost per timed order can be reported. */
  readonly serverCpuMs?: () => number;
  /** End the run when no order has completed or failed for this long (default 20 s). */
  readonly stallMs?: number;
}

export interface LoadResult {
  readonly orders: number;
  readonly concurrency: number;
  readonly wallMs: number;
  /** This process's CPU time (the client's) during the timed orders. */
  readonly clientCpuMs: number;
  /** The server's CPU time during the timed orders, when `serverCpuMs` was given. */
  readonly serverCpuMs: number | undefined;
  /** One entry per order that completed, in completion order. */
  readonly latenciesMs: readonly number[];
  readonly steps: readonly OrderSteps[];
  /** HTTP requests each completed order took, in completion order. */
  readonly requests: readonly number[];
  /** One message per failed order (at most the first 20 kept, `failed` counts all). */
  readonly errors: readonly string[];
  readonly failed: number;
  /** Set when the server stopped making progress: the orders done before it did. */
  readonly stalledAfterOrders?: number;
}

const KEPT_ERRORS = 20;

/** Calls `onStall` once when `progress()` has not been called for `stallMs`. */
function stallWatch(stallMs: number, onStall: () => void) {
  let last = performance.now();
  const watch = {
    stalled: false,
    progress: (): void => {
      last = performance.now();
    },
    stop: (): void => clearInterval(timer),
  };
  const timer = setInterval(
    () => {
      if (performance.now() - last < stallMs) return;
      watch.stalled = true;
      clearInterval(timer);
      onStall();
    },
    Math.min(1000, stallMs),
  );
  return watch;
}

export async function runAcmeLoad(options: LoadOptions): Promise<LoadResult> {
  const { orders, concurrency } = options;
  if (!Number.isInteger(orders) || orders < 1)
    throw new RangeError('orders must be a positive integer');
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('concurrency must be a positive integer');
  }
  const transport = httpsTransport({ caPem: options.caPem });
  // A stall fails the requests in flight at once instead of each waiting for its deadline.
  const watch = stallWatch(options.stallMs ?? 20_000, () => transport.close());
  const pollMs = options.pollMs === undefined ? {} : { pollMs: options.pollMs };
  const latenciesMs: number[] = [];
  const steps: OrderSteps[] = [];
  const requests: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  let name = 0;
  let t0 = performance.now();
  let lastCompletion = t0;
  let server0: number | undefined;
  let cpu0 = process.cpuUsage();
  try {
    const clients = await Promise.all(
      Array.from({ length: concurrency }, () =>
        AcmeClient.register(transport, options.directoryUrl, pollMs).finally(watch.progress),
      ),
    );
    const warmup = options.warmupPerWorker ?? 1;
    await Promise.all(
      clients.flatMap((c) =>
        Array.from({ length: warmup }, () =>
          c.order(options.nameOf(name++), options.board).finally(watch.progress),
        ),
      ),
    );
    let next = 0;
    server0 = options.serverCpuMs?.();
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    lastCompletion = t0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < orders && !watch.stalled) {
          next++;
          const dnsName = options.nameOf(name++);
          const start = performance.now();
          try {
            const outcome = await client.order(dnsName, options.board);
            lastCompletion = performance.now();
            latenciesMs.push(lastCompletion - start);
            steps.push(outcome.steps);
            requests.push(outcome.requests);
          } catch (error) {
            if (watch.stalled) return;
            failed++;
            if (errors.length < KEPT_ERRORS) errors.push(`${dnsName}: ${(error as Error).message}`);
          }
          watch.progress();
        }
      }),
    );
  } catch (error) {
    // Registration or warm-up cut short by a stall: a result with no timed order.
    if (!watch.stalled) throw error;
  } finally {
    watch.stop();
    transport.close();
  }
  const wallMs = (watch.stalled ? lastCompletion : performance.now()) - t0;
  const cpu = process.cpuUsage(cpu0);
  const server1 = options.serverCpuMs?.();
  return {
    orders,
    concurrency,
    wallMs,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    serverCpuMs: server0 === undefined || server1 === undefined ? undefined : server1 - server0,
    latenciesMs,
    steps,
    requests,
    errors,
    failed,
    ...(watch.stalled ? { stalledAfterOrders: latenciesMs.length } : {}),
  };
}
