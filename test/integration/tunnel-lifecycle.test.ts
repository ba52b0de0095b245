// A tunnel's life around its connections: certificates rotated on disk (a Kubernetes-style
// symlink swap) during a long transfer, a broken file on reload, a client that stalls in
// the handshake, the connection limit, and the graceful drain.
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { recordingLogger } from '../../src/core/logger.ts';
import { startTunnelServer, type Tunnel } from '../../src/tunnel/index.ts';
import { type LeafFiles, type TunnelPki, makeTunnelPki } from '../helpers/tunnel-pki.ts';
import {
  type Peer,
  echoExchange,
  startEchoServer,
  waitFor,
  waitForRecord,
} from '../helpers/tunnel.ts';
import { startTunnelClient } from '../../src/tunnel/index.ts';

const LISTEN = { kind: 'tcp', host: '127.0.0.1', port: 0 } as const;
const SERVER_NAMES = [
  { type: 'dns', value: 'localhost' },
  { type: 'ip', value: '127.0.0.1' },
] as const;
let pki: TunnelPki;
let clientLeaf: LeafFiles;
let echo: Peer;
const tunnels: Tunnel[] = [];

before(async () => {
  pki = await makeTunnelPki();
  clientLeaf = await pki.issue(
    'client',
    [{ type: 'uri', value: 'spiffe://example.org/app' }],
    'client',
  );
  echo = await startEchoServer();
});

after(async () => {
  await Promise.all(tunnels.map((t) => t.close()));
  await echo?.close();
  await pki?.close();
});

/** A Kubernetes secret volume: tls.crt → ..data/tls.crt, ..data → a timestamped directory. */
async function secretVolume(
  generation: number,
  root?: string,
): Promise<{ root: string; serial: string }> {
  const dir = root ?? join(pki.dir, `volume-${Date.now()}-${Math.random().toString(16).slice(2)}`);
  const stamped = join(dir, `..${generation}`);
  mkdirSync(stamped, { recursive: true });
  const leaf = await pki.issue('tls', [...SERVER_NAMES], 'server', stamped);
  renameSync(join(stamped, 'tls.pem'), join(stamped, 'tls.crt'));
  writeFileSync(join(stamped, 'ca.crt'), pki.rootPem);
  symlinkSync(`..${generation}`, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  if (root === undefined) {
    for (const f of ['tls.crt', 'tls.key', 'ca.crt']) symlinkSync(join('..data', f), join(dir, f));
  }
  return { root: dir, serial: leaf.serial };
}

function serverSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: readFileSync(pki.ca),
      cert: readFileSync(clientLeaf.cert),
      key: readFileSync(clientLeaf.key),
    });
    s.on('error', reject);
    s.once('secureConnect', () => {
      resolve(s.getPeerCertificate().serialNumber.toLowerCase());
      s.destroy();
    });
  });
}

async function server(
  credentials: { cert: string; key: string; ca: string },
  more: Partial<Parameters<typeof startTunnelServer>[0]> = {},
): Promise<{ tunnel: Tunnel; records: ReturnType<typeof recordingLogger>['records'] }> {
  const logger = recordingLogger();
  const tunnel = await startTunnelServer({
    listen: LISTEN,
    target: { kind: 'tcp', host: '127.0.0.1', port: echo.port },
    credentials,
    allow: { uri: ['spiffe://example.org/app'] },
    reload: { intervalMs: 0, debounceMs: 100 },
    logger,
    ...more,
  });
  tunnels.push(tunnel);
  return { tunnel, records: logger.records };
}

