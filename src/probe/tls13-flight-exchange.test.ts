import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import test from 'node:test';
import { X509Certificate } from 'node:crypto';
import { createServer as createTlsServer } from 'node:tls';
import { buildClientHello } from '../wire/client-hello.ts';
import { encodeServerKeyShare } from '../wire/extensions/key-share.ts';
import { encodeServerSupportedVersion } from '../wire/extensions/supported-versions.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../wire/handshake.ts';
import { CONTENT_TYPE, encodeRecords } from '../wire/record.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import { encodeServerHelloBody } from '../wire/server-hello.ts';
import { generateKeyShare } from '../wire/tls13/key-exchange.ts';
import type { Endpoint } from './connection.ts';
import { answerWith, selfSignedCertificate, serve } from './testdata/peer.ts';
import { type Tls13FlightOutcome, tls13FlightExchange } from './tls13-flight-exchange.ts';

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
function serverHello(group: number, keyExchange: Uint8Array): Uint8Array {
  const body = encodeServerHelloBody({
    legacyVersion: 0x0303,
    random: new Uint8Array(32).fill(7),
    sessionId: new Uint8Array(32),
    cipherSuite: 0x1301,
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

test('a real TLS 1.3 server: the whole flight, decrypted, with its certificate', async (t) => {
  const { key, cert } = selfSignedCertificate(t, 'flight.test');
  const server = createTlsServer({
    key,
    cert,
    minVersion: 'TLSv1.3',
  });
  server.on('secureConnection', (s) => s.end());
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const outcome = await run({ host: 'localhost', address: '127.0.0.1', port });
  assert.equal(outcome.kind, 'flight');
  if (outcome.kind !== 'flight') return;
  assert.equal(outcome.complete, true);
  const der = outcome.flight.certificate?.entries[0]?.der;
  assert.ok(der !== undefined);
  assert.equal(new X509Certificate(der).fingerprint256, new X509Certificate(cert).fingerprint256);
});
