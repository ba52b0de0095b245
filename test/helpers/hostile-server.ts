// Servers that misbehave on purpose, on 127.0.0.1 port 0, so the tests can show that the
// scanner turns every bad peer into a finding or a typed error: never a crash, a hang or
// unbounded memory (DESIGN.md, "Hostile input"). Plus a scripted responder that answers
// one ClientHello with canned bytes, to play servers the local OpenSSL cannot run
// (SSLv2- or SSLv3-only ones).
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export type HostileBehaviour =
  | 'garbage'
  | 'truncated-record'
  | 'huge-length'
  | 'huge-record'
  | 'slow'
  | 'reset'
  | 'http'
  | 'silent'
  | 'close'
  | 'smtp-banner';

export interface HostileServer {
  host: '127.0.0.1';
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Closes the listener and destroys every open connection. */
  stop(): Promise<void>;
}

export interface HostileOptions {
  /** Pause between the bytes of 'slow' and the filler records of 'huge-length' (ms). */
  intervalMs?: number;
}

const HANDSHAKE = 0x16;

/** A TLS record header: type, version 3.3 (TLS 1.2), 16-bit length. */
export function recordHeader(type: number, length: number): Buffer {
  return Buffer.from([type, 0x03, 0x03, (length >> 8) & 0xff, length & 0xff]);
}

export const HTTP_400 =
  'HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n' +
  'Content-Length: 32\r\nConnection: close\r\n\r\n<html><h1>400 Bad Request</h1>\n';

type Handler = (socket: Socket, every: (ms: number, fn: () => void) => void) => void;

// What each behaviour does with a fresh connection. `every` runs fn on a timer that is
// cleared when the connection closes.
function handler(behaviour: HostileBehaviour, intervalMs: number): Handler {
  switch (behaviour) {
    case 'garbage':
      return (s) =>
        s.once('data', () => {
          const junk = randomBytes(64);
          junk[0] = (junk[0] ?? 0) & 0x0f; // not a TLS content type (0x14-0x18), not SSLv2
          s.end(junk);
        });
    case 'truncated-record':
      // announces 100 bytes of handshake, sends 10, closes
      return (s) =>
        s.once('data', () =>
          s.end(Buffer.concat([recordHeader(HANDSHAKE, 100), Buffer.alloc(10, 0x02)])),
        );
    case 'huge-length':
      // a ServerHello claiming 2^24-1 bytes, then 16 KiB filler records, slowly, forever
      return (s, every) =>
        s.once('data', () => {
          const body = Buffer.alloc(0x4000, 0x41);
          body.set([0x02, 0xff, 0xff, 0xff], 0);
          s.write(Buffer.concat([recordHeader(HANDSHAKE, body.length), body]));
          const filler = Buffer.concat([
            recordHeader(HANDSHAKE, 0x4000),
            Buffer.alloc(0x4000, 0x41),
          ]);
          every(intervalMs, () => s.write(filler));
        });
    case 'huge-record':
      // a record header claiming 0xffff bytes (max legal is 2^14 + 2048), then stays open
      return (s) =>
        s.once('data', () =>
          s.write(Buffer.concat([recordHeader(HANDSHAKE, 0xffff), Buffer.alloc(16, 0x02)])),
        );
    case 'slow': {
      // a plausible record header and ServerHello start, one byte per interval, stopping
      // one byte short of the 0x40 announced: the record never completes
      const bytes = Buffer.alloc(5 + 0x40 - 1);
      bytes.set([...recordHeader(HANDSHAKE, 0x40), 0x02, 0x00, 0x00, 0x3c, 0x03, 0x03]);
      return (s, every) =>
        s.once('data', () => {
          let i = 0;
          s.write(bytes.subarray(i, ++i));
          every(intervalMs, () => {
            if (i < bytes.length) s.write(bytes.subarray(i, ++i));
          });
        });
    }
    case 'reset':
      return (s) => s.once('data', () => s.resetAndDestroy());
    case 'http':
      return (s) => s.once('data', () => s.end(HTTP_400));
    case 'silent':
      return () => {};
    case 'close':
      return (s) => s.end();
    case 'smtp-banner':
      return (s) => {
        s.write('220 mail.example ESMTP\r\n');
        s.on('data', () => s.write('500 5.5.2 Error: bad syntax\r\n'));
      };
  }
}

/** A misbehaving server, one behaviour for every connection. */
export function startHostileServer(
  behaviour: HostileBehaviour,
  opts: HostileOptions = {},
): Promise<HostileServer> {
  const handle = handler(behaviour, opts.intervalMs ?? 1000);
  return listen((socket) => {
    const timers: NodeJS.Timeout[] = [];
    socket.on('close', () => timers.forEach(clearInterval));
    handle(socket, (ms, fn) => timers.push(setInterval(fn, ms)));
  });
}

/** What the scripted server writes for one ClientHello: bytes, several writes, or nothing (close). */
export type ScriptedResponse = Buffer | Buffer[] | null;

export interface ScriptedServer extends HostileServer {
  /** The first record (TLS or SSLv2, header included) of each connection so far. */
  received(): Buffer[];
}

const MAX_TLS_RECORD = 5 + 0x4000 + 2048;

/**
 * Reads one complete record from each connection (a TLS record, or an SSLv2 one when the
 * first byte has its high bit set: 2-byte header, 15-bit length), passes it to respond,
 * and writes what it returns, each Buffer as its own write. The connection then stays
 * open until the client closes it; null closes it at once, as does anything else.
 */
export function startScriptedServer(
  respond: (clientHello: Buffer) => ScriptedResponse,
): Promise<ScriptedServer> {
  const received: Buffer[] = [];
  return listen((socket) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const size = recordSize(buffered);
      if (size === 'invalid' || buffered.length > MAX_TLS_RECORD) {
        socket.destroy();
        return;
      }
      if (size === undefined || buffered.length < size) return; // wait for the rest
      socket.off('data', onData);
      const record = buffered.subarray(0, size);
      received.push(record);
      let reply: ScriptedResponse;
      try {
        reply = respond(record);
      } catch {
        reply = null;
      }
      if (reply === null) {
        socket.destroy();
        return;
      }
      for (const b of Array.isArray(reply) ? reply : [reply]) socket.write(b);
    };
    socket.on('data', onData);
  }).then((server) => ({ ...server, received: () => [...received] }));
}

/** Total size of the record at the start of buf, undefined if the header is incomplete. */
function recordSize(buf: Buffer): number | 'invalid' | undefined {
  const b0 = buf[0];
  if (b0 === undefined) return undefined;
  if (b0 & 0x80) {
    const b1 = buf[1];
    return b1 === undefined ? undefined : 2 + (((b0 & 0x7f) << 8) | b1);
  }
  if (b0 < 0x14 || b0 > 0x18) return 'invalid';
  const hi = buf[3];
  const lo = buf[4];
  return hi === undefined || lo === undefined ? undefined : 5 + ((hi << 8) | lo);
}

/** A loopback listener on a free port that counts connections and stops cleanly. */
export function listen(
  onConnection: (socket: Socket, connection: number) => void,
): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // the client going away is not the server's problem
    onConnection(socket, count);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      resolve({
        host: '127.0.0.1',
        port: address.port,
        connections: () => count,
        stop: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
