import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteWriter, fromHex } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';
import { parseCertificateList } from './certificate.ts';

function encodeCertificateList(chain: readonly Uint8Array[]): Uint8Array {
  return new ByteWriter()
    .vector(3, (w) => {
      for (const c of chain) w.vectorOf(3, c);
    })
    .finish();
}

const chainArb = fc.array(fc.uint8Array({ minLength: 1, maxLength: 100 }), { maxLength: 5 });

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('parses a chain as sent', () => {
  assert.deepEqual(parseCertificateList(fromHex('00000a' + '000002aabb' + '000002ccdd')), [
    fromHex('aabb'),
    fromHex('ccdd'),
  ]);
});

test('an empty certificate_list is legal', () => {
  assert.deepEqual(parseCertificateList(fromHex('000000')), []);
});

test('round-trips arbitrary chains', () => {
  fc.assert(
    fc.property(chainArb, (chain) => {
      assert.deepEqual(parseCertificateList(encodeCertificateList(chain)), chain);
    }),
  );
});

test('an empty certificate, a lying length and trailing bytes are DecodeErrors', () => {
  const cases = [
    '000003000000', // one zero-length certificate
    '000006000004aabb', // outer length beyond the body
    '000005000004aabbcc', // inner length beyond the outer vector
    '000000ff', // trailing byte
    '0000', // truncated header
  ];
  for (const hex of cases)
    assert.throws(() => parseCertificateList(fromHex(hex)), decodeError, hex);
  // The error names which certificate was bad.
  assert.throws(
    () => parseCertificateList(fromHex('00000a000002aabb000003ccdd')),
    (err: unknown) => decodeError(err) && /certificate\[1\]/.test((err as Error).message),
  );
});

function parsesOrWiretightError(b: Uint8Array): void {
  try {
    parseCertificateList(b);
  } catch (err) {
    assert.ok(err instanceof WiretightError, `not a WiretightError: ${String(err)}`);
  }
}

test('hostile input: random bytes and every truncation parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => parsesOrWiretightError(b)),
    { numRuns: 5000 },
  );
  fc.assert(
    fc.property(chainArb, (chain) => {
      const body = encodeCertificateList(chain);
      for (let n = 0; n < body.length; n++) {
        assert.throws(() => parseCertificateList(body.subarray(0, n)), decodeError);
      }
    }),
    { numRuns: 200 },
  );
});
