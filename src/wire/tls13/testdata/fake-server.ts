// A scripted TLS 1.3 server built from this folder's own pieces, for tests that need what
// no real server can be made to do: a garbage or oversized NewSessionTicket, records cut
// short, a ticket that never comes. It answers one ClientHello with its whole flight at
// once and, like Go's crypto/tls, sends its tickets right after its Finished (it predicts
// the client's Finished to derive the resumption secret). It resumes its own tickets and
// accepts 0-RTT when told to. Test-only (testdata/ is not built).
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { ByteWriter, bytesEqual, concatBytes, toHex } from '../../../core/bytes.ts';
import { type ClientHello, parseClientHello } from '../../client-hello.ts';
import { findExtension } from '../../extensions/extension.ts';
import { decodeClientKeyShares, encodeServerKeyShare } from '../../extensions/key-share.ts';
import { encodeServerSupportedVersion } from '../../extensions/supported-versions.ts';
import { HANDSHAKE_TYPE, HandshakeReassembler, encodeHandshake } from '../../handshake.ts';
import { CONTENT_TYPE, RecordDeframer, encodeRecords } from '../../record.ts';
import { EXTENSION_TYPES as X } from '../../registry/extension-types.ts';
import { encodeServerHelloBody } from '../../server-hello.ts';
import {
  deriveApplicationSecrets,
  nextTrafficSecret,
  resumptionMasterSecret,
  resumptionPsk,
} from '../application-key-schedule.ts';
import { clientFinished, emptyClientCertificate } from '../client-flight.ts';
import {
  earlyDataIndication,
  encodeTicketEarlyData,
  hasEarlyDataIndication,
} from '../early-data.ts';
import { generateKeyShare } from '../key-exchange.ts';
import { finishedVerifyData } from '../key-schedule.ts';
import { encodeNewSessionTicket } from '../new-session-ticket.ts';
import { bindersLength, decodeOfferedPsks, encodeServerPreSharedKey } from '../pre-shared-key.ts';
import {
  binderKey,
  deriveHandshakeSecretsFrom,
  earlySecretFromPsk,
  pskBinder,
  zeroEarlySecret,
} from '../psk-key-schedule.ts';
import { RecordSealer } from '../record-sealer.ts';
import { tls13Suite } from '../suites.ts';
import { transcriptHash } from '../transcript.ts';

export interface AfterFinished {
  /** Seals content under the server's application traffic keys, in sequence. */
  seal(contentType: number, content: Uint8Array): Uint8Array;
  /** A valid NewSessionTicket message (header included) the server will resume. */
  ticket(): Uint8Array;
  /** A sealed KeyUpdate; what is sealed after it uses the next traffic secret. */
  keyUpdate(): Uint8Array;
}

export interface FakeServerOptions {
  readonly suite?: number;
  /** Ask for a client certificate (the client then answers with an empty Certificate). */
  readonly certificateRequest?: boolean;
  /** Tickets allow 0-RTT, and a resumption that offers it accepts it. */
  readonly earlyData?: boolean;
  /** The records sent after the Finished of a full handshake; default: two tickets. */
  readonly afterFinished?: (server: AfterFinished) => Uint8Array[];
  /** Refuse every PSK (a full handshake each time), as a server with no ticket keys. */
  readonly refuseResumption?: boolean;
  /** The selected_identity to claim when resuming (a lie unless 0). */
  readonly selectedIdentity?: number;
  /** Replaces the protected flight of a resumed connection (EncryptedExtensions onwards). */
  readonly resumedFlight?: (handshakeSealer: RecordSealer) => Uint8Array[];
}

export const FAKE_MAX_EARLY_DATA = 16384;

const DECRYPT_ERROR_ALERT = encodeRecords(CONTENT_TYPE.alert, 0x0303, Uint8Array.of(2, 51));

export class FakeTls13Server {
  readonly #options: FakeServerOptions;
  readonly #suite: number;
  /** PSK per ticket (hex). */
  readonly #psks = new Map<string, Uint8Array>();
  #nonce = 0;
  /** How many ClientHellos had their PSK accepted, and how many had early data accepted. */
  resumed = 0;
  earlyDataAccepted = 0;
  /** obfuscated_ticket_age of every PSK offered, in order. */
  readonly obfuscatedAges: number[] = [];

  constructor(options: FakeServerOptions = {}) {
    this.#options = options;
    this.#suite = options.suite ?? 0x1301;
  }

