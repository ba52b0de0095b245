// Peers for the tunnel tests: a TCP echo server that honours half-close, a tiny HTTP
// server, and polling helpers for the log records a tunnel writes.
import { createHash } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import type { LogRecord } from '../../src/core/logger.ts';

export interface Peer {
  readonly port: number;
  close(): Promise<void>;
}

function started(server: Server): Promise<Peer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      }),
    );
  });
}

/** Echoes every byte; ends its side when the client ends its own (half-close). */
export function startEchoServer(): Promise<Peer> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  return started(server).then((peer) => ({
    port: peer.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await peer.close();
    },
  }));
}

export function startHttpServer(body: string): Promise<Peer> {
  return started(
    createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    }) as unknown as Server,
  );
}

/** Waits until a record matches, or fails after `timeoutMs`. */
export async function waitForRecord(
  records: readonly LogRecord[],
  match: (record: LogRecord) => boolean,
  timeoutMs = 5000,
): Promise<LogRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = records.find(match);
    if (hit !== undefined) return hit;
    if (Date.now() > deadline) {
      throw new Error(
        `no matching log record in ${timeoutMs} ms; got ${JSON.stringify(records.map((r) => r.fields))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitFor(
  condition: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Exchange {
  readonly sent: string;
  readonly received: string;
  readonly receivedBytes: number;
}

/**
 * Sends `totalBytes` of pseudo-random data in `chunks` pieces, one every `intervalMs`,
 * then half-closes; resolves with the SHA-256 of what was sent and of all that came back
 * once the other side ends.
 */
export function echoExchange(
  port: number,
  totalBytes: number,
  options: { chunks?: number; intervalMs?: number } = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const chunks = options.chunks ?? 16;
    const size = Math.ceil(totalBytes / chunks);
    const sent = createHash('sha256');
    const received = createHash('sha256');
    let receivedBytes = 0;
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      received.update(d);
      receivedBytes += d.length;
    });
    socket.on('end', () => {
      socket.end();
      resolve({ sent: sent.digest('hex'), received: received.digest('hex'), receivedBytes });
    });
    let i = 0;
    const next = (): void => {
      if (i === chunks) {
        socket.end();
        return;
      }
      const chunk = Buffer.alloc(size);
      for (let j = 0; j + 4 <= size; j += 4) chunk.writeUInt32LE((i * size + j) >>> 0, j);
      sent.update(chunk);
      i += 1;
      const ok = socket.write(chunk);
      const go = (): void => void setTimeout(next, options.intervalMs ?? 0);
      if (ok) go();
      else socket.once('drain', go);
    };
    socket.once('connect', next);
  });
}
