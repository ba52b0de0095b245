import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/** RFC 6066 §8: status_type ocsp(1) with empty responder_id_list and request_extensions. */
export function encodeStatusRequest(): Uint8Array {
  return new ByteWriter(5).u8(1).u16(0).u16(0).finish();
}

export function decodeStatusRequest(data: Uint8Array): { statusType: number } | null {
  // The server's acknowledgement in a TLS ≤ 1.2 ServerHello is empty.
  if (data.length === 0) return null;
  const r = new ByteReader(data, 'status_request');
  const statusType = r.u8('status_type');
  r.vector(2, 'responder_id_list');
  r.vector(2, 'request_extensions');
  r.expectEnd();
  return { statusType };
}
