import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { bytesEqual } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';
import { encodeAlpn } from './extensions/alpn.ts';
import type { Extension } from './extensions/extension.ts';
import { encodeServerKeyShare } from './extensions/key-share.ts';
import { encodeServerSupportedVersion } from './extensions/supported-versions.ts';
import { EXTENSION_TYPES as X } from './registry/extension-types.ts';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  type ServerHello,
  encodeServerHelloBody,
  parseServerHello,
  serverHelloFacts,
} from './server-hello.ts';

const u16 = fc.integer({ min: 0, max: 0xffff });
/** Extension types the facts decode, plus arbitrary ones. */
const extType = fc.oneof(
  fc.constantFrom(X.supported_versions, X.key_share, X.application_layer_protocol_negotiation),
  u16,
);
const extensionsArb = fc.uniqueArray(
  fc.record({ type: extType, data: fc.uint8Array({ maxLength: 40 }) }, { noNullPrototype: true }),
  { selector: (e) => e.type, maxLength: 8 },
);
const serverHelloArb: fc.Arbitrary<ServerHello> = fc.record(
  {
    legacyVersion: u16,
    random: fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.constant(HELLO_RETRY_REQUEST_RANDOM),
    ),
    sessionId: fc.uint8Array({ maxLength: 32 }),
    cipherSuite: u16,
    compressionMethod: fc.integer({ min: 0, max: 255 }),
    extensions: fc.option(extensionsArb, { nil: null }),
  },
  { noNullPrototype: true },
);
const editsArb = fc.array(
  fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }, { noNullPrototype: true }),
  { minLength: 1, maxLength: 4 },
);

function applyEdits(
  bytes: Uint8Array,
  edits: readonly { at: number; value: number }[],
): Uint8Array {
  const out = bytes.slice();
  for (const e of edits) if (out.length > 0) out[e.at % out.length] = e.value;
  return out;
}

/** Parses and concludes, or throws a WiretightError; anything else fails the test. */
function factsOrDecodeError(body: Uint8Array): void {
  try {
    serverHelloFacts(parseServerHello(body));
  } catch (err) {
    assert.ok(err instanceof WiretightError, `not a WiretightError: ${String(err)}`);
    assert.equal(err.code, 'WT_ERR_WIRE_DECODE');
  }
}

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

function serverHello(extensions: Extension[] | null, over: Partial<ServerHello> = {}): ServerHello {
  return {
    legacyVersion: 0x0303,
    random: new Uint8Array(32).fill(7),
    sessionId: new Uint8Array(32).fill(1),
    cipherSuite: 0x1301,
    compressionMethod: 0,
    extensions,
    ...over,
  };
}

/** Through the wire and back, as a probe would see it. */
function factsOf(sh: ServerHello): ReturnType<typeof serverHelloFacts> {
  return serverHelloFacts(parseServerHello(encodeServerHelloBody(sh)));
}

test('parseServerHello(encodeServerHelloBody(x)) deep-equals x', () => {
  fc.assert(
    fc.property(serverHelloArb, (sh) => {
      assert.deepEqual(parseServerHello(encodeServerHelloBody(sh)), sh);
    }),
    { numRuns: 500 },
  );
});

test('encodeServerHelloBody(parseServerHello(b)) returns b byte for byte', () => {
  fc.assert(
    fc.property(serverHelloArb, editsArb, (sh, edits) => {
      for (const b of [encodeServerHelloBody(sh), applyEdits(encodeServerHelloBody(sh), edits)]) {
        let parsed: ServerHello;
        try {
          parsed = parseServerHello(b);
        } catch (err) {
          assert.ok(decodeError(err), String(err));
          continue;
        }
        assert.ok(bytesEqual(encodeServerHelloBody(parsed), b));
      }
    }),
    { numRuns: 1000 },
  );
});

test('a TLS 1.2 ServerHello without extensions', () => {
  const facts = factsOf(serverHello(null, { cipherSuite: 0xc02f }));
  assert.deepEqual(facts, {
    isHelloRetryRequest: false,
    version: 0x0303,
    cipherSuite: 0xc02f,
    compressionMethod: 0,
    keyShareGroup: undefined,
    serverKeyShare: undefined,
    alpn: undefined,
    extensionTypes: [],
  });
});

