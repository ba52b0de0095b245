// A scripted TLS ≤ 1.2 server built on wiretight's own wire codec, on 127.0.0.1 port 0,
// that can play each flaw the active vulnerability probes look for (Heartbleed, early CCS
// acceptance, an RSA padding oracle, DEFLATE, no TLS_FALLBACK_SCSV, no renegotiation_info)
// or its patched behaviour, plus misbehaviour after its flight for the hostile-input tests.
// No local TLS stack can still be made vulnerable, so the vulnerable side comes from here;
// the patched side is also checked against real servers (openssl s_server, nginx, gnutls).
//
// The server negotiates an RSA key-exchange suite and sends ServerHello, Certificate and
// ServerHelloDone; it never completes a handshake (it has no record protection), which no
// probe needs: every probe ends before or at the client's Finished.
import { KeyObject, constants, createPrivateKey, privateDecrypt, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { ByteWriter, concatBytes } from '../../src/core/bytes.ts';
import { encodeAlert, parseAlert } from '../../src/wire/alert.ts';
import { parseClientHello, type ClientHello } from '../../src/wire/client-hello.ts';
import { parseRsaClientKeyExchange } from '../../src/wire/client-key-exchange.ts';
import { type Extension, findExtension } from '../../src/wire/extensions/extension.ts';
import { encodeHeartbeat } from '../../src/wire/extensions/heartbeat.ts';
import { encodeRenegotiationInfo } from '../../src/wire/extensions/renegotiation-info.ts';
import { HANDSHAKE_TYPE, HandshakeReassembler, encodeHandshake } from '../../src/wire/handshake.ts';
import {
  HEARTBEAT_MESSAGE_TYPE,
  HEARTBEAT_MIN_PADDING,
  encodeHeartbeatMessage,
  parseHeartbeatMessage,
} from '../../src/wire/heartbeat.ts';
import {
  CONTENT_TYPE,
  RecordDeframer,
  type TlsRecord,
  encodeRecords,
} from '../../src/wire/record.ts';
import {
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
  TLS_FALLBACK_SCSV,
} from '../../src/wire/registry/cipher-suites.ts';
import { EXTENSION_TYPES as X } from '../../src/wire/registry/extension-types.ts';
import { type PremasterVariant, classifyPremasterBlock } from '../../src/wire/rsa-premaster.ts';
import { encodeServerHelloBody } from '../../src/wire/server-hello.ts';
import { type HostileServer, listen } from './hostile-server.ts';

export interface VulnerableServerOptions {
  /** The leaf certificate (DER) and its RSA private key (PEM or KeyObject). */
  readonly certificate: Uint8Array;
  readonly key: string | Buffer | KeyObject;
  /** Versions spoken; default TLS 1.0 to TLS 1.2. */
  readonly versions?: readonly number[];
  /** Suites in the server's order; default TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_CBC_SHA. */
  readonly suites?: readonly number[];
  /** `bleeds`: answers with as many payload bytes as claimed; `patched`: drops such requests. */
  readonly heartbeat?: 'off' | 'bleeds' | 'patched';
  /** `accept`: takes a CCS before the key exchange in silence (CVE-2014-0224). */
  readonly earlyCcs?: 'accept' | 'refuse';
  /**
   * How a ClientKeyExchange is answered. `uniform`: every block like a correct one (the
   * Finished then fails); `strong-oracle`/`weak-oracle`: alerts that depend on the padding;
   * `erratic`: an alert that alternates with each connection, whatever the block.
   */
  readonly rsaPadding?: 'uniform' | 'strong-oracle' | 'weak-oracle' | 'erratic';
  /** Choose DEFLATE when offered. */
  readonly compression?: boolean;
  readonly fallbackScsv?: 'honour' | 'ignore';
  /** Acknowledge RFC 5746 secure renegotiation. */
  readonly renegotiationInfo?: boolean;
  /** What the server does with the first record after its flight instead of answering it. */
  readonly afterFlight?: 'answer' | 'absurd-heartbeat' | 'truncated-record' | 'reset' | 'silent';
}

/** Every flaw at once: what each probe must report as vulnerable. */
export const ALL_FLAWS = {
  heartbeat: 'bleeds',
  earlyCcs: 'accept',
  rsaPadding: 'strong-oracle',
  compression: true,
  fallbackScsv: 'ignore',
  renegotiationInfo: false,
} as const satisfies Partial<VulnerableServerOptions>;

/** Bytes a bleeding server hands out after the real payload: stands for its memory. */
export const LEAKED_MEMORY = new TextEncoder().encode(
  '-----BEGIN RSA PRIVATE KEY----- not really '.repeat(64),
);

const ALERT = {
  unexpected_message: 10,
  bad_record_mac: 20,
  handshake_failure: 40,
  illegal_parameter: 47,
  decode_error: 50,
  protocol_version: 70,
  inappropriate_fallback: 86,
} as const;

/** The alert (or `finish`: wait for the Finished, then bad_record_mac) for each block. */
const ORACLES: Record<
  'strong-oracle' | 'weak-oracle',
  Record<PremasterVariant, number | 'finish'>
> = {
  'strong-oracle': {
    valid: 'finish',
    'wrong-first-bytes': ALERT.handshake_failure,
    'zero-wrong-position': ALERT.illegal_parameter,
    'no-zero-separator': ALERT.illegal_parameter,
    'wrong-version': 'finish',
  },
  'weak-oracle': {
    valid: 'finish',
    'wrong-first-bytes': ALERT.handshake_failure,
    'zero-wrong-position': ALERT.handshake_failure,
    'no-zero-separator': ALERT.handshake_failure,
    'wrong-version': 'finish',
  },
};

type Settings = Required<Omit<VulnerableServerOptions, 'key'>> & { key: KeyObject };

/** Starts the server; every option left out takes its patched value. */
export function startVulnerableServer(options: VulnerableServerOptions): Promise<HostileServer> {
  const settings: Settings = {
    versions: [0x0301, 0x0302, 0x0303],
    suites: [0x009c, 0x002f],
    heartbeat: 'off',
    earlyCcs: 'refuse',
    rsaPadding: 'uniform',
    compression: false,
    fallbackScsv: 'honour',
    renegotiationInfo: true,
    afterFlight: 'answer',
    ...options,
    key: options.key instanceof KeyObject ? options.key : createPrivateKey(options.key),
  };
  return listen((socket, connection) => {
    const conversation = new Conversation(socket, settings, connection);
    socket.on('data', (chunk: Buffer) => conversation.receive(chunk));
  });
}

/** One connection, record by record. */
class Conversation {
  readonly #socket: Socket;
  readonly #s: Settings;
  readonly #number: number;
  readonly #deframer = new RecordDeframer();
  readonly #handshake = new HandshakeReassembler();
  #hello: ClientHello | undefined;
  #version = 0x0301;
  #flightSent = false;
  #ccs = false;
  #keyExchange = false;
  #done = false;

  constructor(socket: Socket, settings: Settings, number: number) {
    this.#socket = socket;
    this.#s = settings;
    this.#number = number;
  }

  receive(chunk: Buffer): void {
    if (this.#done) return;
    this.#deframer.push(new Uint8Array(chunk));
    try {
      for (
        let r = this.#deframer.next();
        r !== undefined && !this.#done;
        r = this.#deframer.next()
      ) {
        if (this.#flightSent) this.#afterFlight(r);
        else this.#beforeFlight(r);
      }
    } catch {
      this.#fail(ALERT.decode_error);
    }
  }

  #write(type: number, payload: Uint8Array): void {
    this.#socket.write(encodeRecords(type, this.#version, payload));
  }

  /** A fatal alert, then the connection is closed. */
  #fail(description: number): void {
    if (this.#done) return;
    this.#write(CONTENT_TYPE.alert, encodeAlert(2, description));
    this.#done = true;
    this.#socket.end();
  }

  #beforeFlight(record: TlsRecord): void {
    if (record.type !== CONTENT_TYPE.handshake) return this.#fail(ALERT.unexpected_message);
    const message = this.#handshake.push(record.fragment)[0];
    if (message === undefined) return;
    if (message.type !== HANDSHAKE_TYPE.client_hello) return this.#fail(ALERT.unexpected_message);
    this.#answerHello(parseClientHello(message.body));
  }

  #answerHello(hello: ClientHello): void {
    this.#hello = hello;
    const s = this.#s;
    const highest = Math.max(...s.versions);
    const version = Math.min(hello.legacyVersion, highest);
    if (!s.versions.includes(version)) return this.#fail(ALERT.protocol_version);
    this.#version = version;
    if (
      s.fallbackScsv === 'honour' &&
      hello.cipherSuites.includes(TLS_FALLBACK_SCSV) &&
      hello.legacyVersion < highest
    ) {
      return this.#fail(ALERT.inappropriate_fallback);
    }
    const suite = s.suites.find((id) => hello.cipherSuites.includes(id));
    if (suite === undefined) return this.#fail(ALERT.handshake_failure);
    const offered = hello.extensions ?? [];
    const extensions: Extension[] = [];
    const secureRenegotiation =
      findExtension(offered, X.renegotiation_info) !== undefined ||
      hello.cipherSuites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    if (s.renegotiationInfo && secureRenegotiation) {
      extensions.push({ type: X.renegotiation_info, data: encodeRenegotiationInfo() });
    }
    if (s.heartbeat !== 'off' && findExtension(offered, X.heartbeat) !== undefined) {
      extensions.push({ type: X.heartbeat, data: encodeHeartbeat(1) });
    }
    const serverHello = encodeServerHelloBody({
      legacyVersion: version,
      random: new Uint8Array(randomBytes(32)),
      sessionId: new Uint8Array(0),
      cipherSuite: suite,
      compressionMethod: s.compression && hello.compressionMethods.includes(1) ? 1 : 0,
      extensions: hello.extensions === null ? null : extensions,
    });
    const certificate = new ByteWriter().vector(3, (w) => w.vectorOf(3, s.certificate)).finish();
    this.#write(
      CONTENT_TYPE.handshake,
      concatBytes([
        encodeHandshake(HANDSHAKE_TYPE.server_hello, serverHello),
        encodeHandshake(HANDSHAKE_TYPE.certificate, certificate),
        encodeHandshake(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0)),
      ]),
    );
    this.#flightSent = true;
  }

  #afterFlight(record: TlsRecord): void {
    switch (this.#s.afterFlight) {
      case 'silent':
        return;
      case 'reset':
        this.#done = true;
        this.#socket.resetAndDestroy();
        return;
      case 'truncated-record':
        // A header announcing 100 bytes, 10 of them, and the end.
        this.#done = true;
        this.#socket.end(
          concatBytes([Uint8Array.of(CONTENT_TYPE.alert, 3, 3, 0, 100), new Uint8Array(10)]),
        );
        return;
      case 'absurd-heartbeat':
        this.#done = true;
        this.#write(CONTENT_TYPE.heartbeat, Uint8Array.of(2, 0xff, 0xff, 1, 2, 3, 4));
        return;
      case 'answer':
        break;
    }
    switch (record.type) {
      case CONTENT_TYPE.heartbeat:
        return this.#heartbeat(record.fragment);
      case CONTENT_TYPE.change_cipher_spec:
        if (!this.#keyExchange && this.#s.earlyCcs === 'refuse') {
          return this.#fail(ALERT.unexpected_message);
        }
        this.#ccs = true;
        return;
      case CONTENT_TYPE.handshake:
        // After a CCS the record is encrypted under keys this server does not have.
        if (this.#ccs) return this.#fail(ALERT.bad_record_mac);
        for (const message of this.#handshake.push(record.fragment)) {
          if (message.type === HANDSHAKE_TYPE.client_key_exchange)
            this.#keyExchangeFrom(message.body);
          else if (message.type !== HANDSHAKE_TYPE.certificate)
            this.#fail(ALERT.unexpected_message);
        }
        return;
      case CONTENT_TYPE.alert:
        if (this.#ccs) return this.#fail(ALERT.bad_record_mac);
        if (record.fragment.length !== 2) return this.#fail(ALERT.decode_error);
        if (parseAlert(record.fragment).level === 'fatal') {
          this.#done = true;
          this.#socket.end();
        }
        return;
      default:
        return this.#fail(this.#ccs ? ALERT.bad_record_mac : ALERT.unexpected_message);
    }
  }

  #heartbeat(fragment: Uint8Array): void {
    const s = this.#s;
    if (s.heartbeat === 'off') return this.#fail(ALERT.unexpected_message);
    const request = parseHeartbeatMessage(fragment);
    if (request.type !== HEARTBEAT_MESSAGE_TYPE.heartbeat_request) return;
    const fits = 3 + request.payloadLength + HEARTBEAT_MIN_PADDING <= fragment.length;
    // RFC 6520 §4: a message that does not fit its record is dropped without a word.
    if (s.heartbeat === 'patched' && !fits) return;
    const payload = concatBytes([fragment.subarray(3), LEAKED_MEMORY]).subarray(
      0,
      request.payloadLength,
    );
    this.#write(
      CONTENT_TYPE.heartbeat,
      encodeHeartbeatMessage({
        type: HEARTBEAT_MESSAGE_TYPE.heartbeat_response,
        payloadLength: request.payloadLength,
        payload,
        padding: new Uint8Array(randomBytes(HEARTBEAT_MIN_PADDING)),
      }),
    );
  }

  #keyExchangeFrom(body: Uint8Array): void {
    this.#keyExchange = true;
    const s = this.#s;
    if (s.rsaPadding === 'erratic') {
      return this.#fail(this.#number % 2 === 0 ? ALERT.handshake_failure : ALERT.illegal_parameter);
    }
    if (s.rsaPadding === 'uniform') return;
    const encrypted = parseRsaClientKeyExchange(body, this.#version);
    const block = privateDecrypt({ key: s.key, padding: constants.RSA_NO_PADDING }, encrypted);
    const variant = classifyPremasterBlock(new Uint8Array(block), this.#hello?.legacyVersion ?? 0);
    const answer = ORACLES[s.rsaPadding][variant];
    if (answer !== 'finish') this.#fail(answer);
  }
}