test('a symlink-swapped certificate is picked up during a long transfer, which survives', async () => {
  const volume = await secretVolume(1);
  const { tunnel, records } = await server({
    cert: join(volume.root, 'tls.crt'),
    key: join(volume.root, 'tls.key'),
    ca: join(volume.root, 'ca.crt'),
  });
  const client = await startTunnelClient({
    listen: LISTEN,
    target: { kind: 'tcp', host: '127.0.0.1', port: tunnel.address.port },
    serverName: 'localhost',
    credentials: { cert: clientLeaf.cert, key: clientLeaf.key, ca: pki.ca },
    reload: { watch: false, intervalMs: 0 },
  });
  tunnels.push(client);
  assert.equal(await serverSerial(tunnel.address.port), volume.serial);
  // About 2 s of traffic; the rotation lands in the middle of it.
  const transfer = echoExchange(client.address.port, 8 * 1024 * 1024, {
    chunks: 64,
    intervalMs: 30,
  });
  await new Promise((r) => setTimeout(r, 400));
  const next = await secretVolume(2, volume.root);
  await waitFor(
    () => tunnel.credentials().leaf.serialNumber.toLowerCase() === next.serial,
    5000,
    'the watcher reload',
  );
  const done = await transfer;
  assert.equal(done.receivedBytes, 8 * 1024 * 1024);
  assert.equal(done.received, done.sent);
  assert.equal(await serverSerial(tunnel.address.port), next.serial);
  const reload = await waitForRecord(records, (r) => r.fields['event'] === 'tunnel.reload');
  assert.equal(reload.fields['trigger'], 'watch');
  assert.equal(reload.fields['result'], 'reloaded');
  const line = await waitForRecord(
    records,
    (r) =>
      r.fields['event'] === 'tunnel.connection' && r.fields['bytesFromClient'] === 8 * 1024 * 1024,
  );
  assert.equal(line.fields['reason'], 'closed-by-client');
});

test('a broken certificate file keeps the old one, says why, and connections still work', async () => {
  const leaf = await pki.issue('broken', [...SERVER_NAMES], 'server');
  const { tunnel, records } = await server(
    { cert: leaf.cert, key: leaf.key, ca: pki.ca },
    { reload: { watch: false, intervalMs: 0 } },
  );
  writeFileSync(
    leaf.cert,
    '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n',
  );
  assert.equal(await tunnel.reload('signal'), 'failed');
  const line = await waitForRecord(records, (r) => r.fields['event'] === 'tunnel.reload');
  assert.equal(line.level, 'error');
  assert.equal((line.fields['error'] as { code: string }).code, 'WT_ERR_TUNNEL_CREDENTIALS');
  assert.equal(line.fields['trigger'], 'signal');
  assert.equal(tunnel.credentials().leaf.serialNumber.toLowerCase(), leaf.serial);
  assert.equal(await serverSerial(tunnel.address.port), leaf.serial);
  // A key that belongs to another certificate is refused the same way.
  const otherLeaf = await pki.issue('other', [...SERVER_NAMES], 'server');
  writeFileSync(leaf.cert, readFileSync(otherLeaf.cert));
  assert.equal(await tunnel.reload(), 'failed');
  writeFileSync(leaf.key, readFileSync(otherLeaf.key));
  assert.equal(await tunnel.reload(), 'reloaded');
  assert.equal(await tunnel.reload(), 'unchanged');
  assert.equal(await serverSerial(tunnel.address.port), otherLeaf.serial);
});

function stalledSocket(port: number, bytes: Buffer = Buffer.alloc(0)) {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  socket.write(bytes);
  const closed = new Promise<number>((resolve) => {
    const start = Date.now();
    socket.on('close', () => resolve(Date.now() - start));
  });
  return { socket, closed };
}

// The first 5 bytes of a ClientHello record and a little of its body, then nothing.
const PARTIAL_HELLO = Buffer.from('16030100c8010000c40303', 'hex');

test('a client that stalls mid-handshake is cut at the handshake timeout', async () => {
  const leaf = await pki.issue('stall', [...SERVER_NAMES], 'server');
  const { tunnel, records } = await server(
    { cert: leaf.cert, key: leaf.key, ca: pki.ca },
    { limits: { handshakeTimeoutMs: 300 }, reload: { watch: false, intervalMs: 0 } },
  );
  const stalled = stalledSocket(tunnel.address.port, PARTIAL_HELLO);
  const elapsed = await stalled.closed;
  assert.ok(elapsed >= 250, `closed after ${elapsed} ms`);
  const line = await waitForRecord(records, (r) => r.fields['event'] === 'tunnel.refused');
  assert.equal(line.fields['reason'], 'handshake-timeout');
});

