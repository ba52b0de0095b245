/**
 * A loopback listener that keeps the first ClientHello a client sends and answers it with
 * a fatal handshake_failure alert, so the client gives up at once. The bytes come from a
 * program we started, but they are still parsed as hostile: capped, timed out, checked.
 */
import { createServer, type Socket } from 'node:net';
import { HANDSHAKE_TYPE, HandshakeReassembler } from '../../src/wire/handshake.ts';
import { CONTENT_TYPE, RecordDeframer, encodeRecords } from '../../src/wire/record.ts';

/** A ClientHello is a few KiB at most, even with post-quantum key shares. */
const MAX_CAPTURE_BYTES = 64 * 1024;

const HANDSHAKE_FAILURE = encodeRecords(CONTENT_TYPE.alert, 0x0303, Uint8Array.of(2, 40));

export interface Capture {
  readonly port: number;
  /** The first ClientHello body (no record or handshake header) any connection sent. */
  readonly hello: Promise<Uint8Array>;
  close(): void;
}

/** Reads records from one connection until a whole ClientHello is in. */
function readHello(socket: Socket): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const deframer = new RecordDeframer();
    const reassembler = new HandshakeReassembler(MAX_CAPTURE_BYTES);
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_CAPTURE_BYTES) {
        reject(new Error(`over ${MAX_CAPTURE_BYTES} bytes without a whole ClientHello`));
        socket.destroy();
        return;
      }
      try {
        deframer.push(new Uint8Array(chunk));
        for (let r = deframer.next(); r !== undefined; r = deframer.next()) {
          if (r.type !== CONTENT_TYPE.handshake) {
            throw new Error(`record type ${r.type} before a ClientHello`);
          }
          const message = reassembler.push(r.fragment)[0];
          if (message === undefined) continue;
          if (message.type !== HANDSHAKE_TYPE.client_hello) {
            throw new Error(`handshake type ${message.type} instead of a ClientHello`);
          }
          socket.end(HANDSHAKE_FAILURE);
          resolve(message.body);
          return;
        }
      } catch (err) {
        socket.destroy();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => reject(new Error('connection closed before a ClientHello')));
  });
}

/** Starts listening on 127.0.0.1 (a free port); `hello` settles within `timeoutMs`. */
export async function startCapture(timeoutMs: number): Promise<Capture> {
  let settle!: { resolve: (b: Uint8Array) => void; reject: (e: Error) => void };
  const hello = new Promise<Uint8Array>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const sockets = new Set<Socket>();
  let firstSeen = false;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Only the first connection counts: browsers open more (preconnects, retries).
    if (firstSeen) {
      socket.destroy();
      return;
    }
    firstSeen = true;
    readHello(socket).then(settle.resolve, settle.reject);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const timer = setTimeout(
    () => settle.reject(new Error(`no ClientHello within ${timeoutMs} ms`)),
    timeoutMs,
  );
  hello.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
  return {
    port: address.port,
    hello,
    close() {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
