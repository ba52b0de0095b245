import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import test, { type TestContext } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { type TlsOptions, createServer as createTlsServer } from 'node:tls';
import { buildClientHello } from '../wire/client-hello.ts';
import { encodeServerKeyShare } from '../wire/extensions/key-share.ts';
import { encodeServerSupportedVersion } from '../wire/extensions/supported-versions.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../wire/handshake.ts';
import type { ClientKeyShare } from '../wire/tls13/key-exchange.ts';
import { CONTENT_TYPE, encodeRecords } from '../wire/record.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import { encodeServerHelloBody } from '../wire/server-hello.ts';
import { generateKeyShare } from '../wire/tls13/key-exchange.ts';
import type { Endpoint } from './connection.ts';
import { answerWith, selfSignedCertificate, serve } from './testdata/peer.ts';
import {
  type ReplayOutcome,
  type Tls13FlightOutcome,
  replayExchange,
  tls13FlightExchange,
} from './tls13-flight-exchange.ts';

const X25519 = 0x001d;
const LIMITS = { timeoutMs: 2000, maxBytes: 0 };

function hello(share: ReturnType<typeof generateKeyShare>) {
  return buildClientHello({
    version: 0x0303,
    cipherSuites: [0x1301],
    supportedVersions: [0x0304],
    supportedGroups: [share.group],
    keyShares: [{ group: share.group, keyExchange: share.publicKey }],
    signatureAlgorithms: [0x0403, 0x0804],
  });
}

/** A TLS 1.3 ServerHello record with the given key share. */
function serverHello(group: number, keyExchange: Uint8Array, cipherSuite = 0x1301): Uint8Array {
  const body = encodeServerHelloBody({
    legacyVersion: 0x0303,
    random: new Uint8Array(32).fill(7),
    sessionId: new Uint8Array(32),
    cipherSuite,
    compressionMethod: 0,
    extensions: [
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      { type: X.key_share, data: encodeServerKeyShare({ group, keyExchange }) },
    ],
  });
  return encodeRecords(
    CONTENT_TYPE.handshake,
    0x0303,
    encodeHandshake(HANDSHAKE_TYPE.server_hello, body),
  );
}

const serverShare = generateKeyShare(X25519).publicKey;

async function run(endpoint: Endpoint): Promise<Tls13FlightOutcome> {
  const share = generateKeyShare(X25519);
  return tls13FlightExchange(endpoint, hello(share), share, LIMITS);
}

function assertMalformed(outcome: Tls13FlightOutcome, code: string): void {
  assert.equal(outcome.kind, 'malformed');
  assert.equal(outcome.kind === 'malformed' ? outcome.error.code : '', code);
}

test('protected records that do not authenticate: malformed, WT_ERR_WIRE_DECRYPT', async (t) => {
  const garbage = encodeRecords(
    CONTENT_TYPE.application_data,
    0x0303,
    new Uint8Array(64).fill(0xab),
  );
  const endpoint = await serve(t, answerWith(serverHello(X25519, serverShare), garbage));
  assertMalformed(await run(endpoint), 'WT_ERR_WIRE_DECRYPT');
});

test('a server key share of the wrong length: malformed, WT_ERR_WIRE_DECODE', async (t) => {
  const record = encodeRecords(CONTENT_TYPE.application_data, 0x0303, new Uint8Array(40));
  const endpoint = await serve(
    t,
    answerWith(serverHello(X25519, new Uint8Array(31).fill(9)), record),
  );
  assertMalformed(await run(endpoint), 'WT_ERR_WIRE_DECODE');
});

test('a ServerHello for another group is no flight, not a decryption attempt', async (t) => {
  const p256 = generateKeyShare(0x0017).publicKey;
  const endpoint = await serve(t, answerWith(serverHello(0x0017, p256)));
  const started = performance.now();
  const outcome = await run(endpoint);
  assert.equal(outcome.kind, 'no-flight');
  assert.ok(performance.now() - started < 500, 'ends at the ServerHello, not at the deadline');
});

test('a server that stalls after its ServerHello: what was read is kept, not complete', async (t) => {
  const endpoint = await serve(t, answerWith(serverHello(X25519, serverShare)));
  const share = generateKeyShare(X25519);
  const started = performance.now();
  const outcome = await tls13FlightExchange(endpoint, hello(share), share, {
    timeoutMs: 300,
    maxBytes: 0,
  });
  assert.ok(performance.now() - started < 1500);
  assert.equal(outcome.kind, 'flight');
  assert.equal(outcome.kind === 'flight' ? outcome.complete : true, false);
});

