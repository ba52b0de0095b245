import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import test from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import fc from 'fast-check';
import { bytesEqual } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';
import {
  type ClientHello,
  buildClientHello,
  clientHelloLength,
  clientHelloRecords,
  encodeClientHello,
  encodeClientHelloBody,
  parseClientHello,
} from './client-hello.ts';
import { type Extension, findExtension } from './extensions/extension.ts';
import { decodeAlpn } from './extensions/alpn.ts';
import { decodeServerName } from './extensions/server-name.ts';
import { decodeClientSupportedVersions } from './extensions/supported-versions.ts';
import { HANDSHAKE_TYPE, HandshakeReassembler } from './handshake.ts';
import { RecordDeframer } from './record.ts';
import { CIPHER_SUITES, isSslv2Suite } from './registry/cipher-suites.ts';
import { EXTENSION_TYPES as X } from './registry/extension-types.ts';

const u16 = fc.integer({ min: 0, max: 0xffff });
const extensionsArb = fc.uniqueArray(
  fc.record({ type: u16, data: fc.uint8Array({ maxLength: 48 }) }, { noNullPrototype: true }),
  { selector: (e) => e.type, maxLength: 10 },
);
const clientHelloArb: fc.Arbitrary<ClientHello> = fc.record(
  {
    legacyVersion: u16,
    random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    sessionId: fc.uint8Array({ maxLength: 32 }),
    cipherSuites: fc.array(u16, { minLength: 1, maxLength: 120 }),
    compressionMethods: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
    extensions: fc.option(extensionsArb, { nil: null }),
  },
  { noNullPrototype: true },
);
/** Byte edits applied to an encoding: each sets byte `at % length` to `value`. */
const editsArb = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
  minLength: 1,
  maxLength: 4,
});

function applyEdits(
  bytes: Uint8Array,
  edits: readonly { at: number; value: number }[],
): Uint8Array {
  const out = bytes.slice();
  for (const e of edits) if (out.length > 0) out[e.at % out.length] = e.value;
  return out;
}

/** Parses or throws a WiretightError; anything else (TypeError, RangeError…) fails the test. */
function parseOrDecodeError(body: Uint8Array): ClientHello | undefined {
  try {
    return parseClientHello(body);
  } catch (err) {
    assert.ok(err instanceof WiretightError, `not a WiretightError: ${String(err)}`);
    assert.equal(err.code, 'WT_ERR_WIRE_DECODE');
    return undefined;
  }
}

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

const SAMPLE: ClientHello = {
  legacyVersion: 0x0303,
  random: new Uint8Array(32).fill(0xab),
  sessionId: new Uint8Array(0),
  cipherSuites: [0xc02f, 0x009c],
  compressionMethods: [0],
  extensions: [
    { type: 0, data: Uint8Array.of(0, 4, 0, 0, 1, 0x61) },
    { type: 23, data: new Uint8Array(0) },
  ],
};

test('parseClientHello(encodeClientHelloBody(x)) deep-equals x', () => {
  fc.assert(
    fc.property(clientHelloArb, (ch) => {
      assert.deepEqual(parseClientHello(encodeClientHelloBody(ch)), ch);
    }),
    { numRuns: 500 },
  );
});

test('encodeClientHelloBody(parseClientHello(b)) returns b byte for byte', () => {
  fc.assert(
    fc.property(clientHelloArb, editsArb, (ch, edits) => {
      // Edited encodings: whenever the edit still parses, re-encoding must restore it exactly.
      for (const b of [encodeClientHelloBody(ch), applyEdits(encodeClientHelloBody(ch), edits)]) {
        const parsed = parseOrDecodeError(b);
        if (parsed !== undefined) assert.ok(bytesEqual(encodeClientHelloBody(parsed), b));
      }
    }),
    { numRuns: 1000 },
  );
});

