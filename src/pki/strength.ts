import type { CertificateFacts } from './certificate-facts.ts';
import { type SignatureAlgorithm, isWeakHash } from './signature-algorithms.ts';

/** A certificate's public key and whether it is too small to trust. */
export interface KeyStrength {
  readonly type: string;
  readonly bits: number | null;
  readonly curve?: string;
  /** RSA or DSA under 2048 bits, or an elliptic curve under 256 bits. */
  readonly weak: boolean;
}

/** The signature on a certificate and whether its digest is broken. */
export interface SignatureStrength {
  readonly algorithm: string;
  /** The digest signed over; null for EdDSA and unknown algorithms. */
  readonly hash: string | null;
  /** MD2, MD4, MD5 or SHA-1: collisions make forged certificates possible. */
  readonly weak: boolean;
}

/** Smallest sizes still accepted, per key type as OpenSSL names them (NIST SP 800-131A). */
const MIN_BITS: Readonly<Record<string, number>> = {
  rsa: 2048,
  'rsa-pss': 2048,
  dsa: 2048,
  dh: 2048,
  ec: 256,
};

export function judgeKey(key: CertificateFacts['publicKey']): KeyStrength {
  const min = MIN_BITS[key.type];
  const weak = min !== undefined && key.bits !== null && key.bits < min;
  return { ...key, weak };
}

export function judgeSignature(algorithm: SignatureAlgorithm): SignatureStrength {
  return { algorithm: algorithm.name, hash: algorithm.hash, weak: isWeakHash(algorithm.hash) };
}
