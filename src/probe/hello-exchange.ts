import { DecodeError, type WiretightError, isWiretightError } from '../errors.ts';
import { type Alert, parseAlert } from '../wire/alert.ts';
import { HANDSHAKE_TYPE, type HandshakeMessage, HandshakeReassembler } from '../wire/handshake.ts';
import { CONTENT_TYPE, RecordDeframer, type TlsRecord } from '../wire/record.ts';
import {
  type ServerHello,
  type ServerHelloFacts,
  parseServerHello,
  serverHelloFacts,
} from '../wire/server-hello.ts';
import type { ChunkReader } from './connection.ts';
import {
  type Endpoint,
  type EndOutcome,
  type ExchangeLimits,
  endOutcome,
  exchange,
} from './connection.ts';

/**
 * What one ClientHello got back. Refusals (alerts, a closed or reset connection, silence,
 * non-TLS bytes) are outcomes, not exceptions: a scan concludes facts from all of them.
 */
export type HelloOutcome =
  | {
      readonly kind: 'hello';
      readonly serverHello: ServerHello;
      readonly facts: ServerHelloFacts;
      /** The ServerHello and every plaintext handshake message after it that was read. */
      readonly messages: readonly HandshakeMessage[];
      /** TLS 1.3: the protected records that followed the ServerHello (when asked for). */
      readonly protectedRecords: readonly TlsRecord[];
      /** An alert that followed the ServerHello flight, if the server sent one. */
      readonly alert?: Alert;
    }
  | { readonly kind: 'alert'; readonly alert: Alert }
  | { readonly kind: 'not-tls'; readonly firstBytes: Uint8Array }
  /** Closed, reset, timed out, malformed, or no TCP connection at all. */
  | EndOutcome;

export interface HelloExchangeOptions extends ExchangeLimits {
  /**
   * When to stop reading after the ServerHello:
   * - `server-hello`: at once (enough to learn version and suite);
   * - `flight`: at ServerHelloDone (TLS ≤ 1.2: certificate, key exchange, certificate request);
   * - `protected`: TLS 1.3, keep `protectedRecords` until `enough(records)` says so.
   */
  readonly until: 'server-hello' | 'flight' | 'protected';
  readonly enough?: (
    records: readonly TlsRecord[],
    serverHello: HandshakeMessage,
    facts: ServerHelloFacts,
  ) => boolean;
}

/** Sends `hello` (complete records) on a new connection and reads the server's answer. */
export function helloExchange(
  endpoint: Endpoint,
  hello: Uint8Array,
  options: HelloExchangeOptions,
): Promise<HelloOutcome> {
  return exchange(endpoint, hello, options, (reader) => readAnswer(reader, options));
}

/**
 * Reads records until the answer is complete. Exported for probes that continue the
 * conversation themselves (a HelloRetryRequest followed by a second ClientHello).
 */
export async function readAnswer(
  reader: ChunkReader,
  options: HelloExchangeOptions,
): Promise<HelloOutcome> {
  const deframer = new RecordDeframer();
  const handshake = new HandshakeReassembler();
  const messages: HandshakeMessage[] = [];
  const protectedRecords: TlsRecord[] = [];
  let firstBytes: Uint8Array | undefined;
  let records = 0;
  let hello: { serverHello: ServerHello; facts: ServerHelloFacts } | undefined;

  type Hello = { serverHello: ServerHello; facts: ServerHelloFacts };
  const answered = (h: Hello, alert?: Alert): HelloOutcome => ({
    kind: 'hello',
    ...h,
    messages,
    protectedRecords,
    ...(alert === undefined ? {} : { alert }),
  });

  for (;;) {
    const chunk = await reader.read();
    if (!(chunk instanceof Uint8Array)) {
      // The stream ended. A complete ServerHello before the end is still an answer.
      return hello === undefined ? endOutcome(chunk) : answered(hello);
    }
    if (firstBytes === undefined && chunk.length > 0) {
      firstBytes = chunk.slice(0, 64);
      // Bytes that cannot start a TLS record: the port speaks something else (HTTP, SMTP…).
      const b0 = chunk[0] as number;
      if (b0 < 20 || b0 > 24) return { kind: 'not-tls', firstBytes };
    }
    deframer.push(chunk);
    try {
      for (let record = deframer.next(); record !== undefined; record = deframer.next()) {
        records++;
        if (record.type === CONTENT_TYPE.alert) {
          const alert = parseAlert(record.fragment);
          return hello === undefined ? { kind: 'alert', alert } : answered(hello, alert);
        }
        if (
          hello !== undefined &&
          hello.facts.version === 0x0304 &&
          !hello.facts.isHelloRetryRequest
        ) {
          // After a TLS 1.3 ServerHello everything but a compatibility CCS is protected.
          if (record.type === CONTENT_TYPE.change_cipher_spec) continue;
          protectedRecords.push(record);
          const serverHelloMessage = messages[0] as HandshakeMessage;
          if (
            options.until !== 'protected' ||
            (options.enough?.(protectedRecords, serverHelloMessage, hello.facts) ?? false)
          ) {
            return answered(hello);
          }
          continue;
        }
        if (record.type !== CONTENT_TYPE.handshake) {
          if (hello !== undefined) return answered(hello);
          return { kind: 'malformed', error: unexpected(record) };
        }
        for (const msg of handshake.push(record.fragment)) {
          if (hello === undefined) {
            if (msg.type !== HANDSHAKE_TYPE.server_hello) {
              return { kind: 'malformed', error: unexpected(record, msg.type) };
            }
            const serverHello = parseServerHello(msg.body);
            hello = { serverHello, facts: serverHelloFacts(serverHello) };
            messages.push(msg);
            if (options.until === 'server-hello' || hello.facts.isHelloRetryRequest) {
              return answered(hello);
            }
            if (hello.facts.version === 0x0304) {
              // Asked before any protected record, so a ServerHello that cannot lead to a
              // readable flight (another group, say) ends the exchange now, not at the deadline.
              if (options.enough?.([], msg, hello.facts) === true) return answered(hello);
              break;
            }
            continue;
          }
          messages.push(msg);
          if (msg.type === HANDSHAKE_TYPE.server_hello_done) return answered(hello);
        }
      }
    } catch (err) {
      // A first header that is not TLS (a byte that only looks like a content type) means
      // the service speaks something else, like an answer that starts with 'H'.
      if (
        records === 0 &&
        firstBytes !== undefined &&
        err instanceof DecodeError &&
        err.path === 'TLSPlaintext'
      ) {
        return { kind: 'not-tls', firstBytes };
      }
      if (isWiretightError(err)) return { kind: 'malformed', error: err };
      throw err;
    }
  }
}

function unexpected(record: TlsRecord, handshakeType?: number): WiretightError {
  const what =
    handshakeType === undefined
      ? `record type ${record.type} before a ServerHello`
      : `handshake type ${handshakeType} where a ServerHello was expected`;
  return new DecodeError('ServerFlight', 0, what);
}
