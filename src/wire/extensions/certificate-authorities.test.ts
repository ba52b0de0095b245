import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteReader, ByteWriter, fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeCertificateAuthorities, readDistinguishedNames } from './certificate-authorities.ts';

function encode(names: readonly Uint8Array[]): Uint8Array {
  return new ByteWriter()
    .vector(2, (w) => {
      for (const n of names) w.vectorOf(2, n);
    })
    .finish();
}

const namesArb = fc.array(fc.uint8Array({ minLength: 1, maxLength: 60 }), { maxLength: 5 });
const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('decode(encode(names)) returns the names', () => {
  fc.assert(
    fc.property(namesArb, (names) => {
      fc.pre(names.length > 0);
      assert.deepEqual(decodeCertificateAuthorities(encode(names)), names);
    }),
  );
});

test('the extension needs at least one name; a CertificateRequest field may be empty', () => {
  assert.throws(() => decodeCertificateAuthorities(fromHex('0000')), decodeError);
  const r = new ByteReader(fromHex('0000'), 'CertificateRequest');
  assert.deepEqual(readDistinguishedNames(r, 'certificate_authorities'), []);
  assert.equal(r.atEnd, true);
});

test('an empty name, a lying length and trailing bytes are DecodeErrors', () => {
  for (const hex of ['00020000', '00040003aabb', '00030001aaff', '0005']) {
    assert.throws(() => decodeCertificateAuthorities(fromHex(hex)), decodeError, hex);
  }
  // The error names which DistinguishedName was bad.
  assert.throws(
    () => decodeCertificateAuthorities(fromHex('00050001aa0000')),
    (err: unknown) => decodeError(err) && /DistinguishedName\[1\]/.test((err as Error).message),
  );
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeCertificateAuthorities(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
