// Decoders for the certificate extensions verification reads. Each takes the extension's
// value (the DER inside extnValue) and throws WT_ERR_PKI_DECODE when it is malformed; the
// callers decide what a malformed extension means.
import { ByteReader } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';
import {
  TAG,
  type Tlv,
  contextPrimitiveTag,
  contextTag,
  decodeOid,
  decodeSmallInteger,
  derChildren,
  derElement,
  derSequence,
  expectTag,
} from './der.ts';

export const OID = {
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  accessOcsp: '1.3.6.1.5.5.7.48.1',
  accessCaIssuers: '1.3.6.1.5.5.7.48.2',
  kpOcspSigning: '1.3.6.1.5.5.7.3.9',
  commonName: '2.5.4.3',
} as const;

const GENERAL_NAME = {
  dNSName: contextPrimitiveTag(2),
  uniformResourceIdentifier: contextPrimitiveTag(6),
  iPAddress: contextPrimitiveTag(7),
} as const;

/** TLS Feature status_request (RFC 7633): the certificate demands a stapled OCSP response. */
const STATUS_REQUEST = 5;

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function element(value: Uint8Array, what: string): Tlv {
  return derElement(value, what);
}

export interface SubjectAltNames {
  readonly dnsNames: string[];
  /** iPAddress entries: 4 or 16 bytes each (other lengths are kept, and match nothing). */
  readonly ipAddresses: Uint8Array[];
}

export function decodeSubjectAltName(value: Uint8Array): SubjectAltNames {
  const dnsNames: string[] = [];
  const ipAddresses: Uint8Array[] = [];
  for (const name of derSequence(element(value, 'subjectAltName'), 'GeneralNames')) {
    if (name.tag === GENERAL_NAME.dNSName) dnsNames.push(latin1(name.body));
    else if (name.tag === GENERAL_NAME.iPAddress) ipAddresses.push(name.body);
  }
  return { dnsNames, ipAddresses };
}

export interface AuthorityInfoAccess {
  readonly ocsp: string[];
  readonly caIssuers: string[];
}

export function decodeAuthorityInfoAccess(value: Uint8Array): AuthorityInfoAccess {
  const out: AuthorityInfoAccess = { ocsp: [], caIssuers: [] };
  for (const desc of derSequence(element(value, 'authorityInfoAccess'), 'AuthorityInfoAccess')) {
    const [method, location] = derSequence(desc, 'AccessDescription');
    const oid = decodeOid(expectTag(method, TAG.OID, 'accessMethod').body);
    if (location?.tag !== GENERAL_NAME.uniformResourceIdentifier) continue;
    if (oid === OID.accessOcsp) out.ocsp.push(latin1(location.body));
    else if (oid === OID.accessCaIssuers) out.caIssuers.push(latin1(location.body));
  }
  return out;
}

/** The URIs of every distribution point's fullName. */
export function decodeCrlDistributionPoints(value: Uint8Array): string[] {
  const urls: string[] = [];
  const points = derSequence(element(value, 'cRLDistributionPoints'), 'CRLDistributionPoints');
  for (const point of points) {
    const dpName = derSequence(point, 'DistributionPoint').find((f) => f.tag === contextTag(0));
    if (dpName === undefined) continue;
    for (const choice of derChildren(dpName.body, 'distributionPoint')) {
      if (choice.tag !== contextTag(0)) continue; // nameRelativeToCRLIssuer: no URL
      for (const name of derChildren(choice.body, 'fullName')) {
        if (name.tag === GENERAL_NAME.uniformResourceIdentifier) urls.push(latin1(name.body));
      }
    }
  }
  return urls;
}

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength: number | null;
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  let ca = false;
  let pathLength: number | null = null;
  for (const field of derSequence(element(value, 'basicConstraints'), 'BasicConstraints')) {
    if (field.tag === TAG.BOOLEAN) ca = field.body[0] !== 0;
    else if (field.tag === TAG.INTEGER) pathLength = decodeSmallInteger(field.body, 'pathLen');
  }
  return { ca, pathLength };
}

export function decodeExtKeyUsage(value: Uint8Array): string[] {
  return derSequence(element(value, 'extKeyUsage'), 'ExtKeyUsageSyntax').map((oid) =>
    decodeOid(expectTag(oid, TAG.OID, 'KeyPurposeId').body),
  );
}

/** True when the TLS Feature extension lists status_request: OCSP must-staple. */
export function decodeMustStaple(value: Uint8Array): boolean {
  return derSequence(element(value, 'tlsFeature'), 'Features').some(
    (f) =>
      decodeSmallInteger(expectTag(f, TAG.INTEGER, 'Feature').body, 'Feature') === STATUS_REQUEST,
  );
}

/** How many SCTs an embedded SignedCertificateTimestampList (RFC 6962 §3.3) holds. */
export function countEmbeddedScts(value: Uint8Array): number {
  const list = expectTag(element(value, 'sctList'), TAG.OCTET_STRING, 'sctList').body;
  try {
    const r = new ByteReader(list, 'SignedCertificateTimestampList');
    const scts = r.sub(2, 'sct_list');
    r.expectEnd();
    let count = 0;
    while (!scts.atEnd) {
      scts.vector(2, `sct_list[${count}]`, 1);
      count++;
    }
    return count;
  } catch (err) {
    if (err instanceof DecodeError) throw new WiretightError('WT_ERR_PKI_DECODE', err.message);
    throw err;
  }
}

/** Text of a directory string (the string types X.509 names use). */
function directoryString(tlv: Tlv): string {
  switch (tlv.tag) {
    case 0x0c: // UTF8String
      return Buffer.from(tlv.body).toString('utf8');
    case 0x1e: // BMPString, UTF-16BE
      return Buffer.from(tlv.body).swap16().toString('utf16le');
    default: // PrintableString, IA5String, TeletexString (read as Latin-1)…
      return latin1(tlv.body);
  }
}

/** Every commonName value of a Name (whole DER), in order. */
export function commonNames(name: Uint8Array): string[] {
  const out: string[] = [];
  for (const rdn of derSequence(element(name, 'Name'), 'Name')) {
    for (const atv of derSequence(rdn, 'RelativeDistinguishedName', TAG.SET)) {
      const [type, value] = derSequence(atv, 'AttributeTypeAndValue');
      if (decodeOid(expectTag(type, TAG.OID, 'type').body) !== OID.commonName) continue;
      if (value === undefined) continue;
      // an odd-length BMPString cannot be swapped; treat it as malformed
      if (value.tag === 0x1e && value.body.length % 2 !== 0) {
        throw new WiretightError('WT_ERR_PKI_DECODE', 'commonName BMPString has an odd length');
      }
      out.push(directoryString(value));
    }
  }
  return out;
}
