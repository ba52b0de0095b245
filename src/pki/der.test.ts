import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { WiretightError } from '../errors.ts';
import { certificateParts } from './certificate-parts.ts';
import { TAG, decodeOid, decodeTime, derChildren, derElement, integerMagnitude } from './der.ts';
import { pemBlocks, pemCertificates } from './pem.ts';
import { issue } from './testdata/certificates.ts';

const isPkiDecode = (err: unknown): boolean =>
  err instanceof WiretightError && err.code === 'WT_ERR_PKI_DECODE';

test('an element: tag, contents, and its own bytes, long lengths included', () => {
  const body = new Uint8Array(300).fill(7);
  const der = new Uint8Array([0x04, 0x82, 0x01, 0x2c, ...body]);
  const tlv = derElement(der, 'octets');
  assert.equal(tlv.tag, TAG.OCTET_STRING);
  assert.equal(tlv.body.length, 300);
  assert.deepEqual(tlv.der, der);
});

test('lengths past the end, indefinite lengths, huge lengths and trailing bytes fail typed', () => {
  for (const bad of [
    [0x30, 0x05, 0x01],
    [0x30, 0x80, 0x00, 0x00],
    [0x30, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff],
    [0x04, 0x84, 0x7f, 0xff, 0xff, 0xff],
    [0x05, 0x00, 0x00],
    [0x1f, 0x81, 0x00, 0x00],
    [],
  ]) {
    assert.throws(() => derElement(new Uint8Array(bad), 'x'), isPkiDecode, JSON.stringify(bad));
  }
});

test('random bytes never escape as anything but WT_ERR_PKI_DECODE', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        derChildren(bytes, 'fuzz');
        certificateParts(bytes);
      } catch (err) {
        assert.ok(isPkiDecode(err), String(err));
      }
    }),
    { numRuns: 500 },
  );
});

test('OIDs, including arcs beyond 2^53', () => {
  assert.equal(decodeOid(new Uint8Array([0x55, 0x1d, 0x11])), '2.5.29.17');
  assert.equal(
    decodeOid(new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b])),
    '1.2.840.113549.1.1.11',
  );
  const big = new Uint8Array([0x69, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  assert.equal(decodeOid(big), `2.25.${(2n ** 64n + 1n).toString()}`);
  assert.throws(() => decodeOid(new Uint8Array([0x2a, 0x86])), isPkiDecode);
});

test('times: UTCTime century rule, GeneralizedTime, and impossible dates refused', () => {
  const t = (tag: number, s: string) => {
    const body = Buffer.from(s, 'latin1');
    return { tag, body, der: Buffer.concat([Buffer.from([tag, body.length]), body]) };
  };
  assert.equal(
    decodeTime(t(TAG.UTC_TIME, '491231235959Z'), 't').toISOString(),
    '2049-12-31T23:59:59.000Z',
  );
  assert.equal(
    decodeTime(t(TAG.UTC_TIME, '500101000000Z'), 't').toISOString(),
    '1950-01-01T00:00:00.000Z',
  );
  assert.equal(
    decodeTime(t(TAG.GENERALIZED_TIME, '99991231235959Z'), 't').toISOString(),
    '9999-12-31T23:59:59.000Z',
  );
  // years below 100 are not read as 19xx
  assert.equal(decodeTime(t(TAG.GENERALIZED_TIME, '00500101000000Z'), 't').getUTCFullYear(), 50);
  for (const [tag, s] of [
    [TAG.UTC_TIME, '991331235959Z'],
    [TAG.UTC_TIME, '990230000000Z'],
    [TAG.UTC_TIME, '9912312359Z'],
    [TAG.GENERALIZED_TIME, '991231235959Z'],
    [TAG.UTC_TIME, '991231246000Z'],
    [TAG.OCTET_STRING, '991231235959Z'],
  ] as const) {
    assert.throws(() => decodeTime(t(tag, s), 't'), isPkiDecode, s);
  }
});

test('serial magnitudes ignore the sign byte', () => {
  assert.deepEqual(integerMagnitude(new Uint8Array([0, 0x80, 1])), new Uint8Array([0x80, 1]));
  assert.deepEqual(integerMagnitude(new Uint8Array([0])), new Uint8Array([0]));
});

test('certificate parts are the exact bytes of the certificate', () => {
  const ca = issue({ cn: 'Parts CA', ca: true });
  const leaf = issue({ cn: 'parts.example', issuer: ca, dns: ['parts.example'] });
  const parts = certificateParts(leaf.der);
  assert.ok(Buffer.from(leaf.der).includes(Buffer.from(parts.tbs)));
  assert.deepEqual(parts.issuer, certificateParts(ca.der).subject);
  assert.ok(parts.extensions.some((e) => e.oid === '2.5.29.17'));
});

test('PEM: blocks in order, keys skipped for certificates, garbage refused', () => {
  const a = issue({ cn: 'a' });
  const b = issue({ cn: 'b' });
  const text = `junk\n${a.pem}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n${b.pem}`;
  assert.deepEqual(
    pemBlocks(text).map((x) => x.label),
    ['CERTIFICATE', 'PRIVATE KEY', 'CERTIFICATE'],
  );
  assert.deepEqual(pemCertificates(text), [a.der, b.der]);
  assert.throws(
    () => pemBlocks('-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n'),
    isPkiDecode,
  );
  assert.throws(() => pemBlocks('-----BEGIN CERTIFICATE-----\nAAAA\n'), isPkiDecode);
});

test('PEM: a hostile text of many BEGIN lines without END is read in linear time', () => {
  // 4 MiB of BEGIN lines: a lazy regex would rescan to the end from each one.
  const text = '-----BEGIN CERTIFICATE-----\n'.repeat(150_000);
  assert.throws(() => pemBlocks(text), isPkiDecode);
  assert.throws(() => pemBlocks('-----BEGIN X'.repeat(300_000)), isPkiDecode);
});