test('a HelloRetryRequest is detected by its random and names the group it wants', () => {
  const hrr = serverHello(
    [
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      { type: X.key_share, data: Uint8Array.of(0x00, 0x17) },
    ],
    { random: HELLO_RETRY_REQUEST_RANDOM },
  );
  const facts = factsOf(hrr);
  assert.equal(facts.isHelloRetryRequest, true);
  assert.equal(facts.version, 0x0304);
  assert.equal(facts.keyShareGroup, 0x0017);
  assert.equal(facts.serverKeyShare, undefined);
  assert.deepEqual(facts.extensionTypes, [X.supported_versions, X.key_share]);
  // The same bytes with any other random are a ServerHello, whose key_share must hold a key.
  const random = HELLO_RETRY_REQUEST_RANDOM.slice();
  random[31] = (random[31] ?? 0) ^ 1;
  assert.throws(() => factsOf({ ...hrr, random }), decodeError);
});

test('a TLS 1.3 ServerHello: supported_versions overrides legacy_version, key share read', () => {
  const key = new Uint8Array(32).fill(0x42);
  const facts = factsOf(
    serverHello([
      { type: X.key_share, data: encodeServerKeyShare({ group: 0x001d, keyExchange: key }) },
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
    ]),
  );
  assert.equal(facts.isHelloRetryRequest, false);
  assert.equal(facts.version, 0x0304);
  assert.equal(facts.keyShareGroup, 0x001d);
  assert.deepEqual(facts.serverKeyShare, key);
  assert.equal(facts.cipherSuite, 0x1301);
});

test('ALPN: one selected protocol is reported, two are an error', () => {
  const one = factsOf(
    serverHello([{ type: X.application_layer_protocol_negotiation, data: encodeAlpn(['h2']) }]),
  );
  assert.equal(one.alpn, 'h2');
  assert.throws(
    () =>
      factsOf(
        serverHello([
          {
            type: X.application_layer_protocol_negotiation,
            data: encodeAlpn(['h2', 'http/1.1']),
          },
        ]),
      ),
    decodeError,
  );
});

test('malformed extension data in a ServerHello is a DecodeError from serverHelloFacts', () => {
  const bad: Extension[] = [
    { type: X.supported_versions, data: Uint8Array.of(3) },
    { type: X.supported_versions, data: Uint8Array.of(3, 4, 0) },
    { type: X.key_share, data: Uint8Array.of(0, 29, 0, 0) },
    { type: X.application_layer_protocol_negotiation, data: Uint8Array.of(0, 0) },
  ];
  for (const e of bad) assert.throws(() => factsOf(serverHello([e])), decodeError);
});

test('duplicate extensions are rejected', () => {
  const body = encodeServerHelloBody(
    serverHello([
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0303) },
    ]),
  );
  assert.throws(
    () => parseServerHello(body),
    (err: unknown) => decodeError(err) && (err as DecodeError).path === 'ServerHello.extensions',
  );
});

test('a session id longer than 32 bytes and trailing bytes are rejected', () => {
  assert.throws(
    () =>
      parseServerHello(encodeServerHelloBody(serverHello(null, { sessionId: new Uint8Array(33) }))),
    decodeError,
  );
  const ok = encodeServerHelloBody(serverHello([]));
  assert.throws(() => parseServerHello(Uint8Array.of(...ok, 0)), decodeError);
});

test('hostile input: random bytes parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
      factsOrDecodeError(b);
    }),
    { numRuns: 5000 },
  );
});

test('hostile input: edited valid hellos parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(serverHelloArb, editsArb, (sh, edits) => {
      factsOrDecodeError(encodeServerHelloBody(sh));
      factsOrDecodeError(applyEdits(encodeServerHelloBody(sh), edits));
    }),
    { numRuns: 3000 },
  );
});

test('hostile input: every truncation parses or throws a WiretightError', () => {
  fc.assert(
    fc.property(serverHelloArb, (sh) => {
      const body = encodeServerHelloBody(sh);
      for (let n = 0; n < body.length; n++) factsOrDecodeError(body.subarray(0, n));
    }),
    { numRuns: 200 },
  );
});
