import { ByteQueue, ByteWriter } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';

export const CONTENT_TYPE = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
  heartbeat: 24,
} as const;

export interface TlsRecord {
  readonly type: number;
  readonly version: number;
  readonly fragment: Uint8Array;
}

/** Plaintext fragments never exceed 2^14 (RFC 8446 §5.1); senders split larger payloads. */
export const MAX_PLAINTEXT_FRAGMENT = 1 << 14;
/** TLS ≤ 1.2 ciphertext may carry up to 2048 bytes of expansion (RFC 5246 §6.2.3). */
export const MAX_RECORD_FRAGMENT = (1 << 14) + 2048;

/** Encodes one or more records of `type`, splitting the payload at 2^14 bytes. */
export function encodeRecords(type: number, version: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter(
    payload.length + 5 * (1 + Math.ceil(payload.length / MAX_PLAINTEXT_FRAGMENT)),
  );
  let at = 0;
  do {
    const chunk = payload.subarray(at, at + MAX_PLAINTEXT_FRAGMENT);
    w.u8(type).u16(version).vectorOf(2, chunk);
    at += chunk.length;
  } while (at < payload.length);
  return w.finish();
}

const KNOWN_TYPES = new Set<number>(Object.values(CONTENT_TYPE));

/**
 * Cuts a byte stream into records. Bytes arrive in arbitrary pieces; a record is returned
 * only once complete. The header is checked as soon as its five bytes are in, so a peer
 * that is not speaking TLS, or announces an oversized record, is rejected before we wait
 * for (or buffer) the body it announced. Returned fragments are copies the caller may keep.
 */
export class RecordDeframer {
  readonly #queue = new ByteQueue();
  #consumed = 0;

  /** Total bytes accepted so far (for offsets in errors). */
  get consumed(): number {
    return this.#consumed;
  }

  get buffered(): number {
    return this.#queue.length;
  }

  push(chunk: Uint8Array): void {
    this.#queue.push(chunk);
  }

  /** The next complete record, or undefined when more bytes are needed. Throws on a bad header. */
  next(): TlsRecord | undefined {
    const q = this.#queue;
    const b = q.peek(5);
    if (b.length >= 1 && !KNOWN_TYPES.has(b[0] as number)) {
      throw new DecodeError('TLSPlaintext', this.#consumed, `content type ${b[0]} is not TLS`);
    }
    if (b.length >= 2 && b[1] !== 3) {
      throw new DecodeError(
        'TLSPlaintext',
        this.#consumed + 1,
        `record version major ${b[1]} is not 3`,
      );
    }
    if (b.length < 5) return undefined;
    const length = ((b[3] as number) << 8) | (b[4] as number);
    if (length > MAX_RECORD_FRAGMENT) {
      throw new WiretightError(
        'WT_ERR_WIRE_TOO_LARGE',
        `record at byte ${this.#consumed} announces ${length} bytes (max ${MAX_RECORD_FRAGMENT})`,
      );
    }
    if (q.length < 5 + length) return undefined;
    const type = b[0] as number;
    const version = ((b[1] as number) << 8) | (b[2] as number);
    const fragment = q.take(5 + length).subarray(5);
    this.#consumed += 5 + length;
    return { type, version, fragment };
  }
}
