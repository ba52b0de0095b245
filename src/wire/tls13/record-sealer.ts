import { WiretightError } from '../../errors.ts';
import { CONTENT_TYPE, MAX_PLAINTEXT_FRAGMENT } from '../record.ts';
import { aeadSeal } from './aead.ts';
import { trafficKeys } from './key-schedule.ts';
import { TLS13_IV_LENGTH, tls13Suite } from './suites.ts';

/**
 * TLS 1.3 record protection for what the client sends (RFC 8446 §5.2–5.4), the
 * counterpart of HandshakeDecryptor: TLSInnerPlaintext = content || type || zero padding,
 * sealed with nonce = iv XOR sequence number and the record header as additional data.
 */

const SEQUENCE_LIMIT = 2n ** 64n;
/** Every protected record claims to be TLS 1.2 application data (§5.2). */
const LEGACY_RECORD_VERSION = 0x0303;

/** The per-record nonce: the 64-bit sequence number, big-endian, XORed into the IV's end. */
export function perRecordNonce(iv: Uint8Array, sequence: bigint): Uint8Array {
  if (iv.length !== TLS13_IV_LENGTH) {
    throw new RangeError(`the IV must be ${TLS13_IV_LENGTH} bytes, got ${iv.length}`);
  }
  const nonce = iv.slice();
  let seq = sequence;
  for (let i = TLS13_IV_LENGTH - 1; i >= TLS13_IV_LENGTH - 8; i--) {
    nonce[i] = (nonce[i] as number) ^ Number(seq & 0xffn);
    seq >>= 8n;
  }
  return nonce;
}

export class RecordSealer {
  readonly suite: number;
  readonly #key: Uint8Array;
  readonly #iv: Uint8Array;
  #sequence = 0n;

  constructor(suite: number, trafficSecret: Uint8Array) {
    const params = tls13Suite(suite);
    if (trafficSecret.length !== params.hashLength) {
      throw new RangeError(
        `a ${params.name} traffic secret is ${params.hashLength} bytes, got ${trafficSecret.length}`,
      );
    }
    this.suite = suite;
    const { key, iv } = trafficKeys(suite, trafficSecret);
    this.#key = key;
    this.#iv = iv;
  }

  /** Sequence number the next record will be sealed with. */
  get sequence(): bigint {
    return this.#sequence;
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
    if (this.#sequence >= SEQUENCE_LIMIT) {
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
    const sealed = aeadSeal(
      this.suite,
      this.#key,
      perRecordNonce(this.#iv, this.#sequence),
      header,
      inner,
    );
    this.#sequence++;
    const record = new Uint8Array(header.length + sealed.length);
    record.set(header, 0);
    record.set(sealed, header.length);
    return record;
  }
}
