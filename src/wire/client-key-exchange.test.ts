import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';
import {
  encodeRsaClientKeyExchange,
  parseRsaClientKeyExchange,
  rsaClientKeyExchangeMessage,
} from './client-key-exchange.ts';
import { HandshakeReassembler } from './handshake.ts';

test('TLS prefixes the encrypted premaster with its length; SSLv3 does not', () => {
  assert.deepEqual(encodeRsaClientKeyExchange(fromHex('aabbcc'), 0x0303), fromHex('0003aabbcc'));
  assert.deepEqual(encodeRsaClientKeyExchange(fromHex('aabbcc'), 0x0301), fromHex('0003aabbcc'));
  assert.deepEqual(encodeRsaClientKeyExchange(fromHex('aabbcc'), 0x0300), fromHex('aabbcc'));
});

test('the handshake message is type 16 and reassembles', () => {
  const msg = rsaClientKeyExchangeMessage(fromHex('0102'), 0x0303);
  assert.deepEqual(msg, fromHex('10000004' + '00020102'));
  const [parsed] = new HandshakeReassembler().push(msg);
  assert.equal(parsed?.type, 16);
  assert.deepEqual(
    parseRsaClientKeyExchange(parsed?.body ?? new Uint8Array(0), 0x0303),
    fromHex('0102'),
  );
});

test('property: parse(encode(x)) is x in every version', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 600 }),
      fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303),
      (encrypted, version) => {
        const body = encodeRsaClientKeyExchange(encrypted, version);
        assert.deepEqual(parseRsaClientKeyExchange(body, version), encrypted);
      },
    ),
  );
});

test('a TLS body whose length lies, is empty, or has trailing bytes is a DecodeError', () => {
  for (const hex of ['', '00', '0000', '0003aabb', '0001aabb']) {
    assert.throws(
      () => parseRsaClientKeyExchange(fromHex(hex), 0x0303),
      (err: unknown) => err instanceof DecodeError,
      hex,
    );
  }
});

test('hostile input: random bytes parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      try {
        parseRsaClientKeyExchange(b, 0x0303);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
