// Assembles and signs a certificate from pieces that are already DER: the issuer's Name
// and the fixed extensions are encoded once per issuer, so a leaf costs one concatenation,
// one signature and the few bytes that are its own (serial, dates, subject, key, SAN).
import { type KeyObject, X509Certificate, createPublicKey } from 'node:crypto';
import { bytesEqual } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { certificateParts } from '../pki/certificate-parts.ts';
import {
  type ExtensionDer,
  explicit,
  extension,
  integer,
  sequence,
  time,
  unsignedInteger,
} from './der-writer.ts';
import { encodePublicKey } from './keys.ts';
import { type Signer, createSigner, keyIdentifier, signed } from './signer.ts';

/** How far notBefore is set back, so a peer whose clock is a little behind accepts a new certificate. */
export const CLOCK_SKEW_SECONDS = 60;

export interface CertificateFields {
  readonly serial: Uint8Array;
  /** The issuer's subject Name, whole DER. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo, whole DER. */
  readonly spki: Uint8Array;
  /** Each a whole Extension (see `extension()`), in the order they are written. */
  readonly extensions: readonly Uint8Array[];
}

const V3 = explicit(0, integer(2));

/** A signed X.509 v3 certificate, DER. */
export function buildCertificate(signer: Signer, fields: CertificateFields): Uint8Array {
  const tbs = sequence(
    V3,
    unsignedInteger(fields.serial),
    signer.algorithm,
    fields.issuer,
    sequence(time(fields.notBefore), time(fields.notAfter)),
    fields.subject,
    fields.spki,
    explicit(3, sequence(...fields.extensions)),
  );
  return signed(signer, tbs);
}

export const encodeExtensions = (list: readonly (ExtensionDer | undefined)[]): Uint8Array[] =>
  list.filter((e): e is ExtensionDer => e !== undefined).map(extension);

/** Whole seconds: X.509 times have no fractions, and the store should agree with the DER. */
export const wholeSeconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

/** notBefore (set back by the skew margin) and notAfter for a certificate issued at `now`. */
export function validityFrom(
  now: Date,
  lifetimeSeconds: number,
): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: wholeSeconds(now.getTime() - CLOCK_SKEW_SECONDS * 1000),
    notAfter: wholeSeconds(now.getTime() + lifetimeSeconds * 1000),
  };
}

/** A CA certificate with its private key, ready to sign: what every issuance needs, cached. */
export interface Issuer {
  readonly der: Uint8Array;
  /** The certificate's subject Name: the issuer Name of everything it signs. */
  readonly name: Uint8Array;
  /** Its subject key identifier: the authority key identifier of everything it signs. */
  readonly keyId: Uint8Array;
  /** Its subjectPublicKey bits (OCSP CertIDs hash them). */
  readonly keyBits: Uint8Array;
  readonly notAfter: Date;
  readonly signer: Signer;
}

/**
 * Pairs a CA certificate with its private key. WT_ERR_CA_DIR when the key is not the
 * certificate's (`what` names the files in the message).
 */
export function createIssuer(der: Uint8Array, privateKey: KeyObject, what: string): Issuer {
  const parts = certificateParts(der);
  const ours = encodePublicKey(createPublicKey(privateKey));
  if (!bytesEqual(ours.spki, parts.spki)) {
    throw new WiretightError(
      'WT_ERR_CA_DIR',
      `${what}: the private key does not belong to the certificate`,
    );
  }
  return {
    der,
    name: parts.subject,
    keyId: keyIdentifier(parts.publicKey),
    keyBits: parts.publicKey,
    notAfter: new X509Certificate(der).validToDate,
    signer: createSigner(privateKey),
  };
}
