import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeAlpn, decodeServerAlpn, encodeAlpn } from './alpn.ts';

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;
const protocolArb = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 60 })
  .filter((s) => utf8Length(s) <= 255);

test('encodes a list of 1-byte-length names', () => {
  assert.deepEqual(
    encodeAlpn(['h2', 'http/1.1']),
    fromHex('000c' + '026832' + '08' + Buffer.from('http/1.1').toString('hex')),
  );
});

test('decode(encode(protocols)) returns the protocols', () => {
  fc.assert(
    fc.property(fc.array(protocolArb, { minLength: 1, maxLength: 10 }), (protocols) => {
      assert.deepEqual(decodeAlpn(encodeAlpn(protocols)), protocols);
    }),
  );
});

test('empty names are RangeErrors; names over 255 bytes are WT_ERR_WIRE_ENCODE', () => {
  assert.throws(() => encodeAlpn(['h2', '']), RangeError);
  assert.throws(
    () => encodeAlpn(['x'.repeat(256)]),
    (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_WIRE_ENCODE',
  );
});

test('an empty list, an empty name, lying lengths and trailing bytes are DecodeErrors', () => {
  for (const hex of ['0000', '000100', '0002' + '00' + '61', '0003026832ff', '0004026832', '00']) {
    assert.throws(() => decodeAlpn(fromHex(hex)), decodeError, hex);
  }
});

test('invalid UTF-8 decodes (replacement characters) instead of throwing', () => {
  assert.deepEqual(decodeAlpn(fromHex('000201ff')), ['\ufffd']);
});

test('a name starting with U+FEFF keeps it (the BOM is data, not a byte-order mark)', () => {
  assert.deepEqual(decodeAlpn(encodeAlpn(['\ufeffh2', 'x\ufeff'])), ['\ufeffh2', 'x\ufeff']);
});

test("the server's form holds exactly one protocol", () => {
  assert.equal(decodeServerAlpn(encodeAlpn(['h2'])), 'h2');
  assert.throws(() => decodeServerAlpn(encodeAlpn(['h2', 'http/1.1'])), decodeError);
  assert.throws(() => decodeServerAlpn(fromHex('0000')), decodeError);
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeServerAlpn(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
      try {
        decodeAlpn(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
