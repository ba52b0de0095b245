import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import test, { type TestContext } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import { ByteWriter, bytesEqual, concatBytes } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { encodeAlert } from '../wire/alert.ts';
import { parseCertificateList } from '../wire/certificate.ts';
import { buildClientHello, clientHelloRecords } from '../wire/client-hello.ts';
import { encodeServerKeyShare } from '../wire/extensions/key-share.ts';
import { encodeServerSupportedVersion } from '../wire/extensions/supported-versions.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../wire/handshake.ts';
import { CONTENT_TYPE, encodeRecords } from '../wire/record.ts';
import { suitesForProtocol } from '../wire/registry/cipher-suites.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import { TLS12_EC_GROUPS, TLS13_GROUPS } from '../wire/registry/groups.ts';
import { ALL_SIGNATURE_SCHEMES } from '../wire/registry/signature-schemes.ts';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  type ServerHello,
  encodeServerHelloBody,
} from '../wire/server-hello.ts';
import { parseServerKeyExchange } from '../wire/server-key-exchange.ts';
import type { Endpoint } from './connection.ts';
import { type HelloExchangeOptions, type HelloOutcome, helloExchange } from './hello-exchange.ts';
import { answerWith, drip, listen, selfSignedCertificate, serve } from './testdata/peer.ts';

const HELLO = clientHelloRecords(
  buildClientHello({ version: 0x0303, cipherSuites: [0xc02f, 0x009c], serverName: 'localhost' }),
);
const OPTIONS: HelloExchangeOptions = { timeoutMs: 2000, maxBytes: 0, until: 'server-hello' };

async function timed(p: Promise<HelloOutcome>): Promise<{ outcome: HelloOutcome; ms: number }> {
  const start = performance.now();
  const outcome = await p;
  return { outcome, ms: performance.now() - start };
}

function serverHello(over: Partial<ServerHello> = {}): Uint8Array {
  return encodeHandshake(
    HANDSHAKE_TYPE.server_hello,
    encodeServerHelloBody({
      legacyVersion: 0x0303,
      random: new Uint8Array(32).fill(0x11),
      sessionId: new Uint8Array(0),
      cipherSuite: 0xc02f,
      compressionMethod: 0,
      extensions: [],
      ...over,
    }),
  );
}

const handshakeRecord = (payload: Uint8Array): Uint8Array =>
  encodeRecords(CONTENT_TYPE.handshake, 0x0303, payload);

function assertMalformed(outcome: HelloOutcome, code: string): void {
  assert.equal(outcome.kind, 'malformed');
  if (outcome.kind !== 'malformed') return;
  assert.ok(outcome.error instanceof WiretightError);
  assert.equal(outcome.error.code, code);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('the server receives the hello exactly as given', async (t) => {
  let received: Uint8Array | undefined;
  const endpoint = await serve(t, (socket) => {
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      if (Buffer.concat(parts).length >= HELLO.length) {
        received = new Uint8Array(Buffer.concat(parts));
        socket.write(handshakeRecord(serverHello()));
      }
    });
  });
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'hello');
  assert.ok(received !== undefined && bytesEqual(received, HELLO));
});

test("'hello' with until server-hello: version and suite from the ServerHello", async (t) => {
  const endpoint = await serve(
    t,
    answerWith(handshakeRecord(serverHello({ cipherSuite: 0x009c }))),
  );
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.version, 0x0303);
  assert.equal(outcome.facts.cipherSuite, 0x009c);
  assert.deepEqual(
    outcome.messages.map((m) => m.type),
    [HANDSHAKE_TYPE.server_hello],
  );
});

test("'hello' with until flight: every message up to ServerHelloDone, across records and chunks", async (t) => {
  const cert = new Uint8Array(3000).fill(0x30);
  const flight = concatBytes([
    serverHello(),
    encodeHandshake(
      HANDSHAKE_TYPE.certificate,
      new ByteWriter().vector(3, (w) => w.vectorOf(3, cert)).finish(),
    ),
    encodeHandshake(
      HANDSHAKE_TYPE.server_key_exchange,
      new ByteWriter()
        .u8(3)
        .u16(0x17)
        .vectorOf(1, new Uint8Array(65).fill(4))
        .u16(0x0403)
        .vectorOf(2, new Uint8Array(70))
        .finish(),
    ),
    encodeHandshake(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0)),
  ]);
  // Records of 1000 bytes, written in chunks that cut across record boundaries.
  const records = concatBytes(
    Array.from({ length: Math.ceil(flight.length / 1000) }, (_, i) =>
      handshakeRecord(flight.subarray(i * 1000, (i + 1) * 1000)),
    ),
  );
  const chunks = Array.from({ length: Math.ceil(records.length / 777) }, (_, i) =>
    records.subarray(i * 777, (i + 1) * 777),
  );
  const endpoint = await serve(t, (socket) => {
    socket.once('data', async () => {
      for (const c of chunks) {
        socket.write(c);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    });
  });
  const outcome = await helloExchange(endpoint, HELLO, { ...OPTIONS, until: 'flight' });
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.deepEqual(
    outcome.messages.map((m) => m.type),
    [2, 11, 12, 14],
  );
  assert.deepEqual(parseCertificateList(outcome.messages[1]!.body), [cert]);
});

