import { WiretightError } from '../../errors.ts';
import { CONTENT_TYPE, MAX_PLAINTEXT_FRAGMENT } from '../record.ts';
import { aeadSeal } from './aead.ts';
import { tls13Suite } from './suites.ts';
import { TrafficState } from './traffic-state.ts';

/**
 * TLS 1.3 record protection for what the client sends (RFC 8446 §5.2–5.4), the
 * counterpart of HandshakeDecryptor: TLSInnerPlaintext = content || type || zero padding,
 * sealed with nonce = iv XOR sequence number and the record header as additional data.
 */

/** Every protected record claims to be TLS 1.2 application data (§5.2). */
const LEGACY_RECORD_VERSION = 0x0303;

export { perRecordNonce } from './traffic-state.ts';

export class RecordSealer {
  readonly suite: number;
  readonly #state: TrafficState;

  constructor(suite: number, trafficSecret: Uint8Array) {
    this.#state = new TrafficState(suite, trafficSecret);
    this.suite = suite;
  }

  /** Sequence number the next record will be sealed with. */
  get sequence(): bigint {
    return this.#state.sequence;
  }

  /**
   * One whole record (header included) carrying `content` of the inner `contentType`,
   * with `padding` zero bytes after the type. Empty application data is allowed (§5.4).
   */
  seal(contentType: number, content: Uint8Array, padding = 0): Uint8Array {
    const tag = tls13Suite(this.suite).tagLength;
    if (!Number.isInteger(padding) || padding < 0) {
      throw new RangeError(`padding ${padding} is not a byte count`);
    }
    // RFC 8446 §5.2: TLSInnerPlaintext is at most 2^14 + 1 bytes, padding included.
    if (content.length + 1 + padding > MAX_PLAINTEXT_FRAGMENT + 1) {
      throw new RangeError(
        `${content.length} bytes of content and ${padding} of padding exceed one record`,
      );
    }
    if (content.length === 0 && contentType !== CONTENT_TYPE.application_data) {
      throw new RangeError('only application data may be empty');
    }
    if (this.#state.exhausted) {
      throw new WiretightError('WT_ERR_WIRE_ENCODE', 'record sequence number exhausted');
    }
    const inner = new Uint8Array(content.length + 1 + padding);
    inner.set(content, 0);
    inner[content.length] = contentType;
    const length = inner.length + tag;
    const header = Uint8Array.of(
      CONTENT_TYPE.application_data,
      LEGACY_RECORD_VERSION >>> 8,
      LEGACY_RECORD_VERSION & 0xff,
      length >>> 8,
      length & 0xff,
    );
    const sealed = aeadSeal(this.suite, this.#state.key, this.#state.nonce(), header, inner);
    this.#state.advance();
    const record = new Uint8Array(header.length + sealed.length);
    record.set(header, 0);
    record.set(sealed, header.length);
    return record;
  }
}
