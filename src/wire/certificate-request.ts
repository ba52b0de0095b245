import { ByteReader } from '../core/bytes.ts';
import { readDistinguishedNames } from './extensions/certificate-authorities.ts';

export interface CertificateRequest {
  /** ClientCertificateType values (1 rsa_sign, 2 dss_sign, 64 ecdsa_sign, …). */
  readonly certificateTypes: readonly number[];
  /** TLS 1.2 only; empty before. */
  readonly signatureSchemes: readonly number[];
  /** DER-encoded distinguished names of acceptable CAs. */
  readonly authorities: readonly Uint8Array[];
}

/** TLS ≤ 1.2 CertificateRequest (RFC 5246 §7.4.4; no signature list before 1.2). */
export function parseCertificateRequest(body: Uint8Array, tls12: boolean): CertificateRequest {
  const r = new ByteReader(body, 'CertificateRequest');
  const certificateTypes = Array.from(r.vector(1, 'certificate_types', 1));
  const signatureSchemes: number[] = [];
  if (tls12) {
    const list = r.sub(2, 'supported_signature_algorithms', 2);
    if (list.remaining % 2 !== 0) list.fail('odd length');
    while (!list.atEnd) signatureSchemes.push(list.u16());
  }
  const authorities = readDistinguishedNames(r, 'certificate_authorities');
  r.expectEnd();
  return { certificateTypes, signatureSchemes, authorities };
}
