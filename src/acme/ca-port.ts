/**
 * What the ACME server needs from a certificate authority: the subset of the CA class's
 * API it calls. The interface lives here, with its user, so the ACME code and its tests
 * depend on this port and not on how the CA keeps its keys.
 */
import type {
  CertificateRecord,
  CsrIssueOptions,
  Identifier,
  IssuedCertificate,
  RevocationReason,
} from '../ca/types.ts';

export interface AcmeCertificateAuthority {
  /** Throws WT_ERR_CA_POLICY (its message says why) when the policy refuses any identifier. */
  checkIdentifiers(identifiers: readonly Identifier[]): void;
  /**
   * Issues from a DER PKCS#10 CSR. Throws WT_ERR_CA_CSR (bad DER, bad signature, names other
   * than `options.expectedIdentifiers`) or WT_ERR_CA_POLICY.
   */
  issueFromCsr(csr: Uint8Array, options: CsrIssueOptions): Promise<IssuedCertificate>;
  /** Throws WT_ERR_CA_NOT_FOUND or WT_ERR_CA_REVOKED. */
  revoke(
    serial: string,
    reason: RevocationReason,
    requestedBy?: string,
  ): Promise<CertificateRecord>;
  get(serial: string): Promise<CertificateRecord | undefined>;
  /** The issuing intermediate, PEM: the second certificate of every chain served. */
  readonly intermediatePem: string;
}
