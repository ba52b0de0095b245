import { DecodeError, type WiretightError, isWiretightError } from '../errors.ts';
import { type ClientHello, clientHelloRecords, encodeClientHello } from '../wire/client-hello.ts';
import type { HandshakeMessage } from '../wire/handshake.ts';
import { CONTENT_TYPE, type TlsRecord } from '../wire/record.ts';
import type { ServerHelloFacts } from '../wire/server-hello.ts';
import type { ClientKeyShare } from '../wire/tls13/key-exchange.ts';
import { deriveHandshakeSecrets } from '../wire/tls13/key-schedule.ts';
import { HandshakeDecryptor } from '../wire/tls13/record-protection.ts';
import { Tls13ServerFlight, type Tls13ServerFlightResult } from '../wire/tls13/server-flight.ts';
import { isTls13Suite } from '../wire/tls13/suites.ts';
import type { ExchangeLimits, Endpoint } from './connection.ts';
import { type HelloOutcome, helloExchange } from './hello-exchange.ts';

/**
 * A TLS 1.3 server's encrypted first flight, read and decrypted on one connection:
 * EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify, Finished.
 * `complete` is false when the server stopped before Finished (the parts read are kept).
 */
export type Tls13FlightOutcome =
  | {
      readonly kind: 'flight';
      readonly facts: ServerHelloFacts;
      readonly flight: Tls13ServerFlightResult;
      readonly complete: boolean;
    }
  /** A ServerHello that is not a TLS 1.3 one with our group (HRR, TLS 1.2, another group). */
  | { readonly kind: 'no-flight'; readonly facts: ServerHelloFacts }
  | Exclude<HelloOutcome, { kind: 'hello' }>;

/** The encrypted flight of a TLS 1.3 answer, as far as it could be read. */
export interface DecryptedFlight {
  /** The messages read before the server stopped or `error` struck. */
  readonly flight: Tls13ServerFlightResult;
  /** The server's Finished was read. */
  readonly complete: boolean;
  /** Why reading stopped: a server share, record or message that did not check out. */
  readonly error?: WiretightError;
}

/**
 * What a replayed ClientHello got back: the answer as `helloExchange` reads it (for
 * TLS ≤ 1.2 every message to ServerHelloDone), and for a TLS 1.3 ServerHello whose group
 * one of the hello's shares is for, the flight decrypted with that share.
 */
export type ReplayOutcome =
  | Exclude<HelloOutcome, { kind: 'hello' }>
  | (Extract<HelloOutcome, { kind: 'hello' }> & { readonly decrypted?: DecryptedFlight });

/**
 * Decrypts protected records as they arrive, so reading stops at the server's Finished
 * instead of waiting for a close or a deadline.
 */
class FlightReader {
  readonly #hello: Uint8Array;
  readonly #share: ClientKeyShare;
  readonly #flight = new Tls13ServerFlight();
  #decryptor: HandshakeDecryptor | undefined;
  #opened = 0;

  constructor(clientHello: Uint8Array, share: ClientKeyShare) {
    this.#hello = clientHello;
    this.#share = share;
  }

  get flight(): Tls13ServerFlight {
    return this.#flight;
  }

  /** Throws a WiretightError for a bad key share, a record that fails to decrypt, or a bad message. */
  read(
    records: readonly TlsRecord[],
    serverHello: HandshakeMessage,
    facts: ServerHelloFacts,
  ): boolean {
    this.#decryptor ??= this.#keys(serverHello, facts);
    for (; this.#opened < records.length; this.#opened++) {
      const opened = this.#decryptor.open(records[this.#opened] as TlsRecord);
      if (opened.contentType === CONTENT_TYPE.handshake) this.#flight.push(opened.content);
      if (this.#flight.done) return true;
    }
    return false;
  }

  #keys(serverHello: HandshakeMessage, facts: ServerHelloFacts): HandshakeDecryptor {
    if (!isTls13Suite(facts.cipherSuite)) {
      // legacy_version, random, then the session id with its length byte before the suite.
      const at = 2 + 32 + 1 + (serverHello.body[34] ?? 0);
      throw new DecodeError('ServerHello.cipher_suite', at, 'not a TLS 1.3 cipher suite');
    }
    const shared = this.#share.sharedSecret(facts.serverKeyShare ?? new Uint8Array(0));
    const secrets = deriveHandshakeSecrets(facts.cipherSuite, shared, [
      this.#hello,
      serverHello.raw,
    ]);
    return new HandshakeDecryptor(facts.cipherSuite, secrets.serverHandshakeTrafficSecret);
  }
}

