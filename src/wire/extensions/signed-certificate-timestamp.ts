import { ByteReader } from '../../core/bytes.ts';

/** RFC 6962 §3.3.1: the client sends it empty; the server answers with a list of SCTs. */
export function decodeSignedCertificateTimestamps(data: Uint8Array): Uint8Array[] {
  if (data.length === 0) return [];
  const r = new ByteReader(data, 'signed_certificate_timestamp');
  const list = r.sub(2, 'sct_list', 1);
  const out: Uint8Array[] = [];
  while (!list.atEnd) out.push(list.vector(2, 'sct', 1));
  r.expectEnd();
  return out;
}
