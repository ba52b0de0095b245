import { DecodeError } from '../../errors.ts';
import {
  DEFAULT_MAX_HANDSHAKE_MESSAGE,
  HANDSHAKE_TYPE,
  type HandshakeMessage,
  HandshakeReassembler,
} from '../handshake.ts';
import {
  parseCertificate,
  parseCertificateRequest,
  parseCertificateVerify,
  parseEncryptedExtensions,
  parseFinished,
} from './server-messages.ts';
import type {
  Certificate,
  CertificateRequest,
  CertificateVerify,
  EncryptedExtensions,
  Finished,
} from './server-messages.ts';

/**
 * The server's encrypted first flight, fed incrementally with the decrypted content of
 * handshake-type records: EncryptedExtensions, [CertificateRequest], Certificate,
 * CertificateVerify, Finished, in the order RFC 8446 §4.4 requires. Pure: no I/O, no keys.
 */

export interface Tls13ServerFlightResult {
  readonly encryptedExtensions?: EncryptedExtensions;
  readonly certificateRequest?: CertificateRequest;
  readonly certificate?: Certificate;
  readonly certificateVerify?: CertificateVerify;
  readonly finished?: Finished;
  /** Every message received so far, whole with its header: the transcript after ServerHello. */
  readonly messages: readonly Uint8Array[];
}

const T = HANDSHAKE_TYPE;

/** Which message types may follow the last one (Finished directly after EE: PSK handshakes). */
const NEXT: ReadonlyMap<number, readonly number[]> = new Map([
  [0, [T.encrypted_extensions]],
  [T.encrypted_extensions, [T.certificate_request, T.certificate, T.finished]],
  [T.certificate_request, [T.certificate]],
  [T.certificate, [T.certificate_verify]],
  [T.certificate_verify, [T.finished]],
  [T.finished, []],
]);

type MutableResult = {
  -readonly [K in keyof Tls13ServerFlightResult]: Tls13ServerFlightResult[K];
};

export class Tls13ServerFlight {
  readonly #reassembler: HandshakeReassembler;
  readonly #messages: Uint8Array[] = [];
  readonly #result: MutableResult = { messages: this.#messages };
  #last = 0;

  constructor(maxMessageLength = DEFAULT_MAX_HANDSHAKE_MESSAGE) {
    this.#reassembler = new HandshakeReassembler(maxMessageLength);
  }

  /** True once the server's Finished has been received. */
  get done(): boolean {
    return this.#last === T.finished;
  }

  /** Adds the content of one decrypted handshake record. */
  push(content: Uint8Array): void {
    if (this.done && content.length > 0) {
      throw new DecodeError('ServerFlight', 0, 'handshake data after the server Finished');
    }
    for (const message of this.#reassembler.push(content)) this.#accept(message);
    if (this.done && this.#reassembler.buffered > 0) {
      throw new DecodeError('ServerFlight', 0, 'handshake data after the server Finished');
    }
  }

  result(): Tls13ServerFlightResult {
    return { ...this.#result, messages: [...this.#messages] };
  }

  #accept(message: HandshakeMessage): void {
    const index = this.#messages.length;
    const allowed = NEXT.get(this.#last) ?? [];
    if (!allowed.includes(message.type)) {
      throw new DecodeError(
        `ServerFlight.messages[${index}]`,
        0,
        `handshake type ${message.type} not expected here (expected ${allowed.join(' or ') || 'nothing'})`,
      );
    }
    const r = this.#result;
    switch (message.type) {
      case T.encrypted_extensions:
        r.encryptedExtensions = parseEncryptedExtensions(message.body);
        break;
      case T.certificate_request:
        r.certificateRequest = parseCertificateRequest(message.body);
        break;
      case T.certificate:
        r.certificate = parseCertificate(message.body);
        break;
      case T.certificate_verify:
        r.certificateVerify = parseCertificateVerify(message.body);
        break;
      case T.finished:
        r.finished = parseFinished(message.body);
        break;
    }
    this.#messages.push(message.raw);
    this.#last = message.type;
  }
}
