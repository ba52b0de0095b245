/**
 * The CA's vocabulary, shared by its library API, its store, the CLI and the ACME server.
 * One `as const` table per enumeration: the CLI's choices, the policy file's values and the
 * docs all read these lists.
 */
import type { KeyObject } from 'node:crypto';

/** Key types the CA can generate for itself and accept in requests. */
export const KEY_ALGORITHMS = [
  'ecdsa-p256',
  'ecdsa-p384',
  'ed25519',
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** What a certificate names: a DNS name, an IP address, or a URI (a SPIFFE ID). */
export type IdentifierType = 'dns' | 'ip' | 'uri';
export interface Identifier {
  readonly type: IdentifierType;
  /** Lower-case DNS name; canonical IP text (IPv6 compressed); URI as given. */
  readonly value: string;
}

/** Extended key usage of a leaf: TLS server, TLS client, or both. */
export const CERTIFICATE_USAGES = ['server', 'client', 'both'] as const;
export type CertificateUsage = (typeof CERTIFICATE_USAGES)[number];

/** RFC 5280 §5.3.1 reason codes, by the names the CLI and ACME use; 7 is unassigned. */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

/** Who asked for a certificate: the audit log and the store keep it. */
export type Provisioner = 'cli' | 'acme' | 'renew' | 'library';

/** A request for a leaf whose subject key the caller already holds. */
export interface IssueRequest {
  readonly publicKey: KeyObject;
  readonly identifiers: readonly Identifier[];
  /** Subject CN; defaults to the first DNS identifier, else none (SAN-only subject). */
  readonly commonName?: string;
  readonly usage: CertificateUsage;
  /** Defaults to the policy's default (24 h); above the policy maximum is refused. */
  readonly lifetimeSeconds?: number;
  readonly provisioner: Provisioner;
  /** Free-form actor for the audit line: an ACME account URL, a CLI user, a renewing serial. */
  readonly requestedBy?: string;
}

/** A request carried by a PKCS#10 CSR (ACME finalize, `ca issue --csr`). */
export interface CsrIssueOptions {
  readonly usage: CertificateUsage;
  readonly lifetimeSeconds?: number;
  readonly provisioner: Provisioner;
  readonly requestedBy?: string;
  /**
   * When set (ACME), the CSR's names must be exactly these identifiers, no more, no fewer
   * (RFC 8555 §7.4); otherwise the CSR's own names are issued, subject to the policy.
   */
  readonly expectedIdentifiers?: readonly Identifier[];
}

export type CertificateStatus = 'valid' | 'revoked';

/** One issued certificate as the store keeps it. */
export interface CertificateRecord {
  /** Lower-case hex of the serial number's positive integer, no leading zeros dropped. */
  readonly serial: string;
  readonly commonName: string | null;
  readonly identifiers: readonly Identifier[];
  readonly usage: CertificateUsage;
  readonly keyAlgorithm: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuedAt: Date;
  readonly provisioner: Provisioner;
  readonly requestedBy: string | null;
  /** The leaf, DER. */
  readonly der: Uint8Array;
  readonly status: CertificateStatus;
  readonly revokedAt: Date | null;
  readonly revocationReason: RevocationReason | null;
}

/** What `issue`, `issueFromCsr` and `renew` return. */
export interface IssuedCertificate {
  readonly record: CertificateRecord;
  /** The leaf, PEM. */
  readonly certificatePem: string;
  /** Leaf then intermediate, PEM: what a server presents (the root is not included). */
  readonly chainPem: string;
}
