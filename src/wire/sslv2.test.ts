import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteReader, ByteWriter, fromHex } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';
import { CIPHER_SUITES, suitesForProtocol } from './registry/cipher-suites.ts';
import {
  SSLV2_MSG,
  type Sslv2ServerHello,
  buildSslv2ClientHello,
  parseSslv2ServerHello,
  sslv2RecordLength,
} from './sslv2.ts';

function encodeServerHello(sh: Sslv2ServerHello): Uint8Array {
  const w = new ByteWriter()
    .u8(SSLV2_MSG.server_hello)
    .u8(sh.sessionIdHit ? 1 : 0)
    .u8(sh.certificateType)
    .u16(sh.version)
    .u16(sh.certificate.length)
    .u16(sh.cipherSpecs.length * 3)
    .u16(sh.connectionId.length)
    .bytes(sh.certificate);
  for (const s of sh.cipherSpecs) w.u24(s);
  return w.bytes(sh.connectionId).finish();
}

const serverHelloArb: fc.Arbitrary<Sslv2ServerHello> = fc.record(
  {
    sessionIdHit: fc.boolean(),
    certificateType: fc.integer({ min: 0, max: 255 }),
    version: fc.integer({ min: 0, max: 0xffff }),
    certificate: fc.uint8Array({ maxLength: 100 }),
    cipherSpecs: fc.array(fc.integer({ min: 0, max: 0xffffff }), { maxLength: 20 }),
    connectionId: fc.uint8Array({ maxLength: 32 }),
  },
  { noNullPrototype: true },
);

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

/** Reads a CLIENT-HELLO back: header, fields, specs and challenge. */
function readClientHello(bytes: Uint8Array): {
  specs: number[];
  challenge: Uint8Array;
  version: number;
} {
  const framing = sslv2RecordLength(bytes);
  assert.ok(framing !== undefined);
  assert.equal(framing.header, 2);
  assert.equal(framing.length, bytes.length - 2);
  const r = new ByteReader(bytes.subarray(2), 'CLIENT-HELLO');
  assert.equal(r.u8(), SSLV2_MSG.client_hello);
  const version = r.u16();
  const specsLength = r.u16();
  assert.equal(r.u16(), 0);
  const challengeLength = r.u16();
  const specs: number[] = [];
  const s = r.take(specsLength, 'specs');
  while (!s.atEnd) specs.push(s.u24());
  const challenge = r.bytes(challengeLength);
  r.expectEnd();
  return { specs, challenge, version };
}

test('buildSslv2ClientHello writes a 2-byte-header CLIENT-HELLO', () => {
  const challenge = new Uint8Array(16).fill(0xcc);
  const bytes = buildSslv2ClientHello([0x0700c0, 0x010080], challenge);
  assert.equal(
    Buffer.from(bytes).toString('hex'),
    '801f' + '01' + '0002' + '0006' + '0000' + '0010' + '0700c0' + '010080' + 'cc'.repeat(16),
  );
  const random = readClientHello(buildSslv2ClientHello([0x0700c0]));
  assert.equal(random.challenge.length, 16);
  assert.equal(random.version, 2);
});

test('all 370 registry suites fit in one SSLv2 hello as 3-byte specs', () => {
  const ids = CIPHER_SUITES.map((s) => s.id);
  assert.equal(ids.length, 370);
  assert.deepEqual(readClientHello(buildSslv2ClientHello(ids)).specs, ids);
  const v2 = suitesForProtocol('SSLv2').map((s) => s.id);
  assert.deepEqual(readClientHello(buildSslv2ClientHello(v2)).specs, v2);
});

test('challenge must be 16..32 bytes; an oversized hello is WT_ERR_WIRE_ENCODE', () => {
  assert.throws(() => buildSslv2ClientHello([1], new Uint8Array(15)), RangeError);
  assert.throws(() => buildSslv2ClientHello([1], new Uint8Array(33)), RangeError);
  assert.doesNotThrow(() => buildSslv2ClientHello([1], new Uint8Array(32)));
  assert.throws(() => buildSslv2ClientHello([0x1000000]), RangeError);
  assert.throws(
    () => buildSslv2ClientHello(new Array<number>(11_000).fill(0x010080)),
    (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_WIRE_ENCODE',
  );
});

test('sslv2RecordLength reads 2- and 3-byte headers and waits for enough bytes', () => {
  assert.equal(sslv2RecordLength(new Uint8Array(0)), undefined);
  assert.equal(sslv2RecordLength(Uint8Array.of(0x80)), undefined);
  assert.deepEqual(sslv2RecordLength(fromHex('8123')), { header: 2, length: 0x0123 });
  assert.deepEqual(sslv2RecordLength(fromHex('ffff')), { header: 2, length: 0x7fff });
  assert.equal(sslv2RecordLength(fromHex('01')), undefined);
  assert.equal(sslv2RecordLength(fromHex('0123')), undefined);
  assert.deepEqual(sslv2RecordLength(fromHex('012305')), { header: 3, length: 0x0123 });
  assert.deepEqual(sslv2RecordLength(fromHex('7fff00')), { header: 3, length: 0x3fff });
});

test('parseSslv2ServerHello round-trips arbitrary SERVER-HELLOs', () => {
  fc.assert(
    fc.property(serverHelloArb, (sh) => {
      assert.deepEqual(parseSslv2ServerHello(encodeServerHello(sh)), sh);
    }),
  );
});

test('an SSLv2 ERROR, another message type or a bad spec length are DecodeErrors', () => {
  assert.throws(() => parseSslv2ServerHello(fromHex('000001')), decodeError);
  assert.throws(() => parseSslv2ServerHello(fromHex('01')), decodeError);
  assert.throws(() => parseSslv2ServerHello(new Uint8Array(0)), decodeError);
  const sh: Sslv2ServerHello = {
    sessionIdHit: false,
    certificateType: 1,
    version: 2,
    certificate: fromHex('3082'),
    cipherSpecs: [0x0700c0],
    connectionId: new Uint8Array(16),
  };
  const body = encodeServerHello(sh);
  const badSpecs = body.slice();
  badSpecs[8] = 4; // cipher_specs_length 4: not a multiple of 3
  assert.throws(() => parseSslv2ServerHello(badSpecs), decodeError);
});

function parsesOrWiretightError(b: Uint8Array): void {
  try {
    parseSslv2ServerHello(b);
  } catch (err) {
    assert.ok(err instanceof WiretightError, `not a WiretightError: ${String(err)}`);
  }
}

test('hostile input: random bytes, edits and truncations parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
      parsesOrWiretightError(b);
      parsesOrWiretightError(Uint8Array.of(SSLV2_MSG.server_hello, ...b));
    }),
    { numRuns: 5000 },
  );
  fc.assert(
    fc.property(serverHelloArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (sh, at, value) => {
      const body = encodeServerHello(sh);
      const edited = body.slice();
      edited[at % edited.length] = value;
      parsesOrWiretightError(edited);
      for (let n = 0; n < body.length; n++) {
        assert.throws(() => parseSslv2ServerHello(body.subarray(0, n)), decodeError);
      }
    }),
    { numRuns: 300 },
  );
});
