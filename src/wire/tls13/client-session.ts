import { concatBytes } from '../../core/bytes.ts';
import { DecodeError } from '../../errors.ts';
import { type Alert, parseAlert } from '../alert.ts';
import { changeCipherSpecRecord } from '../change-cipher-spec.ts';
import { HANDSHAKE_TYPE, HandshakeReassembler } from '../handshake.ts';
import { CONTENT_TYPE, type TlsRecord } from '../record.ts';
import {
  deriveApplicationSecrets,
  nextTrafficSecret,
  resumptionMasterSecret,
  resumptionPsk,
} from './application-key-schedule.ts';
import { clientFinished, emptyClientCertificate, endOfEarlyData } from './client-flight.ts';
import { hasEarlyDataIndication } from './early-data.ts';
import { type HandshakeSecrets } from './key-schedule.ts';
import {
  MAX_TICKET_LENGTH,
  type NewSessionTicket,
  parseNewSessionTicket,
} from './new-session-ticket.ts';
import { deriveHandshakeSecretsFrom, zeroEarlySecret } from './psk-key-schedule.ts';
import { HandshakeDecryptor } from './record-protection.ts';
import { RecordSealer } from './record-sealer.ts';
import { Tls13ServerFlight, type Tls13ServerFlightResult } from './server-flight.ts';
import { tls13Suite } from './suites.ts';
import { transcriptHash } from './transcript.ts';

/**
 * The client's side of one TLS 1.3 connection after the ServerHello, without I/O and
 * without validating anything (a scanner trusts nothing and checks nothing it does not
 * report): it opens the server's protected records, answers the server's Finished with
 * the client's flight, then reads post-handshake messages under the application keys,
 * keeping the NewSessionTickets and turning each into the PSK it stands for.
 */

export interface Tls13ClientSessionOptions {
  readonly suite: number;
  /** ClientHello and ServerHello, each whole with its 4-byte header. */
  readonly clientHello: Uint8Array;
  readonly serverHello: Uint8Array;
  readonly sharedSecret: Uint8Array;
  /** The early secret of the PSK the server accepted; absent for a full handshake. */
  readonly earlySecret?: Uint8Array;
  /**
   * The sealer that protected the client's 0-RTT data: when the server accepts early data,
   * the client's flight starts with EndOfEarlyData under it (§4.5).
   */
  readonly earlySealer?: RecordSealer;
  /** Send change_cipher_spec before the client's flight (middlebox compatibility, §D.4). */
  readonly compatibilityCcs?: boolean;
  /** Cap on one post-handshake message (a NewSessionTicket is the largest expected). */
  readonly maxPostHandshakeMessage?: number;
  readonly maxTicketLength?: number;
}

/** What one protected record from the server carried. */
export interface ReceivedRecord {
  /** Bytes to send now: the client's flight, when this record completed the server's. */
  readonly send?: Uint8Array;
  readonly tickets: readonly NewSessionTicket[];
  readonly alert?: Alert;
  /** Bytes of application data in the record (read and dropped). */
  readonly applicationData: number;
}

/** A ticket and what it takes to offer it: the PSK it stands for and its suite. */
export interface ResumptionTicket {
  readonly suite: number;
  readonly psk: Uint8Array;
  readonly ticket: NewSessionTicket;
}

export const DEFAULT_MAX_POST_HANDSHAKE_MESSAGE = 2 * MAX_TICKET_LENGTH;

export class Tls13ClientSession {
  readonly suite: number;
  readonly #options: Tls13ClientSessionOptions;
  readonly #secrets: HandshakeSecrets;
  readonly #flight: Tls13ServerFlight;
  readonly #postHandshake: HandshakeReassembler;
  #decryptor: HandshakeDecryptor;
  /** Set once the server's Finished is in: the secret its records are protected with now. */
  #serverTrafficSecret: Uint8Array | undefined;
  #resumptionMaster: Uint8Array | undefined;
  /** Read from EncryptedExtensions as soon as they are in (a bad indication throws there). */
  #earlyDataAccepted = false;

