import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { parseCertificate } from '../parsed-certificate.ts';
import { DAY, NOW, issue, makeChain } from '../testdata/certificates.ts';
import { crl } from '../testdata/revocation.ts';
import { type CrlCheck, checkCrl } from './crl.ts';

const { intermediate, leaf } = makeChain('crl.example.test');
const check: CrlCheck = {
  cert: parseCertificate(leaf.der),
  issuer: parseCertificate(intermediate.der),
  now: NOW,
  url: 'http://crl.test/int.crl',
};
const other = issue({ cn: 'someone else', issuer: intermediate });

test('a CRL that lists the certificate: revoked, with reason and date; one that does not: good', () => {
  const at = new Date('2026-05-03T04:05:06Z');
  const listed = checkCrl(
    crl({ issuer: intermediate, revoked: [{ cert: other }, { cert: leaf, at, reason: 4 }] }),
    check,
  );
  assert.deepEqual(listed, {
    source: 'crl',
    url: 'http://crl.test/int.crl',
    status: 'revoked',
    revokedAt: at.toISOString(),
    reason: 'superseded',
    thisUpdate: new Date(NOW.getTime() - 3600_000).toISOString(),
    nextUpdate: new Date(NOW.getTime() + 7 * DAY).toISOString(),
  });
  const noReason = checkCrl(crl({ issuer: intermediate, revoked: [{ cert: leaf }] }), check);
  assert.deepEqual([noReason.status, noReason.reason], ['revoked', undefined]);
  assert.equal(
    checkCrl(crl({ issuer: intermediate, revoked: [{ cert: other }] }), check).status,
    'good',
  );
  assert.equal(checkCrl(crl({ issuer: intermediate }), check).status, 'good');
});

test('PEM CRLs are read too', () => {
  const der = crl({ issuer: intermediate, revoked: [{ cert: leaf }] });
  const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString('base64')}\n-----END X509 CRL-----\n`;
  assert.equal(checkCrl(new Uint8Array(Buffer.from(pem)), check).status, 'revoked');
});

test('a CRL from another issuer, signed by another key, stale, future, or a delta CRL is unavailable', () => {
  const impostor = issue({ cn: 'Test Intermediate', ca: true });
  const cases: [Parameters<typeof crl>[0], RegExp][] = [
    [
      { issuer: issue({ cn: 'Other CA', ca: true }), revoked: [{ cert: leaf }] },
      /not issued by the certificate’s issuer/,
    ],
    [
      { issuer: intermediate, signer: impostor, revoked: [{ cert: leaf }] },
      /signature does not verify/,
    ],
    [{ issuer: intermediate, nextUpdate: new Date(NOW.getTime() - DAY) }, /stale/],
    [{ issuer: intermediate, thisUpdate: new Date(NOW.getTime() + DAY) }, /future/],
    [
      {
        issuer: intermediate,
        extensions: [
          { oid: '2.5.29.27', critical: true, value: new Uint8Array([0x02, 0x01, 0x05]) },
        ],
      },
      /critical extension.*2\.5\.29\.27/,
    ],
  ];
  for (const [spec, error] of cases) {
    const r = checkCrl(crl(spec), check);
    assert.equal(r.status, 'unavailable');
    assert.match(r.error ?? '', error);
  }
});

test('garbage and damaged CRLs are unavailable, never a throw', () => {
  assert.match(checkCrl(new Uint8Array([0x30, 0x03, 1, 2]), check).error ?? '', /malformed CRL/);
  const real = crl({ issuer: intermediate, revoked: [{ cert: leaf }] });
  fc.assert(
    fc.property(fc.nat(real.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
      const bytes = Uint8Array.from(real);
      bytes[at] = (bytes[at] ?? 0) ^ flip;
      const r = checkCrl(bytes, check);
      if (r.status !== 'unavailable') assert.equal(r.status, 'revoked');
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      assert.equal(checkCrl(bytes, check).status, 'unavailable');
    }),
  );
});