test('an absent extensions block and an empty one are kept apart', () => {
  const without = encodeClientHelloBody({ ...SAMPLE, extensions: null });
  const empty = encodeClientHelloBody({ ...SAMPLE, extensions: [] });
  assert.equal(empty.length, without.length + 2);
  assert.equal(parseClientHello(without).extensions, null);
  assert.deepEqual(parseClientHello(empty).extensions, []);
});

test('a ClientHello captured from Node (OpenSSL) re-encodes byte for byte', async () => {
  const server = createServer();
  const captured = new Promise<Uint8Array>((resolve, reject) => {
    server.once('connection', (socket) => {
      const deframer = new RecordDeframer();
      const handshake = new HandshakeReassembler();
      socket.on('data', (chunk: Buffer) => {
        try {
          deframer.push(new Uint8Array(chunk));
          for (let r = deframer.next(); r !== undefined; r = deframer.next()) {
            const [msg] = handshake.push(r.fragment);
            if (msg !== undefined) {
              assert.equal(msg.type, HANDSHAKE_TYPE.client_hello);
              resolve(msg.body.slice());
              socket.destroy();
            }
          }
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const client = tlsConnect({
    host: '127.0.0.1',
    port,
    servername: 'example.test',
    ALPNProtocols: ['h2', 'http/1.1'],
  });
  client.on('error', () => {
    // The fake server hangs up after reading the hello.
  });
  try {
    const body = await captured;
    const hello = parseClientHello(body);
    assert.ok(bytesEqual(encodeClientHelloBody(hello), body));
    assert.equal(hello.legacyVersion, 0x0303);
    assert.equal(hello.random.length, 32);
    const exts = hello.extensions ?? [];
    const sni = findExtension(exts, X.server_name);
    assert.ok(sni !== undefined);
    assert.deepEqual(decodeServerName(sni.data), ['example.test']);
    const alpn = findExtension(exts, X.application_layer_protocol_negotiation);
    assert.ok(alpn !== undefined);
    assert.deepEqual(decodeAlpn(alpn.data), ['h2', 'http/1.1']);
    const sv = findExtension(exts, X.supported_versions);
    assert.ok(sv !== undefined);
    assert.ok(decodeClientSupportedVersions(sv.data).includes(0x0304));
  } finally {
    client.destroy();
    server.close();
  }
});

test('hostile input: random bytes parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
      parseOrDecodeError(b);
    }),
    { numRuns: 5000 },
  );
});

test('hostile input: edited valid hellos parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(clientHelloArb, editsArb, (ch, edits) => {
      parseOrDecodeError(applyEdits(encodeClientHelloBody(ch), edits));
    }),
    { numRuns: 3000 },
  );
});

test('hostile input: every truncation of a valid hello is a DecodeError', () => {
  fc.assert(
    fc.property(clientHelloArb, (ch) => {
      const body = encodeClientHelloBody(ch);
      for (let n = 0; n < body.length; n++) {
        const cut = body.subarray(0, n);
        // Cutting exactly before the extensions block leaves a valid extension-less hello.
        if (ch.extensions !== null && n === body.length - extensionsLength(ch.extensions)) {
          assert.equal(parseClientHello(cut).extensions, null);
          continue;
        }
        assert.throws(() => parseClientHello(cut), decodeError, `cut at ${n}`);
      }
    }),
    { numRuns: 100 },
  );
});

function extensionsLength(exts: readonly Extension[]): number {
  return 2 + exts.reduce((n, e) => n + 4 + e.data.length, 0);
}

