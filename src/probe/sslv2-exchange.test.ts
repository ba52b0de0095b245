import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import test from 'node:test';
import { ByteWriter, bytesEqual } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { encodeAlert } from '../wire/alert.ts';
import { CONTENT_TYPE, encodeRecords } from '../wire/record.ts';
import { suitesForProtocol } from '../wire/registry/cipher-suites.ts';
import { SSLV2_MSG, buildSslv2ClientHello } from '../wire/sslv2.ts';
import type { ExchangeLimits } from './connection.ts';
import { type Sslv2Outcome, sslv2Exchange } from './sslv2-exchange.ts';
import { answerWith, drip, serve } from './testdata/peer.ts';

const HELLO = buildSslv2ClientHello(suitesForProtocol('SSLv2').map((s) => s.id));
const LIMITS: ExchangeLimits = { timeoutMs: 2000, maxBytes: 0 };
const CERT = new Uint8Array(600).fill(0x30);

function serverHelloBody(specs: readonly number[]): Uint8Array {
  const w = new ByteWriter()
    .u8(SSLV2_MSG.server_hello)
    .u8(0)
    .u8(1)
    .u16(0x0002)
    .u16(CERT.length)
    .u16(specs.length * 3)
    .u16(16)
    .bytes(CERT);
  for (const s of specs) w.u24(s);
  return w.bytes(new Uint8Array(16).fill(0xcd)).finish();
}

/** A record with the 2-byte header (high bit set, 15-bit length). */
function record2(body: Uint8Array): Uint8Array {
  return new ByteWriter()
    .u16(0x8000 | body.length)
    .bytes(body)
    .finish();
}

/** A record with the 3-byte header (14-bit length, then the padding count). */
function record3(body: Uint8Array): Uint8Array {
  return new ByteWriter().u16(body.length).u8(0).bytes(body).finish();
}

async function timed(p: Promise<Sslv2Outcome>): Promise<{ outcome: Sslv2Outcome; ms: number }> {
  const start = performance.now();
  const outcome = await p;
  return { outcome, ms: performance.now() - start };
}

test("'sslv2-hello' for a SERVER-HELLO, and the server received the CLIENT-HELLO as given", async (t) => {
  let received: Uint8Array | undefined;
  const endpoint = await serve(t, (socket) => {
    socket.once('data', (chunk: Buffer) => {
      received = new Uint8Array(chunk);
      socket.write(record2(serverHelloBody([0x0700c0, 0x010080])));
    });
  });
  const outcome = await sslv2Exchange(endpoint, HELLO, LIMITS);
  assert.equal(outcome.kind, 'sslv2-hello');
  if (outcome.kind !== 'sslv2-hello') return;
  assert.deepEqual(outcome.serverHello.cipherSpecs, [0x0700c0, 0x010080]);
  assert.deepEqual(outcome.serverHello.certificate, CERT);
  assert.equal(outcome.serverHello.version, 2);
  assert.ok(received !== undefined && bytesEqual(received, HELLO));
});

