import {
  TAG,
  type Tlv,
  bitStringBytes,
  contextTag,
  decodeOid,
  derChildren,
  derElement,
  derSequence,
  expectTag,
} from './der.ts';

/** One extension of a certificate or CRL, its value still encoded. */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The contents of extnValue: the DER of the extension's own structure. */
  readonly value: Uint8Array;
}

/**
 * The raw pieces of a certificate that chain building, OCSP and CRL checks compare byte
 * for byte. Views into the certificate's DER, never copies.
 */
export interface CertificateParts {
  readonly tbs: Uint8Array;
  /** The serial number INTEGER's contents. */
  readonly serial: Uint8Array;
  /** The issuer and subject Names, whole DER. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  /** SubjectPublicKeyInfo, whole DER. */
  readonly spki: Uint8Array;
  /** The subjectPublicKey BIT STRING without its unused-bits byte (what OCSP key hashes cover). */
  readonly publicKey: Uint8Array;
  /** The outer signatureAlgorithm AlgorithmIdentifier, whole DER. */
  readonly signatureAlgorithm: Uint8Array;
  readonly extensions: readonly CertificateExtension[];
}

/** A SEQUENCE OF Extension (certificates, CRLs and CRL entries share the shape). */
export function decodeExtensionList(list: Tlv | undefined): CertificateExtension[] {
  if (list === undefined) return [];
  return derSequence(list, 'Extensions').map((ext, i) => {
    const fields = derSequence(ext, `Extensions[${i}]`);
    const oid = decodeOid(expectTag(fields[0], TAG.OID, 'extnID').body);
    const hasCritical = fields[1]?.tag === TAG.BOOLEAN;
    const critical = hasCritical && fields[1]?.body[0] !== 0;
    const value = expectTag(fields[hasCritical ? 2 : 1], TAG.OCTET_STRING, 'extnValue').body;
    return { oid, critical, value };
  });
}

/** The contents of an [n] EXPLICIT wrapper, or undefined when the field is absent. */
export function explicitContent(tlv: Tlv | undefined, what: string): Tlv | undefined {
  return tlv === undefined ? undefined : derChildren(tlv.body, what)[0];
}

interface Walked {
  readonly tbs: Tlv;
  readonly signatureAlgorithm: Tlv | undefined;
  /** tbsCertificate's fields after the optional version: serial, signature, issuer… */
  readonly fields: Tlv[];
}

function walk(der: Uint8Array): Walked {
  const [tbs, signatureAlgorithm] = derSequence(derElement(der, 'Certificate'), 'Certificate');
  const tbsFields = derSequence(tbs, 'tbsCertificate');
  // version is [0] EXPLICIT and optional (absent in v1 certificates)
  const fields = tbsFields[0]?.tag === contextTag(0) ? tbsFields.slice(1) : tbsFields;
  return { tbs: tbs as Tlv, signatureAlgorithm, fields };
}

/**
 * The subject Name (whole DER) alone: what indexing a trust store needs, several times
 * cheaper than certificateParts, which also decodes every extension.
 */
export function certificateSubject(der: Uint8Array): Uint8Array {
  return expectTag(walk(der).fields[4], TAG.SEQUENCE, 'subject').der;
}

/** The parts of a certificate; WT_ERR_PKI_DECODE when it is not an X.509 structure. */
export function certificateParts(der: Uint8Array): CertificateParts {
  const { tbs, signatureAlgorithm, fields } = walk(der);
  const [serial, , issuer, , subject, spki] = fields;
  const spkiFields = derSequence(spki, 'subjectPublicKeyInfo');
  return {
    tbs: tbs.der,
    serial: expectTag(serial, TAG.INTEGER, 'serialNumber').body,
    issuer: expectTag(issuer, TAG.SEQUENCE, 'issuer').der,
    subject: expectTag(subject, TAG.SEQUENCE, 'subject').der,
    spki: (spki as Tlv).der,
    publicKey: bitStringBytes(spkiFields[1], 'subjectPublicKey'),
    signatureAlgorithm: expectTag(signatureAlgorithm, TAG.SEQUENCE, 'signatureAlgorithm').der,
    extensions: decodeExtensionList(
      explicitContent(
        fields.slice(6).find((t) => t.tag === contextTag(3)),
        'extensions',
      ),
    ),
  };
}

export function findExtension(
  parts: CertificateParts,
  oid: string,
): CertificateExtension | undefined {
  return parts.extensions.find((e) => e.oid === oid);
}
