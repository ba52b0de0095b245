import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeEcPointFormats, encodeEcPointFormats } from './ec-point-formats.ts';

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('encodes a 1-byte-length list', () => {
  assert.deepEqual(encodeEcPointFormats([0, 1, 2]), fromHex('03000102'));
});

test('decode(encode(formats)) returns the formats', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 255 }),
      (formats) => {
        assert.deepEqual(decodeEcPointFormats(encodeEcPointFormats(formats)), formats);
      },
    ),
  );
});

test('an empty list, a lying length and trailing bytes are DecodeErrors', () => {
  for (const hex of ['00', '0200', '0100ff', '']) {
    assert.throws(() => decodeEcPointFormats(fromHex(hex)), decodeError, hex);
  }
});

test('more than 255 formats cannot be encoded', () => {
  assert.throws(
    () => encodeEcPointFormats(new Array<number>(256).fill(0)),
    (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_WIRE_ENCODE',
  );
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeEcPointFormats(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