test('garbage instead of a ClientHello is refused as not-tls and closed', async () => {
  const leaf = await pki.issue('garbage', [...SERVER_NAMES], 'server');
  const { tunnel, records } = await server(
    { cert: leaf.cert, key: leaf.key, ca: pki.ca },
    { reload: { watch: false, intervalMs: 0 } },
  );
  const http = stalledSocket(tunnel.address.port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  await http.closed;
  const line = await waitForRecord(records, (r) => r.fields['event'] === 'tunnel.refused');
  assert.equal(line.fields['reason'], 'not-tls');
  assert.equal(tunnel.activeConnections(), 0);
});

test('the connection limit holds: the connection over it is closed at once and logged', async () => {
  const leaf = await pki.issue('limit', [...SERVER_NAMES], 'server');
  const { tunnel, records } = await server(
    { cert: leaf.cert, key: leaf.key, ca: pki.ca },
    {
      limits: { maxConnections: 2, handshakeTimeoutMs: 20_000 },
      reload: { watch: false, intervalMs: 0 },
    },
  );
  const held = [stalledSocket(tunnel.address.port), stalledSocket(tunnel.address.port)];
  await new Promise((r) => setTimeout(r, 200));
  const third = stalledSocket(tunnel.address.port);
  await third.closed;
  const line = await waitForRecord(records, (r) => r.fields['event'] === 'tunnel.refused');
  assert.equal(line.fields['reason'], 'connection-limit');
  for (const h of held) assert.equal(h.socket.destroyed, false);
  for (const h of held) h.socket.destroy();
});

test('close() drains: new connections are refused, a live one finishes, then it stops', async () => {
  const leaf = await pki.issue('drain', [...SERVER_NAMES], 'server');
  const { tunnel, records } = await server(
    { cert: leaf.cert, key: leaf.key, ca: pki.ca },
    { reload: { watch: false, intervalMs: 0 } },
  );
  const client = await startTunnelClient({
    listen: LISTEN,
    target: { kind: 'tcp', host: '127.0.0.1', port: tunnel.address.port },
    serverName: 'localhost',
    credentials: { cert: clientLeaf.cert, key: clientLeaf.key, ca: pki.ca },
    reload: { watch: false, intervalMs: 0 },
  });
  tunnels.push(client);
  const transfer = echoExchange(client.address.port, 1024 * 1024, { chunks: 32, intervalMs: 30 });
  await waitFor(() => tunnel.activeConnections() === 1, 5000, 'one live connection');
  let closed = false;
  const closing = tunnel.close().then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 100));
  await assert.rejects(serverSerial(tunnel.address.port), /ECONNREFUSED/);
  assert.equal(closed, false);
  const done = await transfer;
  assert.equal(done.received, done.sent);
  await closing;
  assert.equal(tunnel.activeConnections(), 0);
  const line = await waitForRecord(records, (r) => r.fields['event'] === 'tunnel.connection');
  assert.equal(line.fields['reason'], 'closed-by-client');
});

test('close() cuts what is still open at the drain deadline', async () => {
  const leaf = await pki.issue('deadline', [...SERVER_NAMES], 'server');
  const { tunnel, records } = await server(
    { cert: leaf.cert, key: leaf.key, ca: pki.ca },
    { limits: { drainTimeoutMs: 300 }, reload: { watch: false, intervalMs: 0 } },
  );
  const socket = tlsConnect({
    host: '127.0.0.1',
    port: tunnel.address.port,
    servername: 'localhost',
    ca: readFileSync(pki.ca),
    cert: readFileSync(clientLeaf.cert),
    key: readFileSync(clientLeaf.key),
  });
  socket.on('error', () => undefined);
  await new Promise((r) => socket.once('secureConnect', r));
  await waitFor(() => tunnel.activeConnections() === 1, 5000, 'one live connection');
  await tunnel.close();
  const line = await waitForRecord(records, (r) => r.fields['event'] === 'tunnel.connection');
  assert.equal(line.fields['reason'], 'drain-timeout');
  socket.destroy();
});