  /** The bytes to write for one ClientHello (the handshake message, header included). */
  respond(clientHelloMessage: Uint8Array): Uint8Array[] {
    const hello = parseClientHello(clientHelloMessage.subarray(4));
    const extensions = hello.extensions ?? [];
    const keyShare = findExtension(extensions, X.key_share);
    const share = keyShare === undefined ? undefined : decodeClientKeyShares(keyShare.data)[0];
    if (share === undefined) throw new TypeError('the fake server needs a client key share');
    const psk = this.#acceptedPsk(clientHelloMessage, hello);
    if (psk === 'bad-binder') return [DECRYPT_ERROR_ALERT];
    const serverShare = generateKeyShare(share.group);
    const shared = serverShare.sharedSecret(share.keyExchange);
    const serverHello = encodeHandshake(
      HANDSHAKE_TYPE.server_hello,
      encodeServerHelloBody({
        legacyVersion: 0x0303,
        random: new Uint8Array(randomBytes(32)),
        sessionId: hello.sessionId,
        cipherSuite: this.#suite,
        compressionMethod: 0,
        extensions: [
          { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
          {
            type: X.key_share,
            data: encodeServerKeyShare({ group: share.group, keyExchange: serverShare.publicKey }),
          },
          ...(psk === undefined
            ? []
            : [
                {
                  type: X.pre_shared_key,
                  data: encodeServerPreSharedKey(this.#options.selectedIdentity ?? 0),
                },
              ]),
        ],
      }),
    );
    const early =
      psk === undefined ? zeroEarlySecret(this.#suite) : earlySecretFromPsk(this.#suite, psk);
    const secrets = deriveHandshakeSecretsFrom(this.#suite, early, shared, [
      clientHelloMessage,
      serverHello,
    ]);
    const acceptEarly =
      psk !== undefined && this.#options.earlyData === true && hasEarlyDataIndication(extensions);
    if (psk !== undefined) this.resumed++;
    if (acceptEarly) this.earlyDataAccepted++;
    const flight = this.#flight(psk !== undefined, acceptEarly);
    const { hash } = tls13Suite(this.#suite);
    const beforeFinished = [clientHelloMessage, serverHello, ...flight];
    const finished = encodeHandshake(
      HANDSHAKE_TYPE.finished,
      finishedVerifyData(
        this.#suite,
        secrets.serverHandshakeTrafficSecret,
        transcriptHash(hash, beforeFinished),
      ),
    );
    const transcript = [...beforeFinished, finished];
    const handshakeSealer = new RecordSealer(this.#suite, secrets.serverHandshakeTrafficSecret);
    const sealedFlight =
      psk !== undefined && this.#options.resumedFlight !== undefined
        ? this.#options.resumedFlight(handshakeSealer)
        : [handshakeSealer.seal(CONTENT_TYPE.handshake, concatBytes([...flight, finished]))];
    const writes = [encodeRecords(CONTENT_TYPE.handshake, 0x0303, serverHello), ...sealedFlight];
    // A resumed connection stops here: the probe reads no further than EncryptedExtensions.
    if (psk !== undefined) return writes;
    return [...writes, ...this.#afterFinished(transcript, secrets)];
  }

  #flight(resumed: boolean, acceptEarly: boolean): Uint8Array[] {
    const ee = encodeHandshake(
      HANDSHAKE_TYPE.encrypted_extensions,
      new ByteWriter()
        .vector(2, (w) => {
          if (acceptEarly) w.u16(earlyDataIndication().type).u16(0);
        })
        .finish(),
    );
    if (resumed) return [ee];
    const messages = [ee];
    if (this.#options.certificateRequest === true) {
      // context empty, extensions: signature_algorithms [ecdsa_secp256r1_sha256]
      messages.push(
        encodeHandshake(
          HANDSHAKE_TYPE.certificate_request,
          Uint8Array.of(0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3),
        ),
      );
    }
    messages.push(encodeHandshake(HANDSHAKE_TYPE.certificate, Uint8Array.of(0, 0, 0, 0)));
    messages.push(
      encodeHandshake(HANDSHAKE_TYPE.certificate_verify, Uint8Array.of(4, 3, 0, 4, 1, 2, 3, 4)),
    );
    return messages;
  }

  /** Tickets (or whatever the test asked for) under the application keys. */
  #afterFinished(
    transcript: readonly Uint8Array[],
    secrets: ReturnType<typeof deriveHandshakeSecretsFrom>,
  ): Uint8Array[] {
    const { hash } = tls13Suite(this.#suite);
    const app = deriveApplicationSecrets(
      this.#suite,
      secrets.handshakeSecret,
      transcriptHash(hash, transcript),
    );
    // The client's flight, as the client will send it.
    const clientMessages =
      this.#options.certificateRequest === true ? [emptyClientCertificate(new Uint8Array(0))] : [];
    clientMessages.push(
      clientFinished(
        this.#suite,
        secrets.clientHandshakeTrafficSecret,
        transcriptHash(hash, [...transcript, ...clientMessages]),
      ),
    );
    const rms = resumptionMasterSecret(
      this.#suite,
      app.masterSecret,
      transcriptHash(hash, [...transcript, ...clientMessages]),
    );
    let secret = app.serverApplicationTrafficSecret;
    let sealer = new RecordSealer(this.#suite, secret);
    const server: AfterFinished = {
      seal: (type, content) => sealer.seal(type, content),
      keyUpdate: () => {
        const record = sealer.seal(
          CONTENT_TYPE.handshake,
          encodeHandshake(HANDSHAKE_TYPE.key_update, Uint8Array.of(0)),
        );
        secret = nextTrafficSecret(this.#suite, secret);
        sealer = new RecordSealer(this.#suite, secret);
        return record;
      },
      ticket: () => {
        const nonce = Uint8Array.of(this.#nonce++);
        const ticket = new Uint8Array(randomBytes(48));
        this.#psks.set(toHex(ticket), resumptionPsk(this.#suite, rms, nonce));
        const extensions =
          this.#options.earlyData === true
            ? [{ type: X.early_data, data: encodeTicketEarlyData(FAKE_MAX_EARLY_DATA) }]
            : [];
        return encodeHandshake(
          HANDSHAKE_TYPE.new_session_ticket,
          encodeNewSessionTicket({
            lifetimeSec: 7200,
            ageAdd: 0x01020304,
            nonce,
            ticket,
            extensions,
          }),
        );
      },
    };
    const after =
      this.#options.afterFinished ??
      ((s: AfterFinished) => [
        s.seal(CONTENT_TYPE.handshake, s.ticket()),
        s.seal(CONTENT_TYPE.handshake, s.ticket()),
      ]);
    return after(server);
  }

  /** The PSK of a ticket this server issued, when the binder proves the client holds it. */
  #acceptedPsk(message: Uint8Array, hello: ClientHello): Uint8Array | 'bad-binder' | undefined {
    const extensions = hello.extensions ?? [];
    const last = extensions.at(-1);
    if (last?.type !== X.pre_shared_key || this.#options.refuseResumption === true)
      return undefined;
    const offered = decodeOfferedPsks(last.data);
    const identity = offered.identities[0];
    if (identity !== undefined) this.obfuscatedAges.push(identity.obfuscatedTicketAge);
    const psk = identity === undefined ? undefined : this.#psks.get(toHex(identity.identity));
    if (psk === undefined) return undefined;
    const { hash, hashLength } = tls13Suite(this.#suite);
    const truncated = message.subarray(0, message.length - bindersLength([hashLength]));
    const expected = pskBinder(
      this.#suite,
      binderKey(this.#suite, earlySecretFromPsk(this.#suite, psk)),
      transcriptHash(hash, [truncated]),
    );
    const binder = offered.binders[0];
    return binder !== undefined && bytesEqual(binder, expected) ? psk : 'bad-binder';
  }
}

export interface FakeConnectionOptions {
  /** Changes what the server writes (to cut it short). */
  readonly edit?: (writes: Uint8Array[]) => Uint8Array[];
  /** Runs once the answer is written (to close the connection, say). */
  readonly after?: (socket: Socket) => void;
}

/**
 * A connection handler for a TCP server: the first ClientHello of each connection gets
 * `server`'s answer; whatever the client sends after it (CCS, early data, its Finished)
 * is read and dropped.
 */
export function fakeConnection(
  server: FakeTls13Server,
  options: FakeConnectionOptions = {},
): (socket: Socket) => void {
  return (socket) => {
    const deframer = new RecordDeframer();
    const handshake = new HandshakeReassembler();
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      deframer.push(new Uint8Array(chunk));
      for (let r = deframer.next(); r !== undefined && !answered; r = deframer.next()) {
        if (r.type !== CONTENT_TYPE.handshake) continue;
        for (const message of handshake.push(r.fragment)) {
          if (message.type !== HANDSHAKE_TYPE.client_hello) continue;
          answered = true;
          const writes = server.respond(message.raw);
          for (const bytes of options.edit?.(writes) ?? writes) socket.write(bytes);
          options.after?.(socket);
        }
      }
    });
  };
}
