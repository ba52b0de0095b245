// Scripted TCP peers for the probe tests: a server on 127.0.0.1 port 0 whose behaviour a
// test writes, stopped when the test ends. Test-only (testdata/ is not built).
import { once } from 'node:events';
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