/** One TLS 1.3 read: the answer, and the reader of the share the server picked, if any. */
interface FlightRead {
  readonly outcome: HelloOutcome;
  readonly reader: FlightReader | undefined;
  readonly failure: WiretightError | undefined;
}

/**
 * Sends `hello` and reads the answer with `until: 'protected'`; a TLS 1.3 ServerHello for
 * the group of one of `shares` has its flight decrypted with that share as it arrives.
 */
async function readFlight(
  endpoint: Endpoint,
  hello: ClientHello,
  shares: readonly ClientKeyShare[],
  limits: ExchangeLimits,
): Promise<FlightRead> {
  const transcriptHello = encodeClientHello(hello);
  let reader: FlightReader | undefined;
  let failure: WiretightError | undefined;
  const outcome = await helloExchange(endpoint, clientHelloRecords(hello), {
    ...limits,
    until: 'protected',
    enough: (records, serverHello, facts) => {
      if (reader === undefined) {
        const share = shares.find((s) => s.group === facts.keyShareGroup);
        // No share for the server's group: nothing to decrypt, stop at once.
        if (share === undefined) return true;
        reader = new FlightReader(transcriptHello, share);
      }
      try {
        return reader.read(records, serverHello, facts);
      } catch (err) {
        if (!isWiretightError(err)) throw err;
        failure = err;
        return true;
      }
    },
  });
  return { outcome, reader, failure };
}

/**
 * Sends `hello` (which must carry a key share made from `share`, for the only group it
 * offers, so the server cannot ask for another) and reads the encrypted flight.
 */
export async function tls13FlightExchange(
  endpoint: Endpoint,
  hello: ClientHello,
  share: ClientKeyShare,
  limits: ExchangeLimits,
): Promise<Tls13FlightOutcome> {
  const { outcome, reader, failure } = await readFlight(endpoint, hello, [share], limits);
  if (outcome.kind !== 'hello') return outcome;
  if (reader === undefined) return { kind: 'no-flight', facts: outcome.facts };
  if (failure !== undefined) return { kind: 'malformed', error: failure };
  return {
    kind: 'flight',
    facts: outcome.facts,
    flight: reader.flight.result(),
    complete: reader.flight.done,
  };
}

/**
 * Sends `hello` exactly as given, as the client it was recorded from would, and reads the
 * answer: to ServerHelloDone for TLS ≤ 1.2; for TLS 1.3, when the server's group is that of
 * one of `shares` (the key pairs behind the hello's key_share entries), the encrypted
 * flight to the server's Finished, so certificate, CertificateVerify and ALPN cost no
 * second connection. A HelloRetryRequest or a group without a share ends the read at the
 * ServerHello. A flight that does not decrypt or parse is `decrypted.error`, never a throw.
 */
export async function replayExchange(
  endpoint: Endpoint,
  hello: ClientHello,
  shares: readonly ClientKeyShare[],
  limits: ExchangeLimits,
): Promise<ReplayOutcome> {
  const { outcome, reader, failure } = await readFlight(endpoint, hello, shares, limits);
  if (outcome.kind !== 'hello' || reader === undefined) return outcome;
  const decrypted: DecryptedFlight = {
    flight: reader.flight.result(),
    complete: failure === undefined && reader.flight.done,
    ...(failure === undefined ? {} : { error: failure }),
  };
  return { ...outcome, decrypted };
}
