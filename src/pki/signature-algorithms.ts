import { type KeyObject, constants, verify } from 'node:crypto';
import {
  TAG,
  type Tlv,
  contextTag,
  decodeOid,
  decodeSmallInteger,
  derChildren,
  derElement,
  derSequence,
  expectTag,
} from './der.ts';

/** Digests by OID, named as node:crypto names them. */
const HASHES: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.2': 'md2',
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** The node:crypto name of a digest OID (`sha1`, `sha256`…), if known. */
export function digestForOid(oid: string): string | undefined {
  return HASHES[oid];
}

/** Digests that no longer resist collisions: a signature over them can be forged. */
export const WEAK_HASHES: readonly string[] = ['md2', 'md4', 'md5', 'sha1'];

const RSASSA_PSS = '1.2.840.113549.1.1.10';

/**
 * Signature algorithms by OID. `hash: null` marks algorithms whose digest is intrinsic
 * (EdDSA) or, for RSASSA-PSS, read from the parameters.
 */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, { name: string; hash: string | null }>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'md4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  [RSASSA_PSS]: { name: 'rsassaPss', hash: null },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-SHA224', hash: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', hash: 'sha256' },
  '1.3.101.112': { name: 'Ed25519', hash: null },
  '1.3.101.113': { name: 'Ed448', hash: null },
};

/** What a signature AlgorithmIdentifier says. */
export interface SignatureAlgorithm {
  readonly oid: string;
  /** Conventional name, or the OID when unknown. */
  readonly name: string;
  /** The digest signed over (`sha256`, `sha1`…); null for EdDSA and unknown algorithms. */
  readonly hash: string | null;
  /** RSASSA-PSS salt length, when the algorithm is PSS. */
  readonly pssSaltLength?: number;
  readonly known: boolean;
}

/** RSASSA-PSS-params: [0] hashAlgorithm DEFAULT sha1, …, [2] saltLength DEFAULT 20. */
function pssParameters(params: Tlv | undefined): { hash: string | null; saltLength: number } {
  let hash: string | null = 'sha1';
  let saltLength = 20;
  if (params === undefined || params.tag === TAG.NULL) return { hash, saltLength };
  for (const field of derSequence(params, 'RSASSA-PSS-params')) {
    const inner = derChildren(field.body, 'RSASSA-PSS-params field')[0];
    if (field.tag === contextTag(0)) {
      const oid = decodeOid(
        expectTag(derSequence(inner, 'hashAlgorithm')[0], TAG.OID, 'hash').body,
      );
      hash = HASHES[oid] ?? null;
    } else if (field.tag === contextTag(2)) {
      saltLength = decodeSmallInteger(
        expectTag(inner, TAG.INTEGER, 'saltLength').body,
        'saltLength',
      );
    }
  }
  return { hash, saltLength };
}

/** Reads a signature AlgorithmIdentifier (whole DER). */
export function describeSignatureAlgorithm(algorithmIdentifier: Uint8Array): SignatureAlgorithm {
  const [oidTlv, params] = derSequence(
    derElement(algorithmIdentifier, 'AlgorithmIdentifier'),
    'AlgorithmIdentifier',
  );
  const oid = decodeOid(expectTag(oidTlv, TAG.OID, 'algorithm').body);
  const entry = SIGNATURE_ALGORITHMS[oid];
  if (entry === undefined) return { oid, name: oid, hash: null, known: false };
  if (oid !== RSASSA_PSS) return { oid, name: entry.name, hash: entry.hash, known: true };
  const pss = pssParameters(params);
  return { oid, name: entry.name, hash: pss.hash, pssSaltLength: pss.saltLength, known: true };
}

export function isWeakHash(hash: string | null): boolean {
  return hash !== null && WEAK_HASHES.includes(hash);
}

/**
 * Checks a signature made with `algorithm` over `data` (an OCSP response's or a CRL's
 * signed part). `invalid` covers a key of the wrong type too; `unsupported` is an
 * algorithm wiretight does not know, which the caller reports rather than trusts.
 */
export function verifySignature(
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
): 'valid' | 'invalid' | 'unsupported' {
  const eddsa = algorithm.oid === '1.3.101.112' || algorithm.oid === '1.3.101.113';
  if (!algorithm.known || (algorithm.hash === null && !eddsa)) return 'unsupported';
  const pss =
    algorithm.pssSaltLength === undefined
      ? {}
      : { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.pssSaltLength };
  try {
    return verify(eddsa ? null : algorithm.hash, data, { key, ...pss }, signature)
      ? 'valid'
      : 'invalid';
  } catch {
    // a key that cannot make this kind of signature (an EC key for an RSA signature)
    return 'invalid';
  }
}