test('a HelloRetryRequest ends the exchange at once, even when the flight was asked for', async (t) => {
  const hrr = serverHello({
    random: HELLO_RETRY_REQUEST_RANDOM,
    cipherSuite: 0x1301,
    extensions: [
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      { type: X.key_share, data: Uint8Array.of(0, 0x17) },
    ],
  });
  // The server then goes silent: waiting for more would end in a timeout.
  const endpoint = await serve(t, answerWith(handshakeRecord(hrr)));
  const { outcome, ms } = await timed(
    helloExchange(endpoint, HELLO, { ...OPTIONS, until: 'flight' }),
  );
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.isHelloRetryRequest, true);
  assert.equal(outcome.facts.keyShareGroup, 0x17);
  assert.ok(ms < 1000, `${ms} ms`);
});

test('TLS 1.3: protected records after the ServerHello are kept until enough', async (t) => {
  const sh = serverHello({
    cipherSuite: 0x1301,
    extensions: [
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      {
        type: X.key_share,
        data: encodeServerKeyShare({ group: 0x1d, keyExchange: new Uint8Array(32).fill(7) }),
      },
    ],
  });
  const appData = (n: number): Uint8Array =>
    encodeRecords(CONTENT_TYPE.application_data, 0x0303, new Uint8Array(n).fill(n));
  const endpoint = await serve(
    t,
    answerWith(
      concatBytes([
        handshakeRecord(sh),
        encodeRecords(CONTENT_TYPE.change_cipher_spec, 0x0303, Uint8Array.of(1)),
      ]),
      appData(10),
      appData(20),
      appData(30),
    ),
  );
  const outcome = await helloExchange(endpoint, HELLO, {
    ...OPTIONS,
    until: 'protected',
    enough: (records) => records.length >= 2,
  });
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.version, 0x0304);
  assert.deepEqual(
    outcome.protectedRecords.map((r) => [r.type, r.fragment.length]),
    [
      [23, 10],
      [23, 20],
    ],
  );
});

test('an alert after the ServerHello is attached to the hello', async (t) => {
  const endpoint = await serve(
    t,
    answerWith(
      handshakeRecord(serverHello()),
      encodeRecords(CONTENT_TYPE.alert, 0x0303, encodeAlert(2, 40)),
    ),
  );
  const outcome = await helloExchange(endpoint, HELLO, { ...OPTIONS, until: 'flight' });
  assert.equal(outcome.kind, 'hello');
  assert.equal(outcome.kind === 'hello' && outcome.alert?.name, 'handshake_failure');
});

test("'alert' for an alert record", async (t) => {
  const endpoint = await serve(
    t,
    answerWith(encodeRecords(CONTENT_TYPE.alert, 0x0301, encodeAlert(2, 70))),
  );
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'alert');
  if (outcome.kind !== 'alert') return;
  assert.equal(outcome.alert.level, 'fatal');
  assert.equal(outcome.alert.name, 'protocol_version');
});

test("'not-tls' for an HTTP answer", async (t) => {
  const http = new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
  const endpoint = await serve(t, (socket) => socket.once('data', () => socket.end(http)));
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'not-tls');
  if (outcome.kind !== 'not-tls') return;
  assert.equal(new TextDecoder().decode(outcome.firstBytes.subarray(0, 8)), 'HTTP/1.1');
});

test("'not-tls' for an SMTP banner sent before the hello", async (t) => {
  const endpoint = await serve(t, (socket) => socket.write('220 mail.example.com ESMTP\r\n'));
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'not-tls');
});

test("'closed' for an immediate close", async (t) => {
  const endpoint = await serve(t, (socket) => {
    socket.resume();
    socket.end();
  });
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'closed');
});

test("'closed' for a close in the middle of a record", async (t) => {
  const partial = handshakeRecord(serverHello()).subarray(0, 20);
  const endpoint = await serve(t, (socket) => socket.once('data', () => socket.end(partial)));
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'closed');
});

test("'reset' for a connection reset", async (t) => {
  const endpoint = await serve(t, (socket) => socket.once('data', () => socket.resetAndDestroy()));
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'reset');
});

test("'timeout' for silence, within about a second with timeoutMs 200", async (t) => {
  const endpoint = await serve(t, (socket) => socket.resume());
  const { outcome, ms } = await timed(
    helloExchange(endpoint, HELLO, { ...OPTIONS, timeoutMs: 200 }),
  );
  assert.equal(outcome.kind, 'timeout');
  assert.ok(ms >= 150 && ms < 1000, `${ms} ms`);
});

