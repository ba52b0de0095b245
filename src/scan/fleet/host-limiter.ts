import type { Socket } from 'node:net';
import { WiretightError } from '../../errors.ts';
import { type Dialer, isTimeout } from '../../probe/connection.ts';

/** When a host counts as pushing back, and how long to leave it alone then. */
export interface BackoffPolicy {
  /** Refused, reset or timed-out connects in a row (no success between) that make a burst. */
  readonly burst: number;
  /** A burst's failures fall within this many milliseconds of its first. */
  readonly windowMs: number;
  /** The first pause after a burst; each further burst doubles it, up to `maxMs`. */
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  burst: 3,
  windowMs: 10_000,
  baseMs: 250,
  maxMs: 8_000,
};

export interface HostLimiterOptions {
  /** Connections open at once to one IP address, across every scan sharing the limiter. */
  readonly perHost: number;
  readonly backoff?: Partial<BackoffPolicy>;
  /**
   * Idle hosts whose state (a lowered cap, a pause) is remembered; beyond this the
   * oldest idle ones are forgotten, so a sweep of a /16 holds no state per address.
   */
  readonly maxIdleHosts?: number;
  /** An idle host untouched for this long starts afresh (default 60 s). */
  readonly forgetAfterMs?: number;
  readonly now?: () => number;
  /** Uniform in [0, 1): the jitter of the pauses. */
  readonly random?: () => number;
}

/** What the limiter holds about one address, for tests and progress displays. */
export interface HostSnapshot {
  readonly open: number;
  readonly waiting: number;
  /** The cap now: `perHost`, or less after a burst of failures. */
  readonly cap: number;
  /** No connection is made to the host before this time (ms, the limiter's clock). */
  readonly notBefore: number;
}

interface HostState {
  open: number;
  cap: number;
  readonly waiters: (() => void)[];
  /** Failures of the current burst, and when it began. */
  failures: number;
  burstStart: number;
  /** How many pauses in a row: the exponent of the next one. */
  level: number;
  notBefore: number;
  /** Successes since the cap was last raised (it grows back one per `cap` successes). */
  successes: number;
  lastUsed: number;
  timer: NodeJS.Timeout | undefined;
}

/** Connect errors by which a host says "not so fast" (or drops what it cannot take). */
const PUSHBACK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

function errnoCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('WT_ERR_')) return code;
  }
  return undefined;
}

function abortError(signal: AbortSignal): unknown {
  if (signal.reason instanceof WiretightError) return signal.reason;
  return new WiretightError('WT_ERR_PROBE_ABORTED', 'cancelled');
}

/**
 * Holds a fleet scan to at most `perHost` connections open at once to one IP address,
 * whatever the number of targets that share it (a CIDR sweep over several ports, many
 * names behind one load balancer), and backs off a host that pushes back.
 *
 * A burst of refused, reset or timed-out connects pauses new connections to that host
 * (exponential, capped, with jitter) and halves its cap; successes raise the cap again
 * one step at a time. Only connects are judged: what a server does with a ClientHello
 * (a reset for an old version, silence) is its answer to the scan, not pushback.
 *
 * Memory is bounded: a host's state is dropped as soon as it is idle and unpenalised,
 * and penalised idle hosts beyond `maxIdleHosts` are forgotten oldest first.
 */
export class HostLimiter {
  readonly perHost: number;
  readonly #backoff: BackoffPolicy;
  readonly #maxIdleHosts: number;
  readonly #forgetAfterMs: number;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #hosts = new Map<string, HostState>();

  constructor(options: HostLimiterOptions) {
    if (!Number.isInteger(options.perHost) || options.perHost < 1) {
      throw new RangeError(`perHost must be a positive integer, got ${options.perHost}`);
    }
    const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    if (!Number.isInteger(backoff.burst) || backoff.burst < 1) {
      throw new RangeError(`backoff.burst must be a positive integer, got ${backoff.burst}`);
    }
    for (const key of ['windowMs', 'baseMs', 'maxMs'] as const) {
      if (!Number.isFinite(backoff[key]) || backoff[key] < 0) {
        throw new RangeError(`backoff.${key} must be ≥ 0, got ${backoff[key]}`);
      }
    }
    this.perHost = options.perHost;
    this.#backoff = backoff;
    this.#maxIdleHosts = options.maxIdleHosts ?? 1024;
    this.#forgetAfterMs = options.forgetAfterMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** What a scan capped at `maxConnections` may hold open at once: no more than the host cap. */
  connectionsFor(maxConnections: number): number {
    return Math.min(maxConnections, this.perHost);
  }

  /** Hosts the limiter holds state for: those in use, waited for, or still penalised. */
  get hosts(): number {
    return this.#hosts.size;
  }

  snapshot(address: string): HostSnapshot | undefined {
    const s = this.#hosts.get(address);
    if (s === undefined) return undefined;
    return { open: s.open, waiting: s.waiters.length, cap: s.cap, notBefore: s.notBefore };
  }

  /**
   * `dialer`, held to the cap: a connection waits for a free slot (and for the end of a
   * pause) before it is dialled, and holds its slot until its socket closes.
   */
  wrap(dialer: Dialer): Dialer {
    return async (endpoint, signal) => {
      const state = await this.#acquire(endpoint.address, signal);
      let socket: Socket;
      try {
        socket = await dialer(endpoint, signal);
      } catch (err) {
        // A deadline that fired during the connect is the host's silence (a SYN dropped);
        // a cancel from our side (a target or run deadline) says nothing about the host.
        const cancelled = signal.aborted && !isTimeout(signal);
        if (!cancelled && (isTimeout(signal) || PUSHBACK_CODES.has(errnoCode(err) ?? ''))) {
          this.#failed(state);
        }
        this.#release(endpoint.address, state);
        throw err;
      }
      this.#succeeded(state);
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        this.#release(endpoint.address, state);
      };
      socket.once('close', release);
      if (socket.destroyed) release();
      return socket;
    };
  }

