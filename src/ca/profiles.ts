// What each kind of certificate the CA makes contains: the root, the intermediate, the
// delegated OCSP responder and the leaves. The leaf profile caches every extension that
// does not depend on the request, per issuer.
import { extension } from './der-writer.ts';
import {
  KP_OCSP_SIGNING,
  type PermittedNames,
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  crlDistributionPoints,
  extendedKeyUsage,
  keyUsage,
  leafExtendedKeyUsage,
  nameConstraints,
  ocspNoCheck,
  subjectAltName,
  subjectKeyIdentifier,
} from './extensions.ts';
import {
  type Issuer,
  buildCertificate,
  encodeExtensions,
  validityFrom,
} from './certificate-builder.ts';
import type { EncodedPublicKey } from './keys.ts';
import { MAX_NAME_ATTRIBUTE, encodeName } from './names.ts';
import { keyIdentifier } from './signer.ts';
import type { Signer } from './signer.ts';
import { CERTIFICATE_USAGES, type CertificateUsage, type Identifier } from './types.ts';

/** CN suffixes of the CA's own certificates; the CA name leaves room for the longest. */
const CN_SUFFIX = { root: ' Root', intermediate: ' Intermediate', responder: ' OCSP' } as const;
export const MAX_CA_NAME = MAX_NAME_ATTRIBUTE - CN_SUFFIX.intermediate.length;

const caSubject = (name: string, kind: keyof typeof CN_SUFFIX): Uint8Array =>
  encodeName({ organization: name, commonName: `${name}${CN_SUFFIX[kind]}` });

/** The fields every certificate the CA signs shares. */
export interface Issuance {
  readonly serial: Uint8Array;
  readonly now: Date;
  readonly lifetimeSeconds: number;
  readonly subjectKey: EncodedPublicKey;
}

export interface Built {
  readonly der: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function build(
  signer: Signer,
  issuerName: Uint8Array,
  subject: Uint8Array,
  issuance: Issuance,
  extensions: readonly Uint8Array[],
): Built {
  const { notBefore, notAfter } = validityFrom(issuance.now, issuance.lifetimeSeconds);
  const der = buildCertificate(signer, {
    serial: issuance.serial,
    issuer: issuerName,
    subject,
    notBefore,
    notAfter,
    spki: issuance.subjectKey.spki,
    extensions,
  });
  return { der, notBefore, notAfter };
}

/** The trust anchor: self-signed, CA, may sign certificates and CRLs. */
export function rootCertificate(signer: Signer, caName: string, issuance: Issuance): Built {
  const name = caSubject(caName, 'root');
  return build(
    signer,
    name,
    name,
    issuance,
    encodeExtensions([
      basicConstraints(true),
      keyUsage('keyCertSign', 'cRLSign'),
      subjectKeyIdentifier(keyIdentifier(issuance.subjectKey.keyBits)),
    ]),
  );
}

/** The online issuing CA: no CA below it (pathLen 0), name constraints when given. */
export function intermediateCertificate(
  root: Issuer,
  caName: string,
  issuance: Issuance,
  permitted: PermittedNames,
): Built {
  return build(
    root.signer,
    root.name,
    caSubject(caName, 'intermediate'),
    issuance,
    encodeExtensions([
      basicConstraints(true, 0),
      keyUsage('keyCertSign', 'cRLSign'),
      subjectKeyIdentifier(keyIdentifier(issuance.subjectKey.keyBits)),
      authorityKeyIdentifier(root.keyId),
      nameConstraints(permitted),
    ]),
  );
}

/** The delegated OCSP responder (RFC 6960 §4.2.2.2), exempt from its own status checks. */
export function responderCertificate(
  intermediate: Issuer,
  caName: string,
  issuance: Issuance,
): Built {
  return build(
    intermediate.signer,
    intermediate.name,
    caSubject(caName, 'responder'),
    issuance,
    encodeExtensions([
      basicConstraints(false),
      keyUsage('digitalSignature'),
      extendedKeyUsage([KP_OCSP_SIGNING]),
      ocspNoCheck(),
      subjectKeyIdentifier(keyIdentifier(issuance.subjectKey.keyBits)),
      authorityKeyIdentifier(intermediate.keyId),
    ]),
  );
}

export interface LeafRequest extends Issuance {
  readonly identifiers: readonly Identifier[];
  /** Omitted: an empty subject, and the SAN is critical. */
  readonly commonName?: string;
  readonly usage: CertificateUsage;
  /** RSA keys also get keyEncipherment (TLS 1.2 RSA key exchange). */
  readonly rsa: boolean;
}

export interface LeafUrls {
  readonly ocsp?: string;
  readonly crl?: string;
}

/** Leaves of one issuer, with the extensions that never change encoded once. */
export class LeafProfile {
  readonly #issuer: Issuer;
  readonly #fixed: readonly Uint8Array[];
  readonly #notCa = extension(basicConstraints(false));
  readonly #keyUsage: { readonly rsa: Uint8Array; readonly other: Uint8Array };
  readonly #extendedKeyUsage: ReadonlyMap<CertificateUsage, Uint8Array>;

  constructor(issuer: Issuer, urls: LeafUrls) {
    this.#issuer = issuer;
    this.#keyUsage = {
      rsa: extension(keyUsage('digitalSignature', 'keyEncipherment')),
      other: extension(keyUsage('digitalSignature')),
    };
    this.#extendedKeyUsage = new Map(
      CERTIFICATE_USAGES.map((u) => [u, extension(leafExtendedKeyUsage(u))]),
    );
    this.#fixed = encodeExtensions([
      authorityKeyIdentifier(issuer.keyId),
      urls.ocsp === undefined ? undefined : authorityInfoAccess(urls.ocsp),
      urls.crl === undefined ? undefined : crlDistributionPoints(urls.crl),
    ]);
  }

  build(request: LeafRequest): Built {
    const subject = encodeName(
      request.commonName === undefined ? {} : { commonName: request.commonName },
    );
    return build(this.#issuer.signer, this.#issuer.name, subject, request, [
      this.#notCa,
      request.rsa ? this.#keyUsage.rsa : this.#keyUsage.other,
      this.#extendedKeyUsage.get(request.usage) as Uint8Array,
      extension(subjectAltName(request.identifiers, request.commonName === undefined)),
      extension(subjectKeyIdentifier(keyIdentifier(request.subjectKey.keyBits))),
      ...this.#fixed,
    ]);
  }
}
