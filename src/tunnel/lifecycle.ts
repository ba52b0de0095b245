// What both tunnel modes share around their connections: the limits, the set of live
// connections (from accept to close, the handshake and the target dial included), and
// the graceful drain: stop accepting, let live connections finish until the deadline,
// then cut the rest.
import type { Server } from 'node:net';
import type { CloseReason } from './forward.ts';

export interface TunnelLimits {
  /** From TCP accept to a finished TLS handshake. */
  readonly handshakeTimeoutMs: number;
  /** No byte either way for this long ends a connection. */
  readonly idleTimeoutMs: number;
  /** To reach the target. */
  readonly connectTimeoutMs: number;
  /** Connections beyond this are closed at accept. */
  readonly maxConnections: number;
  /** How long `close()` lets live connections finish. */
  readonly drainTimeoutMs: number;
}

export const DEFAULT_LIMITS: TunnelLimits = {
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  connectTimeoutMs: 5_000,
  maxConnections: 1024,
  drainTimeoutMs: 30_000,
};

export function checkLimits(limits: Partial<TunnelLimits> = {}): TunnelLimits {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
      throw new RangeError(`${name} must be a whole number from 1 to 2^31-1, got ${value}`);
    }
  }
  return merged;
}

export interface ConnectionSet {
  /** Registers a live connection by how to cut it; returns its release. */
  track(abort: (reason: CloseReason) => void): () => void;
  size(): number;
  /** Closes the listener, waits for live connections up to the deadline, cuts the rest. */
  drain(server: Server, timeoutMs: number): Promise<void>;
}

export function connectionSet(): ConnectionSet {
  const live = new Set<(reason: CloseReason) => void>();
  let emptied: (() => void) | undefined;
  return {
    track(abort) {
      live.add(abort);
      return () => {
        live.delete(abort);
        if (live.size === 0) emptied?.();
      };
    },
    size: () => live.size,
    async drain(server, timeoutMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (live.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (emptied = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ]);
        clearTimeout(timer);
        for (const abort of [...live]) abort('drain-timeout');
      }
      await closed;
    },
  };
}
