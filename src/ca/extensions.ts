// The X.509 extensions the CA writes. Those that are the same for every certificate of a
// kind (key usage, pointers to OCSP and the CRL, name constraints, the authority key id)
// are encoded once with @peculiar/asn1-x509; the two that change with every leaf (SAN and
// subject key id) with the DER writer, which is ~20× faster.
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  NameConstraints,
  id_ad_ocsp,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import { type ExtensionDer, derNull, octetString } from './der-writer.ts';
import type { IpRange } from './ip-range.ts';
import { encodeGeneralNames } from './names.ts';
import type { CertificateUsage, Identifier } from './types.ts';

export const EXTENSION_OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  extKeyUsage: '2.5.29.37',
  authorityKeyIdentifier: '2.5.29.35',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

export const KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

const encode = (value: object): Uint8Array => new Uint8Array(AsnConvert.serialize(value));

export function basicConstraints(ca: boolean, pathLength?: number): ExtensionDer {
  const value = ca
    ? new BasicConstraints({
        cA: true,
        ...(pathLength === undefined ? {} : { pathLenConstraint: pathLength }),
      })
    : new BasicConstraints();
  return { oid: EXTENSION_OID.basicConstraints, critical: true, value: encode(value) };
}

const KEY_USAGE_FLAGS = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  keyCertSign: KeyUsageFlags.keyCertSign,
  cRLSign: KeyUsageFlags.cRLSign,
} as const;

export function keyUsage(...usages: readonly (keyof typeof KEY_USAGE_FLAGS)[]): ExtensionDer {
  const flags = usages.reduce((acc, u) => acc | KEY_USAGE_FLAGS[u], 0);
  return { oid: EXTENSION_OID.keyUsage, critical: true, value: encode(new KeyUsage(flags)) };
}

/** The TLS purposes of each leaf usage. */
const PURPOSES: Readonly<Record<CertificateUsage, readonly string[]>> = {
  server: [id_kp_serverAuth],
  client: [id_kp_clientAuth],
  both: [id_kp_serverAuth, id_kp_clientAuth],
};

export function extendedKeyUsage(purposes: readonly string[]): ExtensionDer {
  return {
    oid: EXTENSION_OID.extKeyUsage,
    critical: false,
    value: encode(new ExtendedKeyUsage([...purposes])),
  };
}

export function leafExtendedKeyUsage(usage: CertificateUsage): ExtensionDer {
  return extendedKeyUsage(PURPOSES[usage]);
}

/** Critical when the subject is empty (RFC 5280 §4.2.1.6). */
export function subjectAltName(ids: readonly Identifier[], critical: boolean): ExtensionDer {
  return { oid: EXTENSION_OID.subjectAltName, critical, value: encodeGeneralNames(ids) };
}

export function subjectKeyIdentifier(keyId: Uint8Array): ExtensionDer {
  return { oid: EXTENSION_OID.subjectKeyIdentifier, critical: false, value: octetString(keyId) };
}

export function authorityKeyIdentifier(keyId: Uint8Array): ExtensionDer {
  const value = new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyId) });
  return { oid: EXTENSION_OID.authorityKeyIdentifier, critical: false, value: encode(value) };
}

export function authorityInfoAccess(ocspUrl: string): ExtensionDer {
  const value = new AuthorityInfoAccessSyntax([
    new AccessDescription({
      accessMethod: id_ad_ocsp,
      accessLocation: new GeneralName({ uniformResourceIdentifier: ocspUrl }),
    }),
  ]);
  return { oid: EXTENSION_OID.authorityInfoAccess, critical: false, value: encode(value) };
}

export function crlDistributionPoints(crlUrl: string): ExtensionDer {
  const value = new CRLDistributionPoints([
    new DistributionPoint({
      distributionPoint: new DistributionPointName({
        fullName: [new GeneralName({ uniformResourceIdentifier: crlUrl })],
      }),
    }),
  ]);
  return { oid: EXTENSION_OID.crlDistributionPoints, critical: false, value: encode(value) };
}

/** RFC 6960 §4.2.2.2.1: clients need not check the delegated responder's own status. */
export function ocspNoCheck(): ExtensionDer {
  return { oid: EXTENSION_OID.ocspNoCheck, critical: false, value: derNull() };
}

export interface PermittedNames {
  /** DNS subtrees: `svc.internal` permits it and every name under it (RFC 5280 §4.2.1.10). */
  readonly dns: readonly string[];
  readonly ip: readonly IpRange[];
  /** URI subtrees by host: a SPIFFE trust domain. */
  readonly uriHosts: readonly string[];
}

/** Critical nameConstraints with permitted subtrees only; undefined when nothing is given. */
export function nameConstraints(permitted: PermittedNames): ExtensionDer | undefined {
  const subtrees = [
    ...permitted.dns.map((dNSName) => new GeneralName({ dNSName })),
    // asn1-x509 writes CIDR text as the address-and-mask pair name constraints use.
    ...permitted.ip.map((range) => new GeneralName({ iPAddress: range.text })),
    ...permitted.uriHosts.map((host) => new GeneralName({ uniformResourceIdentifier: host })),
  ].map((base) => new GeneralSubtree({ base }));
  if (subtrees.length === 0) return undefined;
  const value = new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) });
  return { oid: EXTENSION_OID.nameConstraints, critical: true, value: encode(value) };
}
