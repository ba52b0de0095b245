import { DecodeError, WiretightError } from '../../errors.ts';
import { CONTENT_TYPE, MAX_PLAINTEXT_FRAGMENT, type TlsRecord } from '../record.ts';
import { aeadOpen } from './aead.ts';
import { TrafficState } from './traffic-state.ts';

/**
 * TLS 1.3 record deprotection (RFC 8446 §5.2–5.4) for the records a server protects with
 * one traffic secret: nonce = iv XOR sequence number, additional data = the record header,
 * then the zero padding is stripped and the real content type recovered.
 */

/** Largest TLSCiphertext.length (RFC 8446 §5.2): 2^14 of content plus 256 of expansion. */
export const MAX_CIPHERTEXT_LENGTH = MAX_PLAINTEXT_FRAGMENT + 256;

export interface OpenedRecord {
  /** The inner content type, from TLSInnerPlaintext. */
  readonly contentType: number;
  readonly content: Uint8Array;
}

export class HandshakeDecryptor {
  readonly suite: number;
  readonly #state: TrafficState;

  constructor(suite: number, trafficSecret: Uint8Array) {
    this.#state = new TrafficState(suite, trafficSecret);
    this.suite = suite;
  }

  /** Sequence number the next record will be opened with. */
  get sequence(): bigint {
    return this.#state.sequence;
  }

  /** Opens one protected record as the deframer returns it. */
  open(record: TlsRecord): OpenedRecord {
    const { type: contentType, version: legacyVersion, fragment } = record;
    if (contentType !== CONTENT_TYPE.application_data) {
      throw new DecodeError(
        'TLSCiphertext',
        0,
        `opaque_type ${contentType} is not application_data (23)`,
      );
    }
    if (fragment.length > MAX_CIPHERTEXT_LENGTH) {
      throw new WiretightError(
        'WT_ERR_WIRE_TOO_LARGE',
        `TLSCiphertext of ${fragment.length} bytes exceeds ${MAX_CIPHERTEXT_LENGTH} (record_overflow)`,
      );
    }
    if (!Number.isInteger(legacyVersion) || legacyVersion < 0 || legacyVersion > 0xffff) {
      throw new RangeError(`legacyVersion ${legacyVersion} is not a u16`);
    }
    if (this.#state.exhausted) {
      throw new WiretightError('WT_ERR_WIRE_DECRYPT', 'record sequence number exhausted');
    }
    const header = Uint8Array.of(
      contentType,
      legacyVersion >>> 8,
      legacyVersion & 0xff,
      fragment.length >>> 8,
      fragment.length & 0xff,
    );
    const inner = aeadOpen(this.suite, this.#state.key, this.#state.nonce(), header, fragment);
    this.#state.advance();
    return parseInnerPlaintext(inner);
  }
}

/** TLSInnerPlaintext: content || type || zeros; the type is the last non-zero byte. */
export function parseInnerPlaintext(inner: Uint8Array): OpenedRecord {
  let end = inner.length - 1;
  while (end >= 0 && inner[end] === 0) end--;
  if (end < 0) {
    throw new DecodeError(
      'TLSInnerPlaintext',
      inner.length,
      'no non-zero content type (all padding)',
    );
  }
  // The content, padding and type excluded, is a plaintext fragment (RFC 8446 §5.4).
  if (end > MAX_PLAINTEXT_FRAGMENT) {
    throw new WiretightError(
      'WT_ERR_WIRE_TOO_LARGE',
      `TLSInnerPlaintext content of ${end} bytes exceeds ${MAX_PLAINTEXT_FRAGMENT} (record_overflow)`,
    );
  }
  return { contentType: inner[end] as number, content: inner.subarray(0, end) };
}
