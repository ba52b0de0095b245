import { ByteWriter } from '../core/bytes.ts';
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
 * Reassembles handshake messages from the payloads of consecutive handshake records: one
 * record may hold several messages, and one message may span many records.
 */
export class HandshakeReassembler {
  readonly #max: number;
  #buffer: Uint8Array = new Uint8Array(0);

  constructor(maxMessage = DEFAULT_MAX_HANDSHAKE_MESSAGE) {
    this.#max = maxMessage;
  }

  /** True when a message has started but is not complete yet. */
  get pending(): boolean {
    return this.#buffer.length > 0;
  }

  push(fragment: Uint8Array): void {
    const next = new Uint8Array(this.#buffer.length + fragment.length);
    next.set(this.#buffer);
    next.set(fragment, this.#buffer.length);
    this.#buffer = next;
  }

  next(): HandshakeMessage | undefined {
    const b = this.#buffer;
    if (b.length < 4) return undefined;
    const length = ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number);
    if (length > this.#max) {
      throw new WiretightError(
        'WT_ERR_WIRE_TOO_LARGE',
        `handshake message type ${b[0]} announces ${length} bytes (max ${this.#max})`,
      );
    }
    if (b.length < 4 + length) return undefined;
    const raw = b.subarray(0, 4 + length);
    this.#buffer = b.subarray(4 + length);
    return { type: b[0] as number, body: raw.subarray(4), raw };
  }
}
