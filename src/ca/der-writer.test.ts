import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Time } from '@peculiar/asn1-x509';
import fc from 'fast-check';
import {
  TAG,
  decodeOid,
  decodeTime,
  derElement,
  derSequence,
  expectTag,
  integerMagnitude,
} from '../pki/der.ts';
import {
  generalizedTime,
  integer,
  oid,
  pem,
  sequence,
  time,
  tlv,
  unsignedInteger,
} from './der-writer.ts';

test('tlv writes definite lengths that the DER reader reads back, short and long forms', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 70_000 }), (n) => {
      const body = new Uint8Array(n).fill(7);
      const element = derElement(tlv(0x04, body), 'x');
      assert.equal(element.tag, 0x04);
      assert.equal(element.body.length, n);
    }),
    { numRuns: 60 },
  );
  assert.deepEqual([...tlv(0x04, new Uint8Array(127)).subarray(0, 2)], [0x04, 0x7f]);
  assert.deepEqual([...tlv(0x04, new Uint8Array(128)).subarray(0, 3)], [0x04, 0x81, 0x80]);
  assert.deepEqual([...tlv(0x04, new Uint8Array(256)).subarray(0, 4)], [0x04, 0x82, 0x01, 0x00]);
});

test('unsignedInteger is minimal and positive: no superfluous zero, a sign byte when needed', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
      const der = unsignedInteger(bytes);
      const body = expectTag(derElement(der, 'INTEGER'), TAG.INTEGER, 'INTEGER').body;
      assert.equal((body[0] as number) & 0x80, 0, 'never negative');
      if (body.length > 1)
        assert.ok(body[0] !== 0 || ((body[1] as number) & 0x80) !== 0, 'minimal');
      const expected = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
      assert.equal(
        BigInt(`0x${Buffer.from(integerMagnitude(body)).toString('hex') || '0'}`),
        expected,
      );
    }),
  );
  assert.deepEqual([...integer(0)], [0x02, 0x01, 0x00]);
  assert.deepEqual([...integer(128)], [0x02, 0x02, 0x00, 0x80]);
  assert.throws(() => integer(-1), RangeError);
});

test('oid encodes every arc, large ones included, as the DER reader decodes them', () => {
  const arcs = fc.array(fc.bigInt({ min: 0n, max: 2n ** 70n }), { minLength: 0, maxLength: 8 });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 39 }),
      arcs,
      (a, b, rest) => {
        const dotted = [a, b, ...rest].join('.');
        const body = expectTag(derElement(oid(dotted), 'OID'), TAG.OID, 'OID').body;
        assert.equal(decodeOid(body), dotted);
      },
    ),
  );
  assert.throws(() => oid('1.2.x'), RangeError);
  assert.throws(() => oid('7'), RangeError);
});

test('time picks UTCTime before 2050 and GeneralizedTime from 2050, like asn1-x509', () => {
  const date = fc.date({
    min: new Date('1950-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
  fc.assert(
    fc.property(date, (d) => {
      const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
      const der = time(whole);
      assert.equal(der[0], whole.getUTCFullYear() < 2050 ? TAG.UTC_TIME : TAG.GENERALIZED_TIME);
      assert.equal(decodeTime(derElement(der, 'Time'), 'Time').getTime(), whole.getTime());
      assert.deepEqual(der, new Uint8Array(AsnConvert.serialize(new Time(whole))));
      assert.equal(generalizedTime(whole)[0], TAG.GENERALIZED_TIME);
    }),
    { numRuns: 300 },
  );
  assert.throws(() => time(new Date('1949-12-31T23:59:59Z')), RangeError);
});

test('sequence nests elements in order; pem wraps at 64 characters', () => {
  const [a, b] = derSequence(derElement(sequence(integer(1), integer(2)), 's'), 's');
  assert.deepEqual([a?.body[0], b?.body[0]], [1, 2]);
  const text = pem('TEST', new Uint8Array(100));
  assert.match(
    text,
    /^-----BEGIN TEST-----\n([A-Za-z0-9+/]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END TEST-----\n$/,
  );
  assert.equal(Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64').length, 100);
});
