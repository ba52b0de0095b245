import { ByteReader } from '../../core/bytes.ts';

/**
 * A list of DER DistinguishedNames with a 2-byte length, each with its own 2-byte length:
 * the certificate_authorities extension (RFC 8446 §4.2.4) and the certificate_authorities
 * field of a TLS ≤ 1.2 CertificateRequest (RFC 5246 §7.4.4) share it.
 */
export function readDistinguishedNames(r: ByteReader, name: string, min = 0): Uint8Array[] {
  const list = r.sub(2, name, min);
  const out: Uint8Array[] = [];
  while (!list.atEnd) out.push(list.vector(2, `DistinguishedName[${out.length}]`, 1));
  return out;
}

/** DistinguishedName authorities<3..2^16-1>. */
export function decodeCertificateAuthorities(data: Uint8Array): Uint8Array[] {
  const r = new ByteReader(data, 'certificate_authorities');
  const names = readDistinguishedNames(r, 'authorities', 3);
  r.expectEnd();
  return names;
}
