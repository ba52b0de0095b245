import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import test from 'node:test';
import fc from 'fast-check';
import { concatBytes } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { aeadSeal } from './aead.ts';
import { trafficKeys } from './key-schedule.ts';
import {
  HandshakeDecryptor,
  MAX_CIPHERTEXT_LENGTH,
  parseInnerPlaintext,
} from './record-protection.ts';
import { TLS13_SUITES } from './suites.ts';

const SUITE_IDS = Object.keys(TLS13_SUITES).map(Number);

/** The sending side, written from RFC 8446 §5.2–5.3 for the tests. */
function sealer(suite: number, secret: Uint8Array) {
  const { key, iv } = trafficKeys(suite, secret);
  let sequence = 0n;
  return (inner: Uint8Array, tweak?: (header: Uint8Array) => void) => {
    const nonce = iv.slice();
    for (let i = 0; i < 8; i++) nonce[11 - i]! ^= Number((sequence >> BigInt(8 * i)) & 0xffn);
    sequence++;
    const length = inner.length + TLS13_SUITES[suite as keyof typeof TLS13_SUITES].tagLength;
    const header = Uint8Array.of(23, 3, 3, length >>> 8, length & 0xff);
    tweak?.(header);
    const fragment = aeadSeal(suite, key, nonce, header, inner);
    return { type: 23, version: 0x0303, fragment };
  };
}

function secretFor(suite: number): Uint8Array {
  return randomBytes(TLS13_SUITES[suite as keyof typeof TLS13_SUITES].hashLength);
}

test('property: every suite opens what it sealed, record after record, padding stripped', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...SUITE_IDS),
      fc.array(
        fc.record({
          content: fc.uint8Array({ maxLength: 300 }),
          type: fc.integer({ min: 1, max: 255 }),
          padding: fc.integer({ min: 0, max: 64 }),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      (suite, records) => {
        const secret = secretFor(suite);
        const seal = sealer(suite, secret);
        const decryptor = new HandshakeDecryptor(suite, secret);
        records.forEach((r, i) => {
          const inner = concatBytes([r.content, Uint8Array.of(r.type), new Uint8Array(r.padding)]);
          const opened = decryptor.open(seal(inner));
          assert.equal(opened.contentType, r.type);
          assert.deepEqual(opened.content, r.content);
          assert.equal(decryptor.sequence, BigInt(i + 1));
        });
      },
    ),
    { numRuns: 100 },
  );
});

test('a sequence number past 255 changes the upper nonce bytes correctly', () => {
  const secret = secretFor(0x1303);
  const seal = sealer(0x1303, secret);
  const decryptor = new HandshakeDecryptor(0x1303, secret);
  for (let i = 0; i < 300; i++) {
    assert.equal(decryptor.open(seal(Uint8Array.of(i & 0xff, 22))).contentType, 22);
  }
});

test('a record longer than 2^14+256 bytes is WT_ERR_WIRE_TOO_LARGE', () => {
  const decryptor = new HandshakeDecryptor(0x1301, secretFor(0x1301));
  const record = {
    type: 23,
    version: 0x0303,
    fragment: new Uint8Array(MAX_CIPHERTEXT_LENGTH + 1),
  };
  assert.throws(() => decryptor.open(record), { code: 'WT_ERR_WIRE_TOO_LARGE' });
  // At the limit it is tried, and fails authentication.
  assert.throws(
    () => decryptor.open({ ...record, fragment: new Uint8Array(MAX_CIPHERTEXT_LENGTH) }),
    { code: 'WT_ERR_WIRE_DECRYPT' },
  );
});

test('inner plaintext above 2^14 bytes of content is WT_ERR_WIRE_TOO_LARGE', () => {
  const secret = secretFor(0x1301);
  const inner = concatBytes([new Uint8Array(2 ** 14 + 1), Uint8Array.of(23)]);
  assert.throws(() => new HandshakeDecryptor(0x1301, secret).open(sealer(0x1301, secret)(inner)), {
    code: 'WT_ERR_WIRE_TOO_LARGE',
  });
});

test('an inner plaintext that is all padding is a DecodeError', () => {
  for (const suite of SUITE_IDS) {
    const secret = secretFor(suite);
    const seal = sealer(suite, secret);
    const decryptor = new HandshakeDecryptor(suite, secret);
    assert.throws(() => decryptor.open(seal(new Uint8Array(10))), DecodeError);
    assert.throws(() => decryptor.open(seal(new Uint8Array(0))), DecodeError);
  }
  assert.throws(() => parseInnerPlaintext(new Uint8Array(0)), { code: 'WT_ERR_WIRE_DECODE' });
});

test('tampering, the wrong secret, the wrong header, or a short fragment: WT_ERR_WIRE_DECRYPT', () => {
  for (const suite of SUITE_IDS) {
    const secret = secretFor(suite);
    const inner = Uint8Array.of(1, 2, 3, 22);
    const record = sealer(suite, secret)(inner);
    const flipped = record.fragment.slice();
    flipped[1]! ^= 0x80;
    const expectDecrypt = { code: 'WT_ERR_WIRE_DECRYPT' };
    assert.throws(
      () => new HandshakeDecryptor(suite, secret).open({ ...record, fragment: flipped }),
      expectDecrypt,
    );
    assert.throws(
      () => new HandshakeDecryptor(suite, secretFor(suite)).open(record),
      expectDecrypt,
    );
    assert.throws(
      () => new HandshakeDecryptor(suite, secret).open({ ...record, version: 0x0304 }),
      expectDecrypt,
    );
    for (const n of [0, 1, 7]) {
      assert.throws(
        () =>
          new HandshakeDecryptor(suite, secret).open({ ...record, fragment: new Uint8Array(n) }),
        expectDecrypt,
      );
    }
  }
});

test('a record that is not application_data is a DecodeError; bad arguments are RangeErrors', () => {
  const decryptor = new HandshakeDecryptor(0x1301, secretFor(0x1301));
  assert.throws(
    () => decryptor.open({ type: 22, version: 0x0303, fragment: new Uint8Array(40) }),
    DecodeError,
  );
  assert.throws(() => new HandshakeDecryptor(0x1301, new Uint8Array(48)), RangeError);
  assert.throws(() => new HandshakeDecryptor(0x00ff, new Uint8Array(32)), RangeError);
});

test('property: random fragments only ever fail with a WiretightError', () => {
  const decryptor = new HandshakeDecryptor(0x1305, secretFor(0x1305));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (fragment) => {
      try {
        decryptor.open({ type: 23, version: 0x0303, fragment });
        assert.fail('random bytes authenticated');
      } catch (error) {
        assert.ok(error instanceof WiretightError, String(error));
      }
    }),
  );
});
