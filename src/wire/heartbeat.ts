import { ByteReader, ByteWriter } from '../core/bytes.ts';

/** RFC 6520 §3: HeartbeatMessageType. */
export const HEARTBEAT_MESSAGE_TYPE = {
  heartbeat_request: 1,
  heartbeat_response: 2,
} as const;

/** RFC 6520 §4: a sender pads every heartbeat message with at least 16 random bytes. */
export const HEARTBEAT_MIN_PADDING = 16;

/**
 * One HeartbeatMessage as carried in a heartbeat record. `payloadLength` is what the sender
 * announced; `payload` holds only the bytes actually present, so a message that claims more
 * than it carries (the Heartbleed request, or a hostile response) stays visible as such.
 */
export interface HeartbeatMessage {
  readonly type: number;
  readonly payloadLength: number;
  readonly payload: Uint8Array;
  /** Whatever follows the announced payload: the padding. Empty when the payload is short. */
  readonly padding: Uint8Array;
}

/**
 * Writes a heartbeat message exactly as given: an announced length that differs from the
 * payload is written as is, which is how a probe asks a server to over-read.
 */
export function encodeHeartbeatMessage(m: HeartbeatMessage): Uint8Array {
  return new ByteWriter(3 + m.payload.length + m.padding.length)
    .u8(m.type)
    .u16(m.payloadLength)
    .bytes(m.payload)
    .bytes(m.padding)
    .finish();
}

/**
 * Reads a heartbeat message without trusting payload_length: the payload is what is there,
 * up to the announced length, so `encodeHeartbeatMessage(parseHeartbeatMessage(b))` is `b`.
 * Only a fragment too short for the 3-byte header is a DecodeError.
 */
export function parseHeartbeatMessage(fragment: Uint8Array): HeartbeatMessage {
  const r = new ByteReader(fragment, 'HeartbeatMessage');
  const type = r.u8('type');
  const payloadLength = r.u16('payload_length');
  const payload = r.bytes(Math.min(payloadLength, r.remaining), 'payload');
  return { type, payloadLength, payload, padding: r.rest() };
}