test('malformed hellos are DecodeErrors naming the structure', () => {
  const body = encodeClientHelloBody(SAMPLE);
  const cases: [string, Uint8Array][] = [
    [
      'session id longer than 32',
      encodeClientHelloBody({ ...SAMPLE, sessionId: new Uint8Array(33) }),
    ],
    ['no cipher suites', encodeClientHelloBody({ ...SAMPLE, cipherSuites: [] })],
    ['no compression methods', encodeClientHelloBody({ ...SAMPLE, compressionMethods: [] })],
    ['trailing byte', Uint8Array.of(...body, 0)],
  ];
  for (const [name, b] of cases) assert.throws(() => parseClientHello(b), decodeError, name);
  // Odd cipher_suites length: rewrite the 2-byte length and drop the last byte of the list.
  const odd = encodeClientHelloBody({
    ...SAMPLE,
    cipherSuites: [0x1301, 0x1302],
    extensions: null,
  });
  const at = 2 + 32 + 1;
  const broken = Uint8Array.of(...odd.subarray(0, at), 0, 3, ...odd.subarray(at + 2, at + 5), 1, 0);
  assert.throws(
    () => parseClientHello(broken),
    (err: unknown) => decodeError(err) && (err as DecodeError).path === 'ClientHello.cipher_suites',
  );
});

test('duplicate extensions are rejected', () => {
  const dup = encodeClientHelloBody({
    ...SAMPLE,
    extensions: [
      { type: 23, data: new Uint8Array(0) },
      { type: 10, data: Uint8Array.of(0, 2, 0, 29) },
      { type: 23, data: new Uint8Array(0) },
    ],
  });
  assert.throws(
    () => parseClientHello(dup),
    (err: unknown) => decodeError(err) && (err as DecodeError).path === 'ClientHello.extensions',
  );
});

test('encodeClientHelloBody rejects a random that is not 32 bytes', () => {
  assert.throws(() => encodeClientHelloBody({ ...SAMPLE, random: new Uint8Array(31) }), RangeError);
});

test('buildClientHello with padTo 512 pads a smaller hello to exactly 512 bytes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 231 }), fc.boolean(), (n, sni) => {
      const options = {
        version: 0x0303,
        cipherSuites: Array.from({ length: n }, (_, i) => i + 1),
        ...(sni ? { serverName: 'example.com' } : {}),
        padTo: 512,
      };
      const unpadded = encodeClientHello(buildClientHello({ ...options, padTo: 0 }));
      // Only when there is room for the 4-byte padding extension header.
      fc.pre(unpadded.length + 4 <= 512);
      const ch = buildClientHello(options);
      assert.equal(encodeClientHello(ch).length, 512);
      const pad = findExtension(ch.extensions ?? [], X.padding);
      assert.ok(pad !== undefined);
      assert.ok(pad.data.every((b) => b === 0));
    }),
  );
});

test('buildClientHello does not pad a hello already at or above padTo', () => {
  const ch = buildClientHello({
    version: 0x0303,
    cipherSuites: Array.from({ length: 400 }, (_, i) => i + 1),
    padTo: 512,
  });
  assert.ok(encodeClientHello(ch).length > 512);
  assert.equal(findExtension(ch.extensions ?? [], X.padding), undefined);
});

test('SNI is sent for names and omitted for IP literals', () => {
  const sniOf = (serverName: string): string[] | undefined => {
    const ext = findExtension(
      buildClientHello({ version: 0x0303, cipherSuites: [1], serverName }).extensions ?? [],
      X.server_name,
    );
    return ext === undefined ? undefined : decodeServerName(ext.data);
  };
  assert.deepEqual(sniOf('example.com'), ['example.com']);
  assert.equal(sniOf('192.0.2.1'), undefined);
  assert.equal(sniOf('::1'), undefined);
  assert.equal(sniOf('2001:db8::1'), undefined);
  assert.equal(sniOf(''), undefined);
});

