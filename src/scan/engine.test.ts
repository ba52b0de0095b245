import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import test from 'node:test';
import { createServer } from 'node:tls';
import { type Dialer, defaultDialer } from '../probe/connection.ts';
import { selfSignedCertificate } from '../probe/testdata/peer.ts';
import { parseClientHello } from '../wire/client-hello.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import { scanEndpoint } from './engine.ts';

/** What a TLS 1.3 ClientHello asked for, read from the first bytes a connection sent. */
interface Tls13Hello {
  readonly keyShares: boolean;
  readonly groups: number;
}

function tls13Hello(bytes: Uint8Array): Tls13Hello | undefined {
  // One handshake record: 5 bytes of record header, 4 of handshake header.
  if (bytes.length < 9 || bytes[0] !== 0x16 || bytes[5] !== 0x01) return undefined;
  const hello = parseClientHello(bytes.subarray(9, 9 + ((bytes[7]! << 8) | bytes[8]!)));
  const data = (type: number) => hello.extensions?.find((e) => e.type === type)?.data;
  const versions = data(X.supported_versions);
  if (versions === undefined || !/0304/.test(Buffer.from(versions).toString('hex'))) {
    return undefined;
  }
  return {
    keyShares: (data(X.key_share)?.length ?? 0) > 2,
    groups: ((data(X.supported_groups)?.length ?? 2) - 2) / 2,
  };
}

test('the TLS 1.3 flight does not wait for the rest of the group enumeration', async (t) => {
  const { key, cert } = selfSignedCertificate(t, 'localhost');
  // Ten groups: the enumeration takes eleven hellos in a row, the flight needs the first.
  const server = createServer({
    key,
    cert,
    ecdhCurve: 'X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192',
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;

  const hellos: Tls13Hello[] = [];
  // Reads the first write of each connection: the hello, in the order they were sent.
  const dialer: Dialer = async (endpoint, signal) => {
    const socket = await defaultDialer(endpoint, signal);
    const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean;
    let first = true;
    socket.write = ((chunk: Uint8Array) => {
      if (first) {
        const hello = tls13Hello(chunk);
        if (hello !== undefined) hellos.push(hello);
      }
      first = false;
      return write(chunk);
    }) as Socket['write'];
    return socket;
  };
  const report = await scanEndpoint({ host: '127.0.0.1', port }, { quick: true, dialer });

  assert.equal(report.groupsByProtocol['TLSv1.3']?.length, 10, 'all ten groups found');
  assert.ok(report.certificateChain.length > 0, 'the flight read the chain');
  const flight = hellos.findIndex((h) => h.keyShares);
  const groupHellos = hellos.filter((h) => !h.keyShares);
  const lastGroupHello = hellos.indexOf(
    groupHellos.reduce((a, b) => (b.groups < a.groups ? b : a)),
  );
  assert.ok(flight >= 0, 'one hello carried a key share');
  assert.ok(
    flight < lastGroupHello,
    `flight sent as hello ${flight}, the group enumeration ended with hello ${lastGroupHello}`,
  );
});