  #state(address: string): HostState {
    const now = this.#now();
    let s = this.#hosts.get(address);
    if (s !== undefined && isIdle(s) && now - s.lastUsed > this.#forgetAfterMs) {
      this.#forget(address, s);
      s = undefined;
    }
    if (s === undefined) {
      this.#prune();
      s = {
        open: 0,
        cap: this.perHost,
        waiters: [],
        failures: 0,
        burstStart: 0,
        level: 0,
        notBefore: 0,
        successes: 0,
        lastUsed: now,
        timer: undefined,
      };
      this.#hosts.set(address, s);
    }
    s.lastUsed = now;
    return s;
  }

  async #acquire(address: string, signal: AbortSignal): Promise<HostState> {
    if (signal.aborted) throw abortError(signal);
    const s = this.#state(address);
    if (s.waiters.length === 0 && s.open < s.cap && this.#now() >= s.notBefore) {
      s.open++;
      return s;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const at = s.waiters.indexOf(grant);
        if (at >= 0) s.waiters.splice(at, 1);
        // A pause's timer with no one left to wake would only keep the process alive.
        if (s.waiters.length === 0 && s.timer !== undefined) {
          clearTimeout(s.timer);
          s.timer = undefined;
        }
        this.#settle(address, s);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      s.waiters.push(grant);
      this.#pump(s);
    });
    return s;
  }

  /** Lets waiters in while the cap and the pause allow; wakes up when a pause ends. */
  #pump(s: HostState): void {
    const now = this.#now();
    while (s.waiters.length > 0 && s.open < s.cap && now >= s.notBefore) {
      s.open++;
      s.waiters.shift()?.();
    }
    if (s.waiters.length > 0 && now < s.notBefore && s.timer === undefined) {
      s.timer = setTimeout(() => {
        s.timer = undefined;
        this.#pump(s);
      }, s.notBefore - now);
    }
  }

  #release(address: string, s: HostState): void {
    s.open--;
    s.lastUsed = this.#now();
    this.#pump(s);
    this.#settle(address, s);
  }

  #succeeded(s: HostState): void {
    s.failures = 0;
    if (s.level > 0) s.level--;
    if (s.cap < this.perHost && ++s.successes >= s.cap) {
      s.cap++;
      s.successes = 0;
      this.#pump(s);
    }
  }

  #failed(s: HostState): void {
    const now = this.#now();
    if (s.failures === 0 || now - s.burstStart > this.#backoff.windowMs) {
      s.failures = 0;
      s.burstStart = now;
    }
    if (++s.failures < this.#backoff.burst) return;
    s.failures = 0;
    s.successes = 0;
    s.level++;
    const pause = Math.min(this.#backoff.maxMs, this.#backoff.baseMs * 2 ** (s.level - 1));
    // Half fixed, half random: hosts penalised together do not all come back at once.
    const jittered = pause / 2 + (this.#random() * pause) / 2;
    s.notBefore = Math.max(s.notBefore, now + jittered);
    s.cap = Math.max(1, Math.floor(s.cap / 2));
  }

  /** Drops an idle host's state right away unless it still carries a penalty. */
  #settle(address: string, s: HostState): void {
    if (!isIdle(s)) return;
    const clean =
      s.cap === this.perHost && s.level === 0 && s.failures === 0 && this.#now() >= s.notBefore;
    if (clean) this.#forget(address, s);
  }

  #forget(address: string, s: HostState): void {
    if (s.timer !== undefined) clearTimeout(s.timer);
    if (this.#hosts.get(address) === s) this.#hosts.delete(address);
  }

  /** Keeps the penalised idle hosts within `maxIdleHosts`, forgetting the oldest first. */
  #prune(): void {
    if (this.#hosts.size < this.#maxIdleHosts) return;
    let idle = 0;
    for (const s of this.#hosts.values()) if (isIdle(s)) idle++;
    let excess = idle - Math.floor(this.#maxIdleHosts / 2);
    for (const [address, s] of this.#hosts) {
      if (excess <= 0) break;
      if (!isIdle(s)) continue;
      this.#forget(address, s);
      excess--;
    }
  }
}

function isIdle(s: HostState): boolean {
  return s.open === 0 && s.waiters.length === 0;
}
