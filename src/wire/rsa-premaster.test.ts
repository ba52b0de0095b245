import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt } from 'node:crypto';
import test from 'node:test';
import fc from 'fast-check';
import {
  MIN_MODULUS_BYTES,
  PREMASTER_RANDOM_LENGTH,
  PREMASTER_VARIANTS,
  classifyPremasterBlock,
  premasterBlock,
} from './rsa-premaster.ts';

const RANDOM = new Uint8Array(PREMASTER_RANDOM_LENGTH).map((_, i) => i + 1);

/** A modulus of `bytes` bytes whose first byte is `top` (the rest does not matter here). */
function modulus(bytes: number, top = 0xc1): Uint8Array {
  const n = new Uint8Array(bytes).fill(0x5a);
  n[0] = top;
  return n;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

test('the valid block is 00 02, nonzero padding, 00, the client version, the random', () => {
  const block = premasterBlock('valid', modulus(128), 0x0303, RANDOM);
  assert.equal(block.length, 128);
  assert.deepEqual([...block.subarray(0, 2)], [0x00, 0x02]);
  assert.ok(!block.subarray(2, 128 - 49).includes(0));
  assert.deepEqual([...block.subarray(128 - 49, 128 - 46)], [0x00, 0x03, 0x03]);
  assert.deepEqual(block.subarray(128 - 46), RANDOM);
});

test('property: every variant classifies as itself, fits the modulus and stays below it', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...PREMASTER_VARIANTS),
      fc.integer({ min: MIN_MODULUS_BYTES, max: 512 }),
      fc.integer({ min: 1, max: 255 }),
      fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303),
      fc.uint8Array({ minLength: 46, maxLength: 46 }).map((r) => r.map((b) => b || 1)),
      (variant, bytes, top, version, random) => {
        const n = modulus(bytes, top);
        const block = premasterBlock(variant, n, version, random);
        assert.equal(block.length, bytes);
        assert.ok(compare(block, n) < 0, 'block must be below the modulus');
        assert.equal(classifyPremasterBlock(block, version), variant);
      },
    ),
  );
});

test('leading zero bytes of a modulus are not counted', () => {
  const n = new Uint8Array([0, 0, ...modulus(64)]);
  assert.equal(premasterBlock('valid', n, 0x0303, RANDOM).length, 64);
});

test('the wrong first bytes are 41 17, or 00 17 under a modulus that starts lower', () => {
  assert.deepEqual(
    [...premasterBlock('wrong-first-bytes', modulus(64), 0x0303, RANDOM).subarray(0, 2)],
    [0x41, 0x17],
  );
  assert.deepEqual(
    [...premasterBlock('wrong-first-bytes', modulus(64, 0x41), 0x0303, RANDOM).subarray(0, 2)],
    [0x00, 0x17],
  );
});

test('a padding string shorter than eight bytes is a misplaced zero', () => {
  const block = premasterBlock('valid', modulus(64), 0x0303, RANDOM);
  block[5] = 0;
  assert.equal(classifyPremasterBlock(block, 0x0303), 'zero-wrong-position');
});

test('arguments that cannot make a block are RangeErrors', () => {
  assert.throws(
    () => premasterBlock('valid', modulus(MIN_MODULUS_BYTES - 1), 0x0303, RANDOM),
    RangeError,
  );
  assert.throws(() => premasterBlock('valid', modulus(64), 0x0303, new Uint8Array(46)), RangeError);
  assert.throws(() => premasterBlock('valid', modulus(64), 0x0303, RANDOM.subarray(1)), RangeError);
  assert.throws(() => premasterBlock('valid', modulus(64), 0x0202, RANDOM), RangeError);
});

test('raw RSA round trip: what the server decrypts classifies as what was sent', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const jwk = publicKey.export({ format: 'jwk' });
  const n = new Uint8Array(Buffer.from(jwk.n ?? '', 'base64url'));
  for (const variant of PREMASTER_VARIANTS) {
    const block = premasterBlock(variant, n, 0x0301, RANDOM);
    const encrypted = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);
    const decrypted = privateDecrypt(
      { key: privateKey, padding: constants.RSA_NO_PADDING },
      encrypted,
    );
    assert.equal(classifyPremasterBlock(new Uint8Array(decrypted), 0x0301), variant);
  }
});
