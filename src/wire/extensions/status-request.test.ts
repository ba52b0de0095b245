import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeStatusRequest, encodeStatusRequest } from './status-request.ts';

test('an OCSP request with empty responder ids and extensions round-trips', () => {
  assert.deepEqual(encodeStatusRequest(), fromHex('0100000000'));
  assert.deepEqual(decodeStatusRequest(encodeStatusRequest()), { statusType: 1 });
});

test("the server's empty acknowledgement decodes to null", () => {
  assert.equal(decodeStatusRequest(new Uint8Array(0)), null);
});

test('responder ids and request extensions are skipped', () => {
  assert.deepEqual(decodeStatusRequest(fromHex('01' + '0002aabb' + '0001cc')), { statusType: 1 });
});

test('truncated or trailing data is a DecodeError', () => {
  for (const hex of ['01', '010000', '0100000000ff', '01000300']) {
    assert.throws(
      () => decodeStatusRequest(fromHex(hex)),
      (err: unknown) => err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE',
      hex,
    );
  }
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 32 }), (b) => {
      try {
        decodeStatusRequest(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
