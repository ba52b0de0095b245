import { ByteReader } from '../../core/bytes.ts';

/** RFC 6520: 1 peer_allowed_to_send, 2 peer_not_allowed_to_send. */
export function encodeHeartbeat(mode: 1 | 2): Uint8Array {
  return Uint8Array.of(mode);
}

export function decodeHeartbeat(data: Uint8Array): number {
  const r = new ByteReader(data, 'heartbeat');
  const mode = r.u8('mode');
  r.expectEnd();
  return mode;
}
