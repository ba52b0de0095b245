import { createCipheriv, createDecipheriv } from 'node:crypto';
import type {
  CipherCCM,
  CipherChaCha20Poly1305,
  CipherGCM,
  DecipherCCM,
  DecipherChaCha20Poly1305,
  DecipherGCM,
} from 'node:crypto';
import { WiretightError } from '../../errors.ts';
import { TLS13_IV_LENGTH, tls13Suite } from './suites.ts';
import type { Tls13Suite } from './suites.ts';

/**
 * One AEAD seal/open for a TLS 1.3 suite through node:crypto (GCM, CCM, CCM_8, ChaCha20-Poly1305).
 * `open` throws WT_ERR_WIRE_DECRYPT on any authentication failure and never returns
 * unauthenticated plaintext.
 */

// One branch per cipher family: node's typings have an overload for each, not for the union.
function cipherFor(
  suite: Tls13Suite,
  key: Uint8Array,
  nonce: Uint8Array,
): CipherGCM | CipherCCM | CipherChaCha20Poly1305 {
  const options = { authTagLength: suite.tagLength };
  const name = suite.cipher;
  if (name === 'aes-128-ccm') return createCipheriv(name, key, nonce, options);
  if (name === 'chacha20-poly1305') return createCipheriv(name, key, nonce, options);
  return createCipheriv(name, key, nonce, options);
}

function decipherFor(
  suite: Tls13Suite,
  key: Uint8Array,
  nonce: Uint8Array,
): DecipherGCM | DecipherCCM | DecipherChaCha20Poly1305 {
  const options = { authTagLength: suite.tagLength };
  const name = suite.cipher;
  if (name === 'aes-128-ccm') return createDecipheriv(name, key, nonce, options);
  if (name === 'chacha20-poly1305') return createDecipheriv(name, key, nonce, options);
  return createDecipheriv(name, key, nonce, options);
}

function checkInputs(suite: Tls13Suite, key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== suite.keyLength) {
    throw new RangeError(`${suite.name} needs a ${suite.keyLength}-byte key, got ${key.length}`);
  }
  if (nonce.length !== TLS13_IV_LENGTH) {
    throw new RangeError(`the nonce must be ${TLS13_IV_LENGTH} bytes, got ${nonce.length}`);
  }
}

/** Encrypts and returns ciphertext || tag. */
export function aeadSeal(
  suiteId: number,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const suite = tls13Suite(suiteId);
  checkInputs(suite, key, nonce);
  const cipher = cipherFor(suite, key, nonce);
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const tag = cipher.getAuthTag();
  const out = new Uint8Array(head.length + tail.length + tag.length);
  out.set(head, 0);
  out.set(tail, head.length);
  out.set(tag, head.length + tail.length);
  return out;
}

/** Authenticates and decrypts ciphertext || tag. */
export function aeadOpen(
  suiteId: number,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array {
  const suite = tls13Suite(suiteId);
  checkInputs(suite, key, nonce);
  if (sealed.length < suite.tagLength) {
    throw new WiretightError(
      'WT_ERR_WIRE_DECRYPT',
      `${suite.name} ciphertext of ${sealed.length} byte(s) is shorter than its ${suite.tagLength}-byte tag`,
    );
  }
  const body = sealed.subarray(0, sealed.length - suite.tagLength);
  const tag = sealed.subarray(sealed.length - suite.tagLength);
  try {
    const decipher = decipherFor(suite, key, nonce);
    decipher.setAuthTag(tag);
    decipher.setAAD(aad, { plaintextLength: body.length });
    const head = decipher.update(body);
    const tail = decipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  } catch (cause) {
    throw new WiretightError(
      'WT_ERR_WIRE_DECRYPT',
      `${suite.name} record failed authentication (wrong keys or tampered bytes)`,
      { cause },
    );
  }
}