  constructor(options: Tls13ClientSessionOptions) {
    this.suite = options.suite;
    this.#options = options;
    const maxMessage = options.maxPostHandshakeMessage ?? DEFAULT_MAX_POST_HANDSHAKE_MESSAGE;
    this.#flight = new Tls13ServerFlight();
    this.#postHandshake = new HandshakeReassembler(maxMessage);
    this.#secrets = deriveHandshakeSecretsFrom(
      options.suite,
      options.earlySecret ?? zeroEarlySecret(options.suite),
      options.sharedSecret,
      [options.clientHello, options.serverHello],
    );
    this.#decryptor = new HandshakeDecryptor(
      options.suite,
      this.#secrets.serverHandshakeTrafficSecret,
    );
  }

  /** The server's flight so far. */
  get flight(): Tls13ServerFlightResult {
    return this.#flight.result();
  }

  /** True once the server's Finished is in (and the client's flight was produced). */
  get handshakeDone(): boolean {
    return this.#serverTrafficSecret !== undefined;
  }

  /** True when the server's EncryptedExtensions accepted the client's early data. */
  get earlyDataAccepted(): boolean {
    return this.#earlyDataAccepted;
  }

  /**
   * Opens one protected record. Throws a WiretightError when it does not authenticate or
   * carries what cannot come at this point of the conversation.
   */
  receive(record: TlsRecord): ReceivedRecord {
    const opened = this.#decryptor.open(record);
    const { contentType, content } = opened;
    if (contentType === CONTENT_TYPE.alert) {
      return { tickets: [], alert: parseAlert(content), applicationData: 0 };
    }
    if (contentType === CONTENT_TYPE.application_data) {
      if (!this.handshakeDone) {
        throw new DecodeError('ServerFlight', 0, 'application data before the server Finished');
      }
      return { tickets: [], applicationData: content.length };
    }
    if (contentType !== CONTENT_TYPE.handshake) {
      throw new DecodeError('TLSInnerPlaintext', 0, `content type ${contentType} not expected`);
    }
    if (this.handshakeDone) {
      return { tickets: this.#postHandshakeMessages(content), applicationData: 0 };
    }
    const hadExtensions = this.#flight.result().encryptedExtensions !== undefined;
    this.#flight.push(content);
    const ee = this.#flight.result().encryptedExtensions;
    if (!hadExtensions && ee !== undefined) {
      this.#earlyDataAccepted = hasEarlyDataIndication(ee.extensions);
    }
    if (!this.#flight.done) return { tickets: [], applicationData: 0 };
    return { send: this.#finish(), tickets: [], applicationData: 0 };
  }

  /** The PSK a ticket from this connection stands for; only after the handshake. */
  resumptionTicket(ticket: NewSessionTicket): ResumptionTicket {
    if (this.#resumptionMaster === undefined) {
      throw new TypeError('tickets can be used only once the handshake is done');
    }
    return {
      suite: this.suite,
      psk: resumptionPsk(this.suite, this.#resumptionMaster, ticket.nonce),
      ticket,
    };
  }

  /** Application secrets, then the client's flight (sealed), then the resumption secret. */
  #finish(): Uint8Array {
    const { hash } = tls13Suite(this.suite);
    const flight = this.#flight.result();
    const transcript = [this.#options.clientHello, this.#options.serverHello, ...flight.messages];
    const app = deriveApplicationSecrets(
      this.suite,
      this.#secrets.handshakeSecret,
      transcriptHash(hash, transcript),
    );
    const out: Uint8Array[] = [];
    const early = this.#options.earlySealer;
    if (early !== undefined && this.earlyDataAccepted) {
      const eoed = endOfEarlyData();
      out.push(early.seal(CONTENT_TYPE.handshake, eoed));
      transcript.push(eoed);
    }
    if (this.#options.compatibilityCcs ?? true) out.push(changeCipherSpecRecord(0x0303));
    const messages: Uint8Array[] = [];
    if (flight.certificateRequest !== undefined) {
      messages.push(emptyClientCertificate(flight.certificateRequest.context));
    }
    const secret = this.#secrets.clientHandshakeTrafficSecret;
    messages.push(
      clientFinished(this.suite, secret, transcriptHash(hash, [...transcript, ...messages])),
    );
    out.push(
      new RecordSealer(this.suite, secret).seal(CONTENT_TYPE.handshake, concatBytes(messages)),
    );
    this.#resumptionMaster = resumptionMasterSecret(
      this.suite,
      app.masterSecret,
      transcriptHash(hash, [...transcript, ...messages]),
    );
    this.#serverTrafficSecret = app.serverApplicationTrafficSecret;
    this.#decryptor = new HandshakeDecryptor(this.suite, app.serverApplicationTrafficSecret);
    return concatBytes(out);
  }

  #postHandshakeMessages(content: Uint8Array): NewSessionTicket[] {
    const tickets: NewSessionTicket[] = [];
    const T = HANDSHAKE_TYPE;
    const messages = this.#postHandshake.push(content);
    for (const [i, message] of messages.entries()) {
      if (message.type === T.new_session_ticket) {
        tickets.push(parseNewSessionTicket(message.body, this.#options.maxTicketLength));
      } else if (message.type === T.key_update) {
        // The keys change after this record, so nothing may follow in it (§5.1).
        if (i !== messages.length - 1 || this.#postHandshake.buffered > 0) {
          throw new DecodeError('KeyUpdate', 0, 'KeyUpdate not at a record boundary');
        }
        this.#keyUpdate(message.body);
      } else {
        throw new DecodeError(
          'PostHandshake',
          0,
          `handshake type ${message.type} not expected after the handshake`,
        );
      }
    }
    return tickets;
  }

  /** The server moved to its next traffic secret (§4.6.3). */
  #keyUpdate(body: Uint8Array): void {
    if (body.length !== 1 || (body[0] !== 0 && body[0] !== 1)) {
      throw new DecodeError('KeyUpdate', 0, 'request_update must be one byte, 0 or 1');
    }
    const next = nextTrafficSecret(this.suite, this.#serverTrafficSecret as Uint8Array);
    this.#serverTrafficSecret = next;
    this.#decryptor = new HandshakeDecryptor(this.suite, next);
  }
}
