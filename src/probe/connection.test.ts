import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import test, { type TestContext } from 'node:test';
import { WiretightError } from '../errors.ts';
import {
  ChunkReader,
  type Endpoint,
  startDeadline,
  defaultDialer,
  dial,
  dialOutcome,
  isTimeout,
} from './connection.ts';

/** A connected pair: the client socket and the server's end of it. */
async function pair(t: TestContext): Promise<{ client: Socket; peer: Socket }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const peerP = once(server, 'connection') as Promise<[Socket]>;
  const client = connect({ host: '127.0.0.1', port });
  await once(client, 'connect');
  const [peer] = await peerP;
  peer.on('error', () => {});
  t.after(async () => {
    client.destroy();
    peer.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { client, peer };
}

const wiretightCode = (code: string) => (err: unknown) =>
  err instanceof WiretightError && err.code === code;

test('a deadline fires at the timeout and reports it as a timeout', async () => {
  const deadline = startDeadline({ timeoutMs: 20, maxBytes: 0 });
  assert.equal(deadline.signal.aborted, false);
  await once(deadline.signal, 'abort');
  assert.equal(isTimeout(deadline.signal), true);
  deadline.dispose();
});

test('a deadline follows the caller signal, which is not a timeout', () => {
  const controller = new AbortController();
  const deadline = startDeadline({ timeoutMs: 10_000, maxBytes: 0, signal: controller.signal });
  controller.abort();
  assert.equal(deadline.signal.aborted, true);
  assert.equal(isTimeout(deadline.signal), false);
  deadline.dispose();
});

test('a deadline that starts after its caller gave up is already aborted', () => {
  const controller = new AbortController();
  controller.abort();
  const deadline = startDeadline({ timeoutMs: 10_000, maxBytes: 0, signal: controller.signal });
  assert.equal(deadline.signal.aborted, true);
  deadline.dispose();
});

test('a disposed deadline never fires and lets go of the caller signal', async () => {
  const controller = new AbortController();
  const deadline = startDeadline({ timeoutMs: 5, maxBytes: 0, signal: controller.signal });
  deadline.dispose();
  await new Promise((resolve) => setTimeout(resolve, 30));
  controller.abort();
  assert.equal(deadline.signal.aborted, false);
});

test('ChunkReader delivers chunks in order, then how the stream ended', async (t) => {
  const { client, peer } = await pair(t);
  const reader = new ChunkReader(client, new AbortController().signal, 1000);
  peer.write('ab');
  const first = await reader.read();
  assert.ok(first instanceof Uint8Array);
  peer.end('cd');
  let text = new TextDecoder().decode(first);
  for (;;) {
    const next = await reader.read();
    if (!(next instanceof Uint8Array)) {
      assert.equal(next, 'closed');
      break;
    }
    text += new TextDecoder().decode(next);
  }
  assert.equal(text, 'abcd');
  assert.equal(reader.bytesRead, 4);
});

test('ChunkReader: more than maxBytes ends the stream with WT_ERR_WIRE_TOO_LARGE', async (t) => {
  const { client, peer } = await pair(t);
  const reader = new ChunkReader(client, new AbortController().signal, 100);
  peer.write(new Uint8Array(101));
  let end: unknown;
  for (;;) {
    end = await reader.read();
    if (!(end instanceof Uint8Array)) break;
  }
  assert.ok(wiretightCode('WT_ERR_WIRE_TOO_LARGE')(end));
});

test('ChunkReader: the bytes within maxBytes are delivered before the error (regression)', async (t) => {
  const { client, peer } = await pair(t);
  const reader = new ChunkReader(client, new AbortController().signal, 100);
  // One write past the cap: the first 100 bytes must still arrive, whatever TCP's split.
  peer.write(Uint8Array.from({ length: 150 }, (_, i) => i));
  let received = 0;
  let end: unknown;
  for (;;) {
    end = await reader.read();
    if (!(end instanceof Uint8Array)) break;
    received += end.length;
  }
  assert.equal(received, 100);
  assert.ok(wiretightCode('WT_ERR_WIRE_TOO_LARGE')(end));
});

test('ChunkReader: the deadline ends a silent stream with timeout, an abort with aborted', async (t) => {
  const a = await pair(t);
  const timeout = new ChunkReader(a.client, AbortSignal.timeout(30), 100);
  assert.equal(await timeout.read(), 'timeout');
  const b = await pair(t);
  const controller = new AbortController();
  const aborted = new ChunkReader(b.client, controller.signal, 100);
  setTimeout(() => controller.abort(), 10);
  assert.equal(await aborted.read(), 'aborted');
  // A signal that fired before the reader existed ends it at once.
  const c = await pair(t);
  assert.equal(await new ChunkReader(c.client, AbortSignal.abort(), 100).read(), 'aborted');
});

test('ChunkReader: a reset is reported as reset', async (t) => {
  const { client, peer } = await pair(t);
  const reader = new ChunkReader(client, new AbortController().signal, 100);
  peer.resetAndDestroy();
  assert.equal(await reader.read(), 'reset');
});

test('defaultDialer: refused is WT_ERR_PROBE_CONNECT; an aborted signal WT_ERR_PROBE_ABORTED', async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const endpoint: Endpoint = { host: 'localhost', address: '127.0.0.1', port };
  await assert.rejects(
    defaultDialer(endpoint, new AbortController().signal),
    wiretightCode('WT_ERR_PROBE_CONNECT'),
  );
  await assert.rejects(
    defaultDialer(endpoint, AbortSignal.abort()),
    wiretightCode('WT_ERR_PROBE_ABORTED'),
  );
});

test('dial turns a dialer stopped by the deadline into WT_ERR_PROBE_TIMEOUT', async () => {
  const endpoint: Endpoint = { host: 'x', address: '192.0.2.1', port: 443 };
  const hanging = (_e: Endpoint, signal: AbortSignal): Promise<Socket> =>
    new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () =>
        reject(new WiretightError('WT_ERR_PROBE_ABORTED', 'x')),
      );
    });
  const limits = { timeoutMs: 30, maxBytes: 0, dialer: hanging };
  await assert.rejects(
    dial(endpoint, limits, startDeadline(limits).signal),
    wiretightCode('WT_ERR_PROBE_TIMEOUT'),
  );
});

test('dialOutcome returns typed failures and rethrows anything else', async () => {
  const endpoint: Endpoint = { host: 'x', address: '192.0.2.1', port: 443 };
  const refused = {
    timeoutMs: 1000,
    maxBytes: 0,
    dialer: () => Promise.reject(new WiretightError('WT_ERR_PROBE_CONNECT', 'refused')),
  };
  const outcome = await dialOutcome(endpoint, refused, new AbortController().signal);
  assert.ok('kind' in outcome && outcome.kind === 'connect-failed');
  assert.equal('kind' in outcome && outcome.error.code, 'WT_ERR_PROBE_CONNECT');
  const buggy = {
    timeoutMs: 1000,
    maxBytes: 0,
    dialer: () => Promise.reject(new TypeError('bug')),
  };
  await assert.rejects(dialOutcome(endpoint, buggy, new AbortController().signal), TypeError);
});