test("'timeout' for a server dripping one byte every 100 ms (timeoutMs 300)", async (t) => {
  // A valid ServerHello record, one byte at a time: each byte keeps the connection alive.
  const bytes = handshakeRecord(serverHello());
  const endpoint = await serve(t, drip(bytes, 100));
  const { outcome, ms } = await timed(
    helloExchange(endpoint, HELLO, { ...OPTIONS, timeoutMs: 300 }),
  );
  assert.equal(outcome.kind, 'timeout');
  assert.ok(ms < 1000, `${ms} ms`);
});

test("'malformed' WT_ERR_WIRE_TOO_LARGE for a handshake announcing 2^24-1 bytes", async (t) => {
  const endpoint = await serve(t, answerWith(handshakeRecord(Uint8Array.of(2, 0xff, 0xff, 0xff))));
  const { outcome, ms } = await timed(helloExchange(endpoint, HELLO, OPTIONS));
  assertMalformed(outcome, 'WT_ERR_WIRE_TOO_LARGE');
  assert.ok(ms < 1000, `${ms} ms`);
});

test("'malformed' WT_ERR_WIRE_TOO_LARGE for an oversized record header", async (t) => {
  const endpoint = await serve(t, answerWith(Uint8Array.of(22, 3, 3, 0xff, 0xff)));
  assertMalformed(await helloExchange(endpoint, HELLO, OPTIONS), 'WT_ERR_WIRE_TOO_LARGE');
});

test("'malformed' WT_ERR_WIRE_TOO_LARGE when the peer sends more than maxBytes", async (t) => {
  // A 200 KiB Certificate is under the handshake cap; the byte budget is what stops it.
  const big = encodeHandshake(HANDSHAKE_TYPE.certificate, new Uint8Array(200_000));
  const endpoint = await serve(t, (socket) => {
    socket.once('data', () => {
      socket.write(handshakeRecord(serverHello()));
      // Later, so the ServerHello arrives in a read of its own.
      setTimeout(() => socket.write(encodeRecords(22, 0x0303, big)), 50);
    });
  });
  const outcome = await helloExchange(endpoint, HELLO, {
    ...OPTIONS,
    until: 'flight',
    maxBytes: 10_000,
  });
  // The ServerHello was complete before the cap: the answer is still a hello.
  assert.equal(outcome.kind, 'hello');
  const endpoint2 = await serve(t, answerWith(encodeRecords(22, 0x0303, big)));
  assertMalformed(
    await helloExchange(endpoint2, HELLO, { ...OPTIONS, maxBytes: 10_000 }),
    'WT_ERR_WIRE_TOO_LARGE',
  );
});

test("'malformed' WT_ERR_WIRE_DECODE for a bad ServerHello or a wrong first message", async (t) => {
  const cases = [
    handshakeRecord(encodeHandshake(HANDSHAKE_TYPE.server_hello, Uint8Array.of(3, 3, 0))),
    handshakeRecord(encodeHandshake(HANDSHAKE_TYPE.certificate, Uint8Array.of(0, 0, 0))),
    encodeRecords(CONTENT_TYPE.application_data, 0x0303, Uint8Array.of(1, 2, 3)),
  ];
  for (const answer of cases) {
    const endpoint = await serve(t, answerWith(answer));
    assertMalformed(await helloExchange(endpoint, HELLO, OPTIONS), 'WT_ERR_WIRE_DECODE');
  }
});

test("'not-tls' when the first bytes only look like a record (a content-type byte, then no version 3)", async (t) => {
  // Garbage starting with 0x16 must not pass for a broken TLS server.
  const endpoint = await serve(t, answerWith(Uint8Array.of(22, 4, 0, 0, 1, 0)));
  const outcome = await helloExchange(endpoint, HELLO, OPTIONS);
  assert.equal(outcome.kind, 'not-tls');
  assert.deepEqual(
    outcome.kind === 'not-tls' ? Array.from(outcome.firstBytes) : [],
    [22, 4, 0, 0, 1, 0],
  );
});

test("'connect-failed' for a closed port", async () => {
  const port = await closedPort();
  const outcome = await helloExchange(
    { host: 'localhost', address: '127.0.0.1', port },
    HELLO,
    OPTIONS,
  );
  assert.equal(outcome.kind, 'connect-failed');
  if (outcome.kind !== 'connect-failed') return;
  assert.equal(outcome.error.code, 'WT_ERR_PROBE_CONNECT');
});

