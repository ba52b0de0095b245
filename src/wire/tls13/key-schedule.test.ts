import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import test from 'node:test';
import { concatBytes, fromHex, toHex } from '../../core/bytes.ts';
import { DecodeError } from '../../errors.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../handshake.ts';
import { HELLO_RETRY_REQUEST_RANDOM, encodeServerHelloBody } from '../server-hello.ts';
import {
  deriveHandshakeSecrets,
  hkdfExpand,
  hkdfExpandLabel,
  hkdfExtract,
  trafficKeys,
} from './key-schedule.ts';
import { TLS13_SUITES } from './suites.ts';
import { isHelloRetryRequest, messageHashMessage, transcriptHash } from './transcript.ts';
import { RFC8448 } from './testdata/rfc8448.ts';

test('HKDF matches RFC 5869 test case 1', () => {
  const prk = hkdfExtract(
    'sha256',
    fromHex('000102030405060708090a0b0c'),
    new Uint8Array(22).fill(0x0b),
  );
  assert.equal(toHex(prk), '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
  const okm = hkdfExpand('sha256', prk, fromHex('f0f1f2f3f4f5f6f7f8f9'), 42);
  assert.equal(
    toHex(okm),
    '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  );
  assert.throws(() => hkdfExpand('sha256', prk, new Uint8Array(0), 255 * 32 + 1), RangeError);
  assert.equal(hkdfExpand('sha384', prk, new Uint8Array(0), 255 * 48).length, 255 * 48);
});

test('HKDF-Expand-Label encodes HkdfLabel as RFC 8446 §7.1 says', () => {
  // RFC 8448: server handshake key = Expand-Label(shts, "key", "", 16).
  const key = hkdfExpandLabel(
    'sha256',
    fromHex(RFC8448.serverHandshakeTrafficSecret),
    'key',
    new Uint8Array(0),
    16,
  );
  assert.equal(toHex(key), RFC8448.serverHandshakeKey);
  assert.throws(
    () => hkdfExpandLabel('sha256', key, 'x'.repeat(250), new Uint8Array(0), 16),
    RangeError,
  );
});

test('traffic key sizes follow the suite', () => {
  for (const [id, suite] of Object.entries(TLS13_SUITES)) {
    const { key, iv } = trafficKeys(Number(id), new Uint8Array(suite.hashLength));
    assert.equal(key.length, suite.keyLength);
    assert.equal(iv.length, 12);
  }
  assert.throws(() => trafficKeys(0xc02f, new Uint8Array(32)), RangeError);
});

function serverHello(random: Uint8Array): Uint8Array {
  return encodeHandshake(
    HANDSHAKE_TYPE.server_hello,
    encodeServerHelloBody({
      legacyVersion: 0x0303,
      random,
      sessionId: new Uint8Array(0),
      cipherSuite: 0x1302,
      compressionMethod: 0,
      extensions: [],
    }),
  );
}

const CH1 = encodeHandshake(HANDSHAKE_TYPE.client_hello, new Uint8Array(40).fill(1));
const HRR = serverHello(HELLO_RETRY_REQUEST_RANDOM);
const CH2 = encodeHandshake(HANDSHAKE_TYPE.client_hello, new Uint8Array(50).fill(2));
const SH = serverHello(new Uint8Array(32).fill(9));

test('after a HelloRetryRequest the transcript starts with message_hash(Hash(ClientHello1))', () => {
  assert.equal(isHelloRetryRequest(HRR), true);
  assert.equal(isHelloRetryRequest(SH), false);
  for (const hash of ['sha256', 'sha384'] as const) {
    const inner = createHash(hash).update(CH1).digest();
    const synthetic = messageHashMessage(hash, CH1);
    assert.deepEqual(synthetic, concatBytes([Uint8Array.of(254, 0, 0, inner.length), inner]));
    const expected = createHash(hash).update(synthetic).update(HRR).update(CH2).update(SH).digest();
    assert.deepEqual(transcriptHash(hash, [CH1, HRR, CH2, SH]), new Uint8Array(expected));
    // Without a retry, the ClientHello goes in as it is.
    const plain = createHash(hash).update(CH1).update(SH).digest();
    assert.deepEqual(transcriptHash(hash, [CH1, SH]), new Uint8Array(plain));
  }
  const s = deriveHandshakeSecrets(0x1302, new Uint8Array(32), [CH1, HRR, CH2, SH]);
  assert.deepEqual(s.transcriptHash, transcriptHash('sha384', [CH1, HRR, CH2, SH]));
  assert.equal(s.serverHandshakeTrafficSecret.length, 48);
});

test('deriveHandshakeSecrets checks the shape of the hello messages', () => {
  const secret = new Uint8Array(32);
  assert.throws(() => deriveHandshakeSecrets(0x1301, secret, [CH1]), TypeError);
  assert.throws(() => deriveHandshakeSecrets(0x1301, secret, [CH1, HRR, SH]), TypeError);
  assert.throws(
    () => deriveHandshakeSecrets(0x1301, secret, [CH1, HRR]),
    /a HelloRetryRequest where the ServerHello belongs/,
  );
  assert.throws(() => deriveHandshakeSecrets(0x1301, secret, [CH1, SH, CH2, SH]), DecodeError);
  assert.throws(() => deriveHandshakeSecrets(0x1301, secret, [CH1, HRR, CH2, HRR]), DecodeError);
  assert.throws(() => deriveHandshakeSecrets(0x1301, secret, [SH, CH1]), DecodeError);
  // A header whose length disagrees with the message is a decode error.
  const truncated = SH.subarray(0, SH.length - 1);
  assert.throws(() => deriveHandshakeSecrets(0x1301, secret, [CH1, truncated]), {
    code: 'WT_ERR_WIRE_DECODE',
  });
  assert.throws(() => deriveHandshakeSecrets(0x9999, secret, [CH1, SH]), RangeError);
});