test('buildClientHello maps each option to its extension', () => {
  const ch = buildClientHello({
    version: 0x0303,
    cipherSuites: [0x1301],
    supportedGroups: [29],
    signatureAlgorithms: [0x0403],
    supportedVersions: [0x0304, 0x0303],
    keyShares: [],
    alpn: ['h2'],
    ecPointFormats: [0],
    renegotiationInfo: true,
    sessionTicket: true,
    statusRequest: true,
    signedCertificateTimestamp: true,
    extendedMasterSecret: true,
    encryptThenMac: true,
    heartbeat: true,
    extraExtensions: [{ type: 0x1234, data: Uint8Array.of(9) }],
  });
  const types = (ch.extensions ?? []).map((e) => e.type);
  for (const t of [
    X.supported_groups,
    X.signature_algorithms,
    X.supported_versions,
    X.key_share,
    X.application_layer_protocol_negotiation,
    X.ec_point_formats,
    X.renegotiation_info,
    X.session_ticket,
    X.status_request,
    X.signed_certificate_timestamp,
    X.extended_master_secret,
    X.encrypt_then_mac,
    X.heartbeat,
    X.psk_key_exchange_modes,
    0x1234,
  ]) {
    assert.ok(types.includes(t), `extension ${t}`);
  }
  assert.equal(new Set(types).size, types.length);
  // A TLS 1.3 offer carries a 32-byte session id (middlebox compatibility).
  assert.equal(ch.sessionId.length, 32);
  // And the result is a hello the parser accepts as is.
  assert.deepEqual(parseClientHello(encodeClientHelloBody(ch)), ch);
});

test('buildClientHello with noExtensions sends no extensions block (and is not padded)', () => {
  const ch = buildClientHello({
    version: 0x0300,
    cipherSuites: [4, 5],
    noExtensions: true,
    padTo: 512,
  });
  assert.equal(ch.extensions, null);
  assert.deepEqual(ch.sessionId, new Uint8Array(0));
  assert.deepEqual(ch.compressionMethods, [0]);
});

test('every registered TLS suite can be offered in one hello', () => {
  const tls = CIPHER_SUITES.filter((s) => !isSslv2Suite(s)).map((s) => s.id);
  assert.equal(tls.length, CIPHER_SUITES.length - 13);
  const ch = buildClientHello({
    version: 0x0303,
    cipherSuites: tls,
    serverName: 'example.com',
    padTo: 512,
  });
  const parsed = parseClientHello(encodeClientHelloBody(ch));
  assert.deepEqual(parsed.cipherSuites, tls);
});

test('clientHelloRecords uses record version 3.1, or 3.0 for SSLv3 probes', () => {
  const tls = clientHelloRecords(buildClientHello({ version: 0x0303, cipherSuites: [1] }));
  assert.deepEqual(Array.from(tls.subarray(0, 3)), [22, 3, 1]);
  const ssl3 = clientHelloRecords(
    buildClientHello({ version: 0x0300, cipherSuites: [1], noExtensions: true }),
  );
  assert.deepEqual(Array.from(ssl3.subarray(0, 3)), [22, 3, 0]);
  // The records carry exactly the handshake message.
  const ch = buildClientHello({ version: 0x0303, cipherSuites: [1], random: new Uint8Array(32) });
  const d = new RecordDeframer();
  d.push(clientHelloRecords(ch));
  assert.deepEqual(d.next()?.fragment, encodeClientHello(ch));
});

test('padTo: a hello of 509 to 511 bytes still reaches the target (regression)', () => {
  for (let n = 225; n <= 240; n++) {
    const suites = Array.from({ length: n }, (_, i) => i + 1);
    const bare = encodeClientHello(
      buildClientHello({ version: 0x0303, cipherSuites: suites, random: new Uint8Array(32) }),
    );
    const padded = encodeClientHello(
      buildClientHello({
        version: 0x0303,
        cipherSuites: suites,
        random: new Uint8Array(32),
        padTo: 512,
      }),
    );
    assert.ok(padded.length >= 512, `${n} suites: bare ${bare.length}, padded ${padded.length}`);
    if (bare.length < 508) assert.equal(padded.length, 512);
  }
});

test('clientHelloLength equals the encoded length for any hello', () => {
  fc.assert(
    fc.property(clientHelloArb, (ch) => {
      assert.equal(clientHelloLength(ch), encodeClientHello(ch).length);
    }),
  );
});