test("'connect-failed' with WT_ERR_PROBE_TIMEOUT when the dialer never connects", async () => {
  const endpoint: Endpoint = { host: 'x', address: '192.0.2.1', port: 443 };
  const { outcome, ms } = await timed(
    helloExchange(endpoint, HELLO, {
      ...OPTIONS,
      timeoutMs: 150,
      dialer: (_e, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () =>
            reject(new WiretightError('WT_ERR_PROBE_ABORTED', 'aborted')),
          );
        }),
    }),
  );
  assert.equal(outcome.kind, 'connect-failed');
  assert.equal(outcome.kind === 'connect-failed' && outcome.error.code, 'WT_ERR_PROBE_TIMEOUT');
  assert.ok(ms < 1000, `${ms} ms`);
});

test('a caller abort ends a silent exchange early', async (t) => {
  const endpoint = await serve(t, (socket) => socket.resume());
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const { outcome, ms } = await timed(
    helloExchange(endpoint, HELLO, { ...OPTIONS, timeoutMs: 5000, signal: controller.signal }),
  );
  assert.notEqual(outcome.kind, 'hello');
  assert.ok(ms < 1000, `${ms} ms`);
});

// Against a real TLS stack: Node's (OpenSSL) server, with a throwaway P-256 certificate made
// by the openssl CLI at test time.
async function tlsServer(t: TestContext): Promise<{ endpoint: Endpoint; certDer: Uint8Array }> {
  const { key, cert } = selfSignedCertificate(t, 'localhost');
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key, cert });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {
    // The probe abandons every handshake half-way.
  });
  const endpoint = await listen(t, server, sockets);
  return { endpoint, certDer: new Uint8Array(new X509Certificate(cert).raw) };
}

test('a real TLS 1.2 server: the whole flight is read and parses', async (t) => {
  const { endpoint, certDer } = await tlsServer(t);
  const hello = buildClientHello({
    version: 0x0303,
    cipherSuites: suitesForProtocol('TLSv1.2').map((s) => s.id),
    serverName: 'localhost',
    supportedGroups: TLS12_EC_GROUPS,
    ecPointFormats: [0],
    signatureAlgorithms: ALL_SIGNATURE_SCHEMES,
    renegotiationInfo: true,
    extendedMasterSecret: true,
    padTo: 512,
  });
  const outcome = await helloExchange(endpoint, clientHelloRecords(hello), {
    ...OPTIONS,
    until: 'flight',
  });
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.version, 0x0303);
  assert.ok(hello.cipherSuites.includes(outcome.facts.cipherSuite));
  const types = outcome.messages.map((m) => m.type);
  assert.deepEqual(types, [2, 11, 12, 14]);
  assert.deepEqual(parseCertificateList(outcome.messages[1]!.body), [certDer]);
  const kx = parseServerKeyExchange(outcome.messages[2]!.body, 'ECDHE', true);
  assert.equal(kx?.kind, 'ecdhe');
  assert.ok(kx?.kind === 'ecdhe' && TLS12_EC_GROUPS.includes(kx.group));
});

test('a real TLS 1.3 server: an empty key_share gets a HelloRetryRequest', async (t) => {
  const { endpoint } = await tlsServer(t);
  const hello = buildClientHello({
    version: 0x0303,
    cipherSuites: [0x1301, 0x1302, 0x1303],
    serverName: 'localhost',
    supportedVersions: [0x0304],
    supportedGroups: TLS13_GROUPS,
    keyShares: [],
    signatureAlgorithms: ALL_SIGNATURE_SCHEMES,
  });
  const outcome = await helloExchange(endpoint, clientHelloRecords(hello), OPTIONS);
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.isHelloRetryRequest, true);
  assert.equal(outcome.facts.version, 0x0304);
  assert.ok(TLS13_GROUPS.includes(outcome.facts.keyShareGroup ?? -1));
});

test('a real TLS 1.3 server: with an x25519 share, a ServerHello and protected records', async (t) => {
  const { endpoint } = await tlsServer(t);
  const { publicKey } = generateKeyPairSync('x25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const hello = buildClientHello({
    version: 0x0303,
    cipherSuites: [0x1301],
    serverName: 'localhost',
    supportedVersions: [0x0304],
    supportedGroups: [0x001d],
    keyShares: [{ group: 0x001d, keyExchange: new Uint8Array(raw) }],
    signatureAlgorithms: ALL_SIGNATURE_SCHEMES,
  });
  const outcome = await helloExchange(endpoint, clientHelloRecords(hello), {
    ...OPTIONS,
    until: 'protected',
    enough: (records) => records.length >= 1,
  });
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.isHelloRetryRequest, false);
  assert.equal(outcome.facts.version, 0x0304);
  assert.equal(outcome.facts.keyShareGroup, 0x001d);
  assert.equal(outcome.facts.serverKeyShare?.length, 32);
  assert.ok(outcome.protectedRecords.length >= 1);
  assert.equal(outcome.protectedRecords[0]?.type, CONTENT_TYPE.application_data);
});