/** A node:tls server on 127.0.0.1 port 0 that ends each connection once it is made. */
async function tlsServer(t: TestContext, options: TlsOptions): Promise<Endpoint> {
  const server = createTlsServer(options);
  server.on('secureConnection', (s) => s.end());
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { host: 'localhost', address: '127.0.0.1', port };
}

test('a real TLS 1.3 server: the whole flight, decrypted, with its certificate', async (t) => {
  const { key, cert } = selfSignedCertificate(t, 'flight.test');
  const outcome = await run(await tlsServer(t, { key, cert, minVersion: 'TLSv1.3' }));
  assert.equal(outcome.kind, 'flight');
  if (outcome.kind !== 'flight') return;
  assert.equal(outcome.complete, true);
  const der = outcome.flight.certificate?.entries[0]?.der;
  assert.ok(der !== undefined);
  assert.equal(new X509Certificate(der).fingerprint256, new X509Certificate(cert).fingerprint256);
});

test('a TLS 1.3 ServerHello with a suite that is not TLS 1.3: malformed, not a throw', async (t) => {
  const endpoint = await serve(t, answerWith(serverHello(X25519, serverShare, 0xc02f)));
  const outcome = await run(endpoint);
  assertMalformed(outcome, 'WT_ERR_WIRE_DECODE');
  assert.match(outcome.kind === 'malformed' ? outcome.error.message : '', /cipher_suite/);
});

// replayExchange: a client's exact hello with several shares, read as that client would.

const P256 = 0x0017;
const P384 = 0x0018;

/** A client hello offering TLS 1.3 and 1.2, with a real share for each group in `shareGroups`. */
function clientHello(shareGroups: readonly number[], groups: readonly number[] = shareGroups) {
  const shares = shareGroups.map((g) => generateKeyShare(g));
  const hello = buildClientHello({
    version: 0x0303,
    cipherSuites: [0x1301, 0x1302, 0xc02b, 0xc02f],
    supportedVersions: [0x0304, 0x0303],
    supportedGroups: groups,
    keyShares: shares.map((s) => ({ group: s.group, keyExchange: s.publicKey })),
    signatureAlgorithms: [0x0403, 0x0804, 0x0401],
    ecPointFormats: [0],
    serverName: 'replay.test',
  });
  return { hello, shares };
}

function replay(
  endpoint: Endpoint,
  shareGroups: readonly number[],
  options: { groups?: readonly number[]; timeoutMs?: number } = {},
): Promise<ReplayOutcome> {
  const { hello, shares } = clientHello(shareGroups, options.groups);
  return replayExchange(endpoint, hello, shares, {
    timeoutMs: options.timeoutMs ?? 2000,
    maxBytes: 0,
  });
}

/** The answer's decrypted flight, failing the test when there is none. */
function decryptedOf(outcome: ReplayOutcome) {
  assert.equal(outcome.kind, 'hello');
  const decrypted = outcome.kind === 'hello' ? outcome.decrypted : undefined;
  assert.ok(decrypted !== undefined, 'the flight was decrypted');
  return decrypted;
}

test('replay: the flight is decrypted with the share of the group the server picked', async (t) => {
  const { key, cert } = selfSignedCertificate(t, 'replay.test');
  // The server takes secp256r1 only: the second of the hello's two shares.
  const endpoint = await tlsServer(t, {
    key,
    cert,
    minVersion: 'TLSv1.3',
    ecdhCurve: 'P-256',
    ALPNProtocols: ['h2'],
  });
  const { hello, shares } = clientHello([X25519, P256]);
  const withAlpn = {
    ...hello,
    extensions: [
      ...(hello.extensions ?? []),
      { type: X.application_layer_protocol_negotiation, data: Uint8Array.of(0, 3, 2, 0x68, 0x32) },
    ],
  };
  const outcome = await replayExchange(endpoint, withAlpn, shares, LIMITS);
  assert.equal(outcome.kind === 'hello' ? outcome.facts.keyShareGroup : 0, P256);
  const decrypted = decryptedOf(outcome);
  assert.equal(decrypted.complete, true);
  assert.equal(decrypted.error, undefined);
  assert.equal(decrypted.flight.encryptedExtensions?.alpn, 'h2');
  const der = decrypted.flight.certificate?.entries[0]?.der;
  assert.ok(der !== undefined);
  assert.equal(new X509Certificate(der).fingerprint256, new X509Certificate(cert).fingerprint256);
  assert.equal(decrypted.flight.certificateVerify?.scheme, 0x0403);
});

