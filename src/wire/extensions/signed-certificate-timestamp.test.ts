import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteWriter, fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeSignedCertificateTimestamps } from './signed-certificate-timestamp.ts';

function encode(scts: readonly Uint8Array[]): Uint8Array {
  return new ByteWriter()
    .vector(2, (w) => {
      for (const s of scts) w.vectorOf(2, s);
    })
    .finish();
}

test("the client's empty extension decodes to no SCTs", () => {
  assert.deepEqual(decodeSignedCertificateTimestamps(new Uint8Array(0)), []);
});

test('a server list of SCTs is read as sent', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 5 }),
      (scts) => {
        assert.deepEqual(decodeSignedCertificateTimestamps(encode(scts)), scts);
      },
    ),
  );
});

test('an empty list, an empty SCT and trailing bytes are DecodeErrors', () => {
  for (const hex of ['0000', '00020000', '00030001aaff', '00040001aa']) {
    assert.throws(
      () => decodeSignedCertificateTimestamps(fromHex(hex)),
      (err: unknown) => err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE',
      hex,
    );
  }
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeSignedCertificateTimestamps(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
