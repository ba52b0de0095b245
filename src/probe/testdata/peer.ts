// Scripted TCP peers for the probe tests: a server on 127.0.0.1 port 0 whose behaviour a
// test writes, stopped when the test ends. Test-only (testdata/ is not built).
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import type { TestContext } from 'node:test';
import type { Endpoint } from '../connection.ts';

/** Listens on 127.0.0.1 port 0 and closes `server` and its `sockets` when the test ends. */
export async function listen(
  t: TestContext,
  server: Server,
  sockets: Set<Socket>,
): Promise<Endpoint> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { host: 'localhost', address: '127.0.0.1', port };
}

/** A TCP server that runs `onConnection` for each client. */
export function serve(t: TestContext, onConnection: (socket: Socket) => void): Promise<Endpoint> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // Peers that reset are the point of several tests.
    });
    onConnection(socket);
  });
  return listen(t, server, sockets);
}

/** Answers the first bytes the client sends with `chunks`, each written separately. */
export function answerWith(...chunks: Uint8Array[]): (socket: Socket) => void {
  return (socket) => {
    socket.once('data', () => {
      for (const c of chunks) socket.write(c);
    });
  };
}

/** Writes `bytes` one byte every `intervalMs`: a peer that is alive but never finishes. */
export function drip(bytes: Uint8Array, intervalMs: number): (socket: Socket) => void {
  return (socket) => {
    let at = 0;
    const timer = setInterval(() => {
      if (at < bytes.length) socket.write(bytes.subarray(at, ++at));
    }, intervalMs);
    socket.on('close', () => clearInterval(timer));
  };
}

/** A self-signed P-256 certificate for `CN=commonName`, made by the openssl CLI, PEM. */
export function selfSignedCertificate(
  t: TestContext,
  commonName: string,
): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'wt-peer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}
