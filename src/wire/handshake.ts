import { ByteQueue, ByteWriter } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';

export const HANDSHAKE_TYPE = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  certificate_status: 22,
  key_update: 24,
  message_hash: 254,
} as const;

export interface HandshakeMessage {
  readonly type: number;
  readonly body: Uint8Array;
  /** Header and body as received: what a transcript hash covers. */
  readonly raw: Uint8Array;
}

/**
 * Certificate chains are the largest messages a server sends; 256 KiB holds dozens of
 * RSA-4096 certificates while keeping a hostile 2^24 announcement from costing 16 MiB.
 */
export const DEFAULT_MAX_HANDSHAKE_MESSAGE = 256 * 1024;

export function encodeHandshake(type: number, body: Uint8Array): Uint8Array {
  return new ByteWriter(body.length + 4).u8(type).vectorOf(3, body).finish();
}

/**
 * Cuts the contents of consecutive handshake records into whole handshake messages (type
 * u8, length u24, body): one record may hold several messages, and one message may span
 * many records. A length above the cap is refused as soon as its header is in, so a hostile
 * peer can make us hold at most one capped message plus one record.
 */
export class HandshakeReassembler {
  readonly maxMessageLength: number;
  readonly #queue = new ByteQueue();

  constructor(maxMessageLength = DEFAULT_MAX_HANDSHAKE_MESSAGE) {
    if (
      !Number.isInteger(maxMessageLength) ||
      maxMessageLength < 0 ||
      maxMessageLength > 0xffffff
    ) {
      throw new RangeError(`maxMessageLength ${maxMessageLength} out of range 0..16777215`);
    }
    this.maxMessageLength = maxMessageLength;
  }

  /** Bytes of an incomplete message held back; 0 at a message boundary. */
  get buffered(): number {
    return this.#queue.length;
  }

  /** Adds record content and returns the messages it completes, in order. */
  push(content: Uint8Array): HandshakeMessage[] {
    const q = this.#queue;
    q.push(content);
    const out: HandshakeMessage[] = [];
    while (q.length >= 4) {
      const h = q.peek(4);
      const type = h[0] as number;
      const length = ((h[1] as number) << 16) | ((h[2] as number) << 8) | (h[3] as number);
      if (length > this.maxMessageLength) {
        throw new WiretightError(
          'WT_ERR_WIRE_TOO_LARGE',
          `handshake message type ${type} announces ${length} bytes, above the ${this.maxMessageLength}-byte cap`,
        );
      }
      if (q.length < 4 + length) break;
      const raw = q.take(4 + length);
      out.push({ type, body: raw.subarray(4), raw });
    }
    return out;
  }
}
