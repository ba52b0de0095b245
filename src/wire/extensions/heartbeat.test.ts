import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeHeartbeat, encodeHeartbeat } from './heartbeat.ts';

test('decode(encode(mode)) returns the mode', () => {
  for (const mode of [1, 2] as const) {
    assert.deepEqual(encodeHeartbeat(mode), Uint8Array.of(mode));
    assert.equal(decodeHeartbeat(encodeHeartbeat(mode)), mode);
  }
});

test('empty or longer data is a DecodeError', () => {
  for (const b of [new Uint8Array(0), Uint8Array.of(1, 1)]) {
    assert.throws(
      () => decodeHeartbeat(b),
      (err: unknown) => err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE',
    );
  }
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 8 }), (b) => {
      try {
        decodeHeartbeat(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
