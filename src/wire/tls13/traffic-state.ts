import { trafficKeys } from './key-schedule.ts';
import { TLS13_IV_LENGTH, tls13Suite } from './suites.ts';

/** Records one traffic secret may protect before its 64-bit sequence number wraps (§5.3). */
export const SEQUENCE_LIMIT = 2n ** 64n;

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

/**
 * What one direction of a TLS 1.3 connection keeps per traffic secret (RFC 8446 §5.3):
 * the AEAD key, the IV and the record sequence number. Shared by the sealing and the
 * opening side so both derive nonces the same way.
 */
export class TrafficState {
  readonly suite: number;
  readonly key: Uint8Array;
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
    this.key = key;
    this.#iv = iv;
  }

  /** Sequence number of the next record. */
  get sequence(): bigint {
    return this.#sequence;
  }

  get exhausted(): boolean {
    return this.#sequence >= SEQUENCE_LIMIT;
  }

  /** The nonce of the next record; `advance()` once that record is sealed or opened. */
  nonce(): Uint8Array {
    return perRecordNonce(this.#iv, this.#sequence);
  }

  advance(): void {
    this.#sequence++;
  }
}