test('replay: a TLS 1.2 answer is read to ServerHelloDone, with nothing to decrypt', async (t) => {
  const { key, cert } = selfSignedCertificate(t, 'replay.test');
  const endpoint = await tlsServer(t, { key, cert, maxVersion: 'TLSv1.2' });
  // The P-256 certificate needs its curve listed for TLS 1.2 ECDSA.
  const outcome = await replay(endpoint, [X25519], { groups: [X25519, P256] });
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.version, 0x0303);
  assert.deepEqual(
    outcome.messages.map((m) => m.type),
    [
      HANDSHAKE_TYPE.server_hello,
      HANDSHAKE_TYPE.certificate,
      HANDSHAKE_TYPE.server_key_exchange,
      HANDSHAKE_TYPE.server_hello_done,
    ],
  );
  assert.equal(outcome.decrypted, undefined);
});

test('replay: a HelloRetryRequest ends the read at once', async (t) => {
  const { key, cert } = selfSignedCertificate(t, 'replay.test');
  const endpoint = await tlsServer(t, { key, cert, minVersion: 'TLSv1.3', ecdhCurve: 'P-384' });
  const started = performance.now();
  // secp384r1 is listed but has no share: the server asks for one, then waits for it.
  const outcome = await replay(endpoint, [X25519], { groups: [X25519, P384], timeoutMs: 4000 });
  assert.ok(performance.now() - started < 3000, 'ends at the HelloRetryRequest, not the deadline');
  assert.equal(outcome.kind, 'hello');
  if (outcome.kind !== 'hello') return;
  assert.equal(outcome.facts.isHelloRetryRequest, true);
  assert.equal(outcome.facts.keyShareGroup, P384);
  assert.equal(outcome.decrypted, undefined);
});

test('replay: a ServerHello for a group the hello holds no share for ends the read at once', async (t) => {
  const p384 = generateKeyShare(P384).publicKey;
  const endpoint = await serve(t, answerWith(serverHello(P384, p384)));
  const started = performance.now();
  const outcome = await replay(endpoint, [X25519, P256], { timeoutMs: 4000 });
  assert.ok(performance.now() - started < 3000, 'ends at the ServerHello, not the deadline');
  assert.equal(outcome.kind, 'hello');
  assert.equal(outcome.kind === 'hello' ? outcome.decrypted : 'none', undefined);
});

test('replay: a hostile flight is a typed error in the outcome, never a throw', async (t) => {
  const garbage = encodeRecords(
    CONTENT_TYPE.application_data,
    0x0303,
    new Uint8Array(64).fill(0xab),
  );
  const cases: [Uint8Array[], string][] = [
    [[serverHello(X25519, serverShare), garbage], 'WT_ERR_WIRE_DECRYPT'],
    [[serverHello(X25519, new Uint8Array(31).fill(9)), garbage], 'WT_ERR_WIRE_DECODE'],
    [[serverHello(X25519, new Uint8Array(32)), garbage], 'WT_ERR_WIRE_DECODE'],
    [[serverHello(X25519, serverShare, 0x002f), garbage], 'WT_ERR_WIRE_DECODE'],
  ];
  for (const [answer, code] of cases) {
    const endpoint = await serve(t, answerWith(...answer));
    const decrypted = decryptedOf(await replay(endpoint, [X25519]));
    assert.equal(decrypted.error?.code, code);
    assert.equal(decrypted.complete, false);
  }
});

test('replay: a server that stalls after its ServerHello: not complete, no error', async (t) => {
  const endpoint = await serve(t, answerWith(serverHello(X25519, serverShare)));
  const decrypted = decryptedOf(await replay(endpoint, [X25519], { timeoutMs: 300 }));
  assert.equal(decrypted.complete, false);
  assert.equal(decrypted.error, undefined);
  assert.deepEqual(decrypted.flight.messages, []);
});

test('replay: a share that is asked for a secret only when its group is chosen', async (t) => {
  const untouchable: ClientKeyShare = {
    group: P256,
    publicKey: generateKeyShare(P256).publicKey,
    sharedSecret: () => assert.fail('the P-256 share was not chosen'),
  };
  const { key, cert } = selfSignedCertificate(t, 'replay.test');
  const endpoint = await tlsServer(t, { key, cert, minVersion: 'TLSv1.3' });
  const x25519 = generateKeyShare(X25519);
  const hello = buildClientHello({
    version: 0x0303,
    cipherSuites: [0x1301],
    supportedVersions: [0x0304],
    supportedGroups: [X25519, P256],
    keyShares: [x25519, untouchable].map((s) => ({ group: s.group, keyExchange: s.publicKey })),
    signatureAlgorithms: [0x0403, 0x0804],
  });
  const decrypted = decryptedOf(
    await replayExchange(endpoint, hello, [x25519, untouchable], LIMITS),
  );
  assert.equal(decrypted.complete, true);
});
