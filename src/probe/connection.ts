import { connect as netConnect, type Socket } from 'node:net';
import { WiretightError } from '../errors.ts';

/** Where to connect: `address` is the resolved IP, `host` the name it came from. */
export interface Endpoint {
  readonly host: string;
  readonly address: string;
  readonly port: number;
}

/** Opens a TCP connection. Injected so tests and fleet scans can wrap or limit it. */
export type Dialer = (endpoint: Endpoint, signal: AbortSignal) => Promise<Socket>;

/**
 * One probe's budget: a deadline for the whole exchange (a peer that drips one byte a
 * second cannot stretch it) and a cap on the bytes we are willing to buffer.
 */
export interface ExchangeLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly signal?: AbortSignal | undefined;
  readonly dialer?: Dialer | undefined;
}

export const DEFAULT_MAX_BYTES = 512 * 1024;

export const defaultDialer: Dialer = (endpoint, signal) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = netConnect({ host: endpoint.address, port: endpoint.port, noDelay: true });
    const onAbort = (): void => {
      socket.destroy();
      reject(abortError(signal));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(connectError(endpoint, err));
    });
  });

function abortError(signal: AbortSignal): WiretightError {
  return signal.reason instanceof WiretightError
    ? signal.reason
    : new WiretightError('WT_ERR_PROBE_ABORTED', 'cancelled');
}

function connectError(endpoint: Endpoint, err: NodeJS.ErrnoException): WiretightError {
  const where = `${endpoint.address}:${endpoint.port}`;
  const why = err.code === 'ECONNREFUSED' ? 'connection refused' : (err.code ?? err.message);
  return new WiretightError('WT_ERR_PROBE_CONNECT', `cannot connect to ${where}: ${why}`, {
    cause: err,
  });
}

/**
 * One exchange's deadline: its signal fires at the timeout or when the caller's signal
 * fires, whichever is first. Disposing it clears the timer and unhooks the caller's
 * signal, so a finished exchange leaves nothing behind (a plain timer rather than
 * AbortSignal.timeout/any, which keep weak references alive until collected).
 */
export interface Deadline {
  readonly signal: AbortSignal;
  dispose(): void;
}

export function startDeadline(limits: ExchangeLimits): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('deadline reached', 'TimeoutError')),
    limits.timeoutMs,
  );
  const parent = limits.signal;
  const onParent = (): void => {
    clearTimeout(timer);
    controller.abort(parent?.reason);
  };
  if (parent?.aborted === true) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

export function isTimeout(signal: AbortSignal): boolean {
  return signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
}

export async function dial(
  endpoint: Endpoint,
  limits: ExchangeLimits,
  signal: AbortSignal,
): Promise<Socket> {
  try {
    return await (limits.dialer ?? defaultDialer)(endpoint, signal);
  } catch (err) {
    if (isTimeout(signal)) {
      throw new WiretightError(
        'WT_ERR_PROBE_TIMEOUT',
        `connecting to ${endpoint.address}:${endpoint.port} took longer than ${limits.timeoutMs} ms`,
      );
    }
    throw err;
  }
}

/** Like dial, but a failure to connect is returned as an outcome for probes that record it. */
export async function dialOutcome(
  endpoint: Endpoint,
  limits: ExchangeLimits,
  signal: AbortSignal,
): Promise<Socket | { readonly kind: 'connect-failed'; readonly error: WiretightError }> {
  try {
    return await dial(endpoint, limits, signal);
  } catch (err) {
    if (err instanceof WiretightError) return { kind: 'connect-failed', error: err };
    throw err;
  }
}

/** How a read ended when no more bytes will come. */
export type StreamEnd = 'closed' | 'reset' | 'timeout' | 'aborted';

/**
 * Pull-style reading from a socket: `read()` resolves with the next chunk or with how the
 * stream ended. Bytes beyond `maxBytes` end the stream with a WT_ERR_WIRE_TOO_LARGE error,
 * so a peer cannot make us buffer without bound.
 */
export class ChunkReader {
  readonly #socket: Socket;
  readonly #signal: AbortSignal;
  readonly #maxBytes: number;
  #chunks: Uint8Array[] = [];
  #end: StreamEnd | WiretightError | undefined;
  #wake: (() => void) | undefined;
  #total = 0;

  constructor(socket: Socket, signal: AbortSignal, maxBytes: number) {
    this.#socket = socket;
    this.#signal = signal;
    this.#maxBytes = maxBytes;
    socket.on('data', (chunk: Buffer) => {
      if (this.#end !== undefined) return;
      const room = maxBytes - this.#total;
      this.#total += chunk.length;
      if (chunk.length > room) {
        // Keep what fits, so an answer complete within the budget is still read in full
        // however TCP split the stream; then stop.
        if (room > 0) this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, room));
        this.#finish(
          new WiretightError(
            'WT_ERR_WIRE_TOO_LARGE',
            `peer sent more than ${this.#maxBytes} bytes`,
          ),
        );
        socket.destroy();
        return;
      }
      this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.#wake?.();
    });
    socket.on('end', () => this.#finish('closed'));
    socket.on('close', () => this.#finish('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      this.#finish(err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'closed'),
    );
    const onAbort = (): void => {
      this.#finish(isTimeout(signal) ? 'timeout' : 'aborted');
      socket.destroy();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    socket.once('close', () => signal.removeEventListener('abort', onAbort));
  }

  get bytesRead(): number {
    return this.#total;
  }

  #finish(end: StreamEnd | WiretightError): void {
    this.#end ??= end;
    this.#wake?.();
  }

  async read(): Promise<Uint8Array | StreamEnd | WiretightError> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) return chunk;
      if (this.#end !== undefined) return this.#end;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  write(bytes: Uint8Array): void {
    if (!this.#socket.destroyed) this.#socket.write(bytes);
  }

  close(): void {
    // Half-open probes are abandoned, not negotiated: a FIN is enough and costs the peer nothing.
    this.#socket.destroy();
  }

  get aborted(): boolean {
    return this.#signal.aborted;
  }
}

/** The outcomes every exchange shares: no connection, or how the stream ended early. */
export type EndOutcome =
  | { readonly kind: 'closed' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'malformed'; readonly error: WiretightError }
  | { readonly kind: 'connect-failed'; readonly error: WiretightError };

/** How an ended stream reads as an outcome: a deadline or a cancel is a timeout. */
export function endOutcome(end: StreamEnd | WiretightError): EndOutcome {
  if (end instanceof WiretightError) return { kind: 'malformed', error: end };
  if (end === 'aborted' || end === 'timeout') return { kind: 'timeout' };
  return { kind: end };
}

/**
 * One probe connection: dial within the deadline, send `request`, let `readAnswer` read
 * the reply, and always close. A failed connect is an outcome, not an exception.
 */
export async function exchange<T>(
  endpoint: Endpoint,
  request: Uint8Array,
  limits: ExchangeLimits,
  readAnswer: (reader: ChunkReader) => Promise<T>,
): Promise<T | Extract<EndOutcome, { kind: 'connect-failed' }>> {
  const deadline = startDeadline(limits);
  try {
    const socket = await dialOutcome(endpoint, limits, deadline.signal);
    if (!('write' in socket)) return socket;
    const reader = new ChunkReader(socket, deadline.signal, limits.maxBytes || DEFAULT_MAX_BYTES);
    try {
      reader.write(request);
      return await readAnswer(reader);
    } finally {
      reader.close();
    }
  } finally {
    deadline.dispose();
  }
}
