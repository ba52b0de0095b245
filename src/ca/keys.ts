// Key pairs the CA makes, and what a subject's public key is (for the policy and the
// store). One table per concern: how to generate each KeyAlgorithm, and how to name a key
// that arrives in a request.
import { type KeyObject, generateKeyPair as generateNodeKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { bitStringBytes, derElement, derSequence } from '../pki/der.ts';
import { bitString, derNull, oid, sequence, unsignedInteger } from './der-writer.ts';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './types.ts';

const generate = promisify(generateNodeKeyPair);

export interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/** generateKeyPair's arguments for each algorithm the CA can make. */
const GENERATION = {
  'ecdsa-p256': { type: 'ec', options: { namedCurve: 'P-256' } },
  'ecdsa-p384': { type: 'ec', options: { namedCurve: 'P-384' } },
  ed25519: { type: 'ed25519', options: {} },
  'rsa-2048': { type: 'rsa', options: { modulusLength: 2048 } },
  'rsa-3072': { type: 'rsa', options: { modulusLength: 3072 } },
  'rsa-4096': { type: 'rsa', options: { modulusLength: 4096 } },
} as const satisfies Record<KeyAlgorithm, { type: string; options: object }>;

/** A fresh key pair (off the main thread: RSA-4096 takes seconds). */
export async function generateKeyPair(algorithm: KeyAlgorithm): Promise<KeyPair> {
  if (!isKeyAlgorithm(algorithm)) {
    throw new RangeError(`unknown key algorithm "${String(algorithm)}"`);
  }
  const { type, options } = GENERATION[algorithm];
  // The overloads of generateKeyPair are keyed by literal type; the table holds each pair.
  return (await (generate as (t: string, o: object) => Promise<KeyPair>)(type, options)) as KeyPair;
}

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return typeof value === 'string' && (KEY_ALGORITHMS as readonly string[]).includes(value);
}

/** Key families the policy can allow; RSA sizes are judged by `minRsaBits` separately. */
export const KEY_TYPES = ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519', 'rsa'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** What a public key is, in the CA's words. */
export interface PublicKeyDescription {
  /** The policy family, or null for a key the CA never accepts (DSA, RSA-PSS, Ed448…). */
  readonly type: KeyType | null;
  /** Modulus bits for RSA, curve bits for EC. */
  readonly bits: number;
  /** For the store and messages: `ecdsa-p256`, `rsa-3072`, `ed25519`, or Node's type name. */
  readonly name: string;
}

const CURVES: Readonly<Record<string, { type: KeyType; bits: number }>> = {
  prime256v1: { type: 'ecdsa-p256', bits: 256 },
  secp384r1: { type: 'ecdsa-p384', bits: 384 },
  secp521r1: { type: 'ecdsa-p521', bits: 521 },
};

export function describePublicKey(key: KeyObject): PublicKeyDescription {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'ec') {
    const curve = CURVES[details.namedCurve ?? ''];
    if (curve !== undefined) return { ...curve, name: curve.type };
    return { type: null, bits: 0, name: `ec-${details.namedCurve ?? 'unknown'}` };
  }
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    // Small or unusual exponents are how broken RSA keys look; everyone uses 65537.
    if (details.publicExponent !== 65537n) {
      return { type: null, bits, name: `rsa-${bits} (exponent ${String(details.publicExponent)})` };
    }
    return { type: 'rsa', bits, name: `rsa-${bits}` };
  }
  if (type === 'ed25519') return { type: 'ed25519', bits: 256, name: 'ed25519' };
  return { type: null, bits: 0, name: type ?? 'unknown' };
}

/** A public key's SubjectPublicKeyInfo (whole DER) and its key bits (what key ids hash). */
export interface EncodedPublicKey {
  readonly spki: Uint8Array;
  readonly keyBits: Uint8Array;
}

/**
 * SPKI headers up to the key bits, for keys whose SPKI is a fixed prefix plus the point.
 * KeyObject.export({ type: 'spki' }) runs OpenSSL's encoder at ~100-150 µs a key, a third of
 * a leaf's budget; the JWK export and these prefixes take ~25 µs (the tests compare both).
 */
const SPKI_PREFIX: Readonly<Record<string, Uint8Array>> = {
  'P-256': Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
  'P-384': Buffer.from('3076301006072a8648ce3d020106052b81040022036200', 'hex'),
  'P-521': Buffer.from('30819b301006072a8648ce3d020106052b8104002303818600', 'hex'),
  Ed25519: Buffer.from('302a300506032b6570032100', 'hex'),
};

const RSA_ALGORITHM = sequence(oid('1.2.840.113549.1.1.1'), derNull());

const b64u = (text: string | undefined): Buffer => Buffer.from(text ?? '', 'base64url');

function keyBitsOf(spki: Uint8Array): Uint8Array {
  const [, bits] = derSequence(derElement(spki, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  return bitStringBytes(bits, 'subjectPublicKey');
}

export function encodePublicKey(key: KeyObject): EncodedPublicKey {
  if (key.type !== 'public') throw new TypeError('encodePublicKey needs a public key');
  const type = key.asymmetricKeyType;
  if (type === 'ec' || type === 'ed25519' || type === 'rsa') {
    const jwk = key.export({ format: 'jwk' });
    if (type === 'rsa') {
      const keyBits = sequence(unsignedInteger(b64u(jwk.n)), unsignedInteger(b64u(jwk.e)));
      return { spki: sequence(RSA_ALGORITHM, bitString(keyBits)), keyBits };
    }
    const prefix = SPKI_PREFIX[jwk.crv ?? ''];
    if (prefix !== undefined) {
      const keyBits =
        type === 'ec' ? Buffer.concat([Uint8Array.of(4), b64u(jwk.x), b64u(jwk.y)]) : b64u(jwk.x);
      const spki = new Uint8Array(Buffer.concat([prefix, keyBits]));
      return { spki, keyBits: spki.subarray(prefix.length) };
    }
  }
  const spki = new Uint8Array(key.export({ type: 'spki', format: 'der' }));
  return { spki, keyBits: keyBitsOf(spki) };
}
