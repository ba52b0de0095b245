import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeSignatureAlgorithms, encodeSignatureAlgorithms } from './signature-algorithms.ts';

test('decode(encode(list)) returns the list', () => {
  assert.deepEqual(
    decodeSignatureAlgorithms(encodeSignatureAlgorithms([0x0403, 0x0804, 0x0201])),
    [0x0403, 0x0804, 0x0201],
  );
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }), (values) => {
      assert.deepEqual(decodeSignatureAlgorithms(encodeSignatureAlgorithms(values)), values);
    }),
  );
});

test('errors name the signature_algorithms extension', () => {
  assert.throws(
    () => decodeSignatureAlgorithms(Uint8Array.of(0, 3, 0, 1, 2)),
    (err: unknown) =>
      err instanceof DecodeError &&
      err.code === 'WT_ERR_WIRE_DECODE' &&
      err.path.startsWith('signature_algorithms'),
  );
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeSignatureAlgorithms(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
