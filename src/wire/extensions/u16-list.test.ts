import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeU16List, encodeU16List } from './u16-list.ts';

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('encodes a 2-byte-length list of 2-byte values', () => {
  assert.deepEqual(encodeU16List([0x001d, 0x0017]), fromHex('0004001d0017'));
  assert.deepEqual(encodeU16List([]), fromHex('0000'));
});

test('round-trips arbitrary lists', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 }), (values) => {
      assert.deepEqual(decodeU16List(encodeU16List(values), 'x'), values);
    }),
  );
});

test('odd lengths, lying lengths and trailing bytes are DecodeErrors with the given name', () => {
  for (const hex of ['0003001d00', '0004001d', '0002001dff', '00']) {
    assert.throws(
      () => decodeU16List(fromHex(hex), 'supported_groups'),
      (err: unknown) =>
        decodeError(err) && (err as DecodeError).path.startsWith('supported_groups'),
      hex,
    );
  }
});

test('values out of range are RangeErrors when encoding', () => {
  assert.throws(() => encodeU16List([0x10000]), RangeError);
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeU16List(b, 'x');
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
