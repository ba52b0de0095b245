// How an issuer key signs: the AlgorithmIdentifier that goes into what it signs, and the
// node:crypto call. One row per key kind; ECDSA picks its digest by curve size (RFC 5758).
import { type KeyObject, createHash, sign } from 'node:crypto';
import { bitString, derNull, oid, sequence } from './der-writer.ts';

/** A private key ready to sign TBS structures, with its encoded algorithm. */
export interface Signer {
  readonly privateKey: KeyObject;
  /** The signature AlgorithmIdentifier, whole DER (goes in the TBS and after it). */
  readonly algorithm: Uint8Array;
  /** The algorithm's name, for logs and docs. */
  readonly algorithmName: string;
  sign(tbs: Uint8Array): Uint8Array;
}

interface Scheme {
  readonly name: string;
  readonly oid: string;
  /** node:crypto digest; null where the algorithm hashes itself (EdDSA). */
  readonly hash: string | null;
  /** RSA's AlgorithmIdentifiers carry NULL parameters; ECDSA and EdDSA carry none. */
  readonly nullParameters: boolean;
}

const SCHEMES = {
  'ec:prime256v1': {
    name: 'ecdsa-with-SHA256',
    oid: '1.2.840.10045.4.3.2',
    hash: 'sha256',
    nullParameters: false,
  },
  'ec:secp384r1': {
    name: 'ecdsa-with-SHA384',
    oid: '1.2.840.10045.4.3.3',
    hash: 'sha384',
    nullParameters: false,
  },
  ed25519: { name: 'Ed25519', oid: '1.3.101.112', hash: null, nullParameters: false },
  rsa: {
    name: 'sha256WithRSAEncryption',
    oid: '1.2.840.113549.1.1.11',
    hash: 'sha256',
    nullParameters: true,
  },
} as const satisfies Record<string, Scheme>;

function schemeFor(key: KeyObject): Scheme {
  const type = key.asymmetricKeyType;
  const row =
    type === 'ec'
      ? (SCHEMES as Record<string, Scheme>)[`ec:${key.asymmetricKeyDetails?.namedCurve ?? ''}`]
      : (SCHEMES as Record<string, Scheme>)[type ?? ''];
  if (row === undefined) {
    throw new RangeError(
      `an issuer key must be ECDSA P-256/P-384, Ed25519 or RSA, not ${type ?? 'unknown'}`,
    );
  }
  return row;
}

export function createSigner(privateKey: KeyObject): Signer {
  if (privateKey.type !== 'private') throw new TypeError('createSigner needs a private key');
  const scheme = schemeFor(privateKey);
  const algorithm = scheme.nullParameters
    ? sequence(oid(scheme.oid), derNull())
    : sequence(oid(scheme.oid));
  return {
    privateKey,
    algorithm,
    algorithmName: scheme.name,
    // node:crypto's default dsaEncoding is 'der', the ECDSA-Sig-Value X.509 wants.
    sign: (tbs) => new Uint8Array(sign(scheme.hash, tbs, privateKey)),
  };
}

/** TBS, algorithm, signature: the frame of a Certificate and a CertificateList alike. */
export function signed(signer: Signer, tbs: Uint8Array): Uint8Array {
  return sequence(tbs, signer.algorithm, bitString(signer.sign(tbs)));
}

/**
 * RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. The SPKI's last element
 * is that BIT STRING; its contents after the unused-bits byte are the key bits.
 */
export function keyIdentifier(subjectPublicKeyBits: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(subjectPublicKeyBits).digest());
}
