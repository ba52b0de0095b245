import { findExtension } from './certificate-parts.ts';
import {
  OID,
  commonNames,
  countEmbeddedScts,
  decodeAuthorityInfoAccess,
  decodeCrlDistributionPoints,
  decodeMustStaple,
  decodeSubjectAltName,
} from './extensions.ts';
import { type PresentedNames, formatIpAddress } from './hostname.ts';
import type { ParsedCertificate } from './parsed-certificate.ts';

/** What the leaf says about its names, revocation and transparency. */
export interface LeafFacts {
  /** subjectAltName dNSName entries, as written. */
  readonly dnsNames: string[];
  /** subjectAltName iPAddress entries (dotted IPv4, eight-group IPv6). */
  readonly ipAddresses: string[];
  /** The subject's commonName values (looked at for the host name only without DNS SANs). */
  readonly commonNames: string[];
  /** OCSP responder URLs from Authority Information Access. */
  readonly ocspUrls: string[];
  /** caIssuers URLs from Authority Information Access (where to fetch the issuer). */
  readonly caIssuerUrls: string[];
  /** CRL distribution point URLs. */
  readonly crlUrls: string[];
  /** Signed certificate timestamps embedded in the certificate (Certificate Transparency). */
  readonly sctCount: number;
  /** The TLS Feature extension demands a stapled OCSP response (RFC 7633 must-staple). */
  readonly mustStaple: boolean;
  /** OIDs of extensions that are present but malformed; they count as absent. */
  readonly malformedExtensions: string[];
}

/** Reads the leaf's names and revocation pointers; a malformed extension counts as absent. */
export function describeLeaf(cert: ParsedCertificate): {
  facts: LeafFacts;
  names: PresentedNames;
} {
  const malformed: string[] = [];
  const read = <T>(oid: string, decode: (value: Uint8Array) => T, absent: T): T => {
    const ext = findExtension(cert.parts, oid);
    if (ext === undefined) return absent;
    try {
      return decode(ext.value);
    } catch {
      malformed.push(oid);
      return absent;
    }
  };
  const san = read(OID.subjectAltName, decodeSubjectAltName, { dnsNames: [], ipAddresses: [] });
  const aia = read(OID.authorityInfoAccess, decodeAuthorityInfoAccess, { ocsp: [], caIssuers: [] });
  let cns: string[] = [];
  try {
    cns = commonNames(cert.parts.subject);
  } catch {
    malformed.push('subject');
  }
  // A subjectAltName that cannot be read must not let the CN stand in for it.
  const sanUnreadable = malformed.includes(OID.subjectAltName);
  return {
    names: {
      dnsNames: san.dnsNames,
      ipAddresses: san.ipAddresses,
      commonNames: sanUnreadable ? [] : cns,
    },
    facts: {
      dnsNames: san.dnsNames,
      ipAddresses: san.ipAddresses.map(formatIpAddress),
      commonNames: cns,
      ocspUrls: aia.ocsp,
      caIssuerUrls: aia.caIssuers,
      crlUrls: read(OID.crlDistributionPoints, decodeCrlDistributionPoints, []),
      sctCount: read(OID.sctList, countEmbeddedScts, 0),
      mustStaple: read(OID.tlsFeature, decodeMustStaple, false),
      malformedExtensions: malformed,
    },
  };
}
