import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteWriter, fromHex } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';
import { type CertificateRequest, parseCertificateRequest } from './certificate-request.ts';

function encode(cr: CertificateRequest, tls12: boolean): Uint8Array {
  const w = new ByteWriter().vectorOf(1, Uint8Array.from(cr.certificateTypes));
  if (tls12) {
    w.vector(2, () => {
      for (const s of cr.signatureSchemes) w.u16(s);
    });
  }
  return w
    .vector(2, () => {
      for (const dn of cr.authorities) w.vectorOf(2, dn);
    })
    .finish();
}

const requestArb = (tls12: boolean): fc.Arbitrary<CertificateRequest> =>
  fc.record(
    {
      certificateTypes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }),
      signatureSchemes: tls12
        ? fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 })
        : fc.constant([]),
      authorities: fc.array(fc.uint8Array({ minLength: 1, maxLength: 50 }), { maxLength: 4 }),
    },
    { noNullPrototype: true },
  );

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('parses a TLS 1.2 CertificateRequest', () => {
  const body = fromHex('02' + '0140' + '0004' + '04030804' + '0007' + '0005' + '3003310101');
  assert.deepEqual(parseCertificateRequest(body, true), {
    certificateTypes: [1, 64],
    signatureSchemes: [0x0403, 0x0804],
    authorities: [fromHex('3003310101')],
  });
});

test('before TLS 1.2 there is no signature list', () => {
  assert.deepEqual(parseCertificateRequest(fromHex('0101' + '0000'), false), {
    certificateTypes: [1],
    signatureSchemes: [],
    authorities: [],
  });
  // The same bytes read as TLS 1.2 are malformed (the CA list would be the signature list).
  assert.throws(() => parseCertificateRequest(fromHex('0101' + '0000'), true), decodeError);
});

test('round-trips arbitrary requests in both forms', () => {
  for (const tls12 of [true, false]) {
    fc.assert(
      fc.property(requestArb(tls12), (cr) => {
        assert.deepEqual(parseCertificateRequest(encode(cr, tls12), tls12), cr);
      }),
    );
  }
});

test('malformed requests are DecodeErrors', () => {
  const cases: [string, boolean][] = [
    ['00' + '0002' + '0401' + '0000', true], // no certificate types
    ['0101' + '0000' + '0000', true], // empty signature list
    ['0101' + '0003' + '040308' + '0000', true], // odd signature list
    ['0101' + '0004' + '0000', false], // CA list longer than the body
    ['0101' + '0002' + '0000', false], // empty distinguished name
    ['0101' + '0000' + 'ff', false], // trailing byte
  ];
  for (const [hex, tls12] of cases) {
    assert.throws(() => parseCertificateRequest(fromHex(hex), tls12), decodeError, hex);
  }
});

function parsesOrWiretightError(b: Uint8Array, tls12: boolean): void {
  try {
    parseCertificateRequest(b, tls12);
  } catch (err) {
    assert.ok(err instanceof WiretightError, `not a WiretightError: ${String(err)}`);
  }
}

test('hostile input: random bytes and every truncation parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (b, tls12) =>
      parsesOrWiretightError(b, tls12),
    ),
    { numRuns: 5000 },
  );
  for (const tls12 of [true, false]) {
    fc.assert(
      fc.property(requestArb(tls12), (cr) => {
        const body = encode(cr, tls12);
        for (let n = 0; n < body.length; n++) {
          assert.throws(() => parseCertificateRequest(body.subarray(0, n), tls12), decodeError);
        }
      }),
      { numRuns: 100 },
    );
  }
});