test("'sslv2-hello' for a 3-byte header, and for a record arriving a few bytes at a time", async (t) => {
  const endpoint = await serve(t, answerWith(record3(serverHelloBody([0x0700c0]))));
  const outcome = await sslv2Exchange(endpoint, HELLO, LIMITS);
  assert.equal(outcome.kind === 'sslv2-hello' && outcome.serverHello.cipherSpecs.length, 1);

  const bytes = record2(serverHelloBody([]));
  const dribble = await serve(t, (socket) => {
    socket.once('data', async () => {
      for (let at = 0; at < bytes.length; at += 97) {
        socket.write(bytes.subarray(at, at + 97));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
  });
  const slow = await sslv2Exchange(dribble, HELLO, LIMITS);
  assert.equal(slow.kind, 'sslv2-hello');
  assert.deepEqual(slow.kind === 'sslv2-hello' && slow.serverHello.cipherSpecs, []);
});

test("'tls-answer' with the alert when the server answers in TLS framing", async (t) => {
  const alert = encodeRecords(CONTENT_TYPE.alert, 0x0300, encodeAlert(2, 40));
  // Split inside the alert: the exchange must wait for its 7 bytes.
  const endpoint = await serve(t, (socket) => {
    socket.once('data', () => {
      socket.write(alert.subarray(0, 3));
      setTimeout(() => socket.write(alert.subarray(3)), 20);
    });
  });
  const outcome = await sslv2Exchange(endpoint, HELLO, LIMITS);
  assert.equal(outcome.kind, 'tls-answer');
  assert.equal(outcome.kind === 'tls-answer' && outcome.alert?.name, 'handshake_failure');
});

test("'tls-answer' without an alert for a TLS handshake record", async (t) => {
  const endpoint = await serve(
    t,
    answerWith(encodeRecords(CONTENT_TYPE.handshake, 0x0301, Uint8Array.of(2, 0, 0, 0))),
  );
  const outcome = await sslv2Exchange(endpoint, HELLO, LIMITS);
  assert.deepEqual(outcome, { kind: 'tls-answer' });
});

test("'malformed' for an SSLv2 ERROR or another message type", async (t) => {
  for (const body of [Uint8Array.of(SSLV2_MSG.error, 0, 1), Uint8Array.of(7, 1, 2, 3)]) {
    const endpoint = await serve(t, answerWith(record2(body)));
    const outcome = await sslv2Exchange(endpoint, HELLO, LIMITS);
    assert.equal(outcome.kind, 'malformed');
    assert.equal(outcome.kind === 'malformed' && outcome.error.code, 'WT_ERR_WIRE_DECODE');
  }
});

test("'closed' for an immediate close", async (t) => {
  const endpoint = await serve(t, (socket) => {
    socket.resume();
    socket.end();
  });
  assert.deepEqual(await sslv2Exchange(endpoint, HELLO, LIMITS), { kind: 'closed' });
});

test("'reset' for a connection reset", async (t) => {
  const endpoint = await serve(t, (socket) => socket.once('data', () => socket.resetAndDestroy()));
  assert.deepEqual(await sslv2Exchange(endpoint, HELLO, LIMITS), { kind: 'reset' });
});

test("'timeout' for silence, within about a second with timeoutMs 200", async (t) => {
  const endpoint = await serve(t, (socket) => socket.resume());
  const { outcome, ms } = await timed(
    sslv2Exchange(endpoint, HELLO, { ...LIMITS, timeoutMs: 200 }),
  );
  assert.deepEqual(outcome, { kind: 'timeout' });
  assert.ok(ms >= 150 && ms < 1000, `${ms} ms`);
});

test("'timeout' for a server dripping one byte every 100 ms (timeoutMs 300)", async (t) => {
  const bytes = record2(serverHelloBody([0x0700c0]));
  const endpoint = await serve(t, drip(bytes, 100));
  const { outcome, ms } = await timed(
    sslv2Exchange(endpoint, HELLO, { ...LIMITS, timeoutMs: 300 }),
  );
  assert.deepEqual(outcome, { kind: 'timeout' });
  assert.ok(ms < 1000, `${ms} ms`);
});

test("'malformed' WT_ERR_WIRE_TOO_LARGE when the peer sends more than maxBytes", async (t) => {
  // A 3-byte header announcing 16 KiB, then more bytes than the budget allows.
  const endpoint = await serve(t, answerWith(Uint8Array.of(0x3f, 0xff, 0), new Uint8Array(20_000)));
  const outcome = await sslv2Exchange(endpoint, HELLO, { ...LIMITS, maxBytes: 4096 });
  assert.equal(outcome.kind, 'malformed');
  assert.ok(outcome.kind === 'malformed' && outcome.error instanceof WiretightError);
  assert.equal(outcome.kind === 'malformed' && outcome.error.code, 'WT_ERR_WIRE_TOO_LARGE');
});

test("'connect-failed' for a closed port", async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const outcome = await sslv2Exchange(
    { host: 'localhost', address: '127.0.0.1', port },
    HELLO,
    LIMITS,
  );
  assert.equal(outcome.kind, 'connect-failed');
  assert.equal(outcome.kind === 'connect-failed' && outcome.error.code, 'WT_ERR_PROBE_CONNECT');
});
