import { ByteReader } from '../core/bytes.ts';

/**
 * TLS ≤ 1.2 Certificate (RFC 5246 §7.4.2): the chain exactly as sent, DER each. An empty
 * list is legal (anonymous suites never send one; a client may send it empty).
 */
export function parseCertificateList(body: Uint8Array): Uint8Array[] {
  const r = new ByteReader(body, 'Certificate');
  const list = r.sub(3, 'certificate_list');
  const out: Uint8Array[] = [];
  while (!list.atEnd) out.push(list.vector(3, `certificate[${out.length}]`, 1));
  r.expectEnd();
  return out;
}
