import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeRenegotiationInfo, encodeRenegotiationInfo } from './renegotiation-info.ts';

test('an initial handshake sends an empty renegotiated_connection', () => {
  assert.deepEqual(encodeRenegotiationInfo(), fromHex('00'));
  assert.deepEqual(decodeRenegotiationInfo(fromHex('00')), new Uint8Array(0));
});

test('decode(encode(verify_data)) returns the verify_data', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 255 }), (v) => {
      assert.deepEqual(decodeRenegotiationInfo(encodeRenegotiationInfo(v)), v);
    }),
  );
});

test('malformed data is a DecodeError; oversized verify_data cannot be encoded', () => {
  for (const hex of ['', '01', '0100ff']) {
    assert.throws(
      () => decodeRenegotiationInfo(fromHex(hex)),
      (err: unknown) => err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE',
      hex,
    );
  }
  assert.throws(
    () => encodeRenegotiationInfo(new Uint8Array(256)),
    (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_WIRE_ENCODE',
  );
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeRenegotiationInfo(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
