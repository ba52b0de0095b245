import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/** RFC 5746: empty renegotiated_connection on an initial handshake. */
export function encodeRenegotiationInfo(verifyData: Uint8Array = new Uint8Array(0)): Uint8Array {
  return new ByteWriter(1 + verifyData.length).vectorOf(1, verifyData).finish();
}

export function decodeRenegotiationInfo(data: Uint8Array): Uint8Array {
  const r = new ByteReader(data, 'renegotiation_info');
  const v = r.vector(1, 'renegotiated_connection');
  r.expectEnd();
  return v;
}
