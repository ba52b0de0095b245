import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../errors.ts';
import { ldapStartTlsRequest, parseLdapExtendedResponse } from './ldap.ts';
import { ldapResponse } from './testdata/scripts.ts';

test('the StartTLS request is the BER of RFC 4511 4.14.1, byte for byte', () => {
  // SEQUENCE { messageID 1, [APPLICATION 23] { [0] "1.3.6.1.4.1.1466.20037" } }, written
  // out by hand from the RFC, independent of the encoder under test.
  const expected = Buffer.concat([
    Buffer.from('301d020101771880', 'hex'),
    Buffer.from([22]),
    Buffer.from('1.3.6.1.4.1.1466.20037'),
  ]);
  assert.deepEqual(Buffer.from(ldapStartTlsRequest(1)), expected);
  assert.throws(() => ldapStartTlsRequest(0), RangeError);
  assert.throws(() => ldapStartTlsRequest(128), RangeError);
});

test('an ExtendedResponse is parsed, long-form lengths and trailing fields included', () => {
  assert.deepEqual(parseLdapExtendedResponse(ldapResponse(0)), {
    messageId: 1,
    resultCode: 0,
    diagnosticMessage: '',
  });
  const long = ldapResponse(53, 'x'.repeat(150));
  assert.equal(long[1], 0x81); // long-form length
  assert.equal(parseLdapExtendedResponse(long).diagnosticMessage.length, 150);
});

test('truncated and lying lengths are DecodeErrors', () => {
  const good = ldapResponse(2, 'unsupported');
  for (let cut = 0; cut < good.length; cut++) {
    assert.throws(() => parseLdapExtendedResponse(good.subarray(0, cut)), DecodeError);
  }
  assert.throws(() => parseLdapExtendedResponse(Uint8Array.from([0x30, 0x80, 0, 0])), DecodeError);
  assert.throws(
    () => parseLdapExtendedResponse(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1])),
    DecodeError,
  );
});

test('property: any bytes parse or throw a DecodeError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        parseLdapExtendedResponse(Uint8Array.from([0x30, bytes.length, ...bytes]));
      } catch (err) {
        assert.ok(err instanceof DecodeError, String(err));
      }
    }),
    { numRuns: 2000 },
  );
});
