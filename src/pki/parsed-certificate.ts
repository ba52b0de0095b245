import { X509Certificate } from 'node:crypto';
import { bytesEqual } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { type CertificateFacts, describeCertificate } from './certificate-facts.ts';
import { type CertificateParts, certificateParts } from './certificate-parts.ts';
import { pemCertificates } from './pem.ts';

/**
 * A certificate read every way verification needs it: OpenSSL's view (signature checks,
 * issuer checks), the report's facts, and the raw parts compared byte for byte.
 */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  readonly facts: CertificateFacts;
  readonly parts: CertificateParts;
  /** Subject and issuer are the same Name, byte for byte (a root, or a self-issued key roll). */
  readonly selfIssued: boolean;
}

/**
 * Reads a DER certificate; WT_ERR_PKI_DECODE when OpenSSL or the DER reader cannot. Pass
 * `facts` when they are known already (a chain entry) to skip describing it again.
 */
export function parseCertificate(der: Uint8Array, facts?: CertificateFacts): ParsedCertificate {
  let described = facts;
  if (described === undefined) {
    const result = describeCertificate(der);
    if (!result.ok) {
      throw new WiretightError(
        'WT_ERR_PKI_DECODE',
        `certificate cannot be parsed: ${result.certificate.parseError}`,
      );
    }
    described = result.facts;
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (err) {
    throw new WiretightError('WT_ERR_PKI_DECODE', `certificate cannot be parsed: ${String(err)}`);
  }
  const parts = certificateParts(der);
  return {
    der,
    x509,
    facts: described,
    parts,
    selfIssued: bytesEqual(parts.subject, parts.issuer),
  };
}

/** The DER of a chain entry, from the PEM the report keeps. */
export function entryDer(entry: { readonly pem: string }): Uint8Array {
  const der = pemCertificates(entry.pem)[0];
  if (der === undefined) {
    throw new WiretightError('WT_ERR_PKI_DECODE', 'chain entry holds no PEM certificate');
  }
  return der;
}
