import type { WiretightError } from '../errors.ts';
import { type ClientHello, clientHelloRecords, encodeClientHello } from '../wire/client-hello.ts';
import type { HandshakeMessage } from '../wire/handshake.ts';
import { CONTENT_TYPE, type TlsRecord } from '../wire/record.ts';
import type { ServerHelloFacts } from '../wire/server-hello.ts';
import type { ClientKeyShare } from '../wire/tls13/key-exchange.ts';
import { deriveHandshakeSecrets } from '../wire/tls13/key-schedule.ts';
import { HandshakeDecryptor } from '../wire/tls13/record-protection.ts';
import { Tls13ServerFlight, type Tls13ServerFlightResult } from '../wire/tls13/server-flight.ts';
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
    const shared = this.#share.sharedSecret(facts.serverKeyShare ?? new Uint8Array(0));
    const secrets = deriveHandshakeSecrets(facts.cipherSuite, shared, [
      this.#hello,
      serverHello.raw,
    ]);
    return new HandshakeDecryptor(facts.cipherSuite, secrets.serverHandshakeTrafficSecret);
  }
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
  const reader = new FlightReader(encodeClientHello(hello), share);
  let failure: WiretightError | undefined;
  const outcome = await helloExchange(endpoint, clientHelloRecords(hello), {
    ...limits,
    until: 'protected',
    enough: (records, serverHello, facts) => {
      // Not our group or not TLS 1.3: nothing to decrypt, stop at once.
      if (facts.keyShareGroup !== share.group) return true;
      try {
        return reader.read(records, serverHello, facts);
      } catch (err) {
        failure = err as WiretightError;
        return true;
      }
    },
  });
  if (outcome.kind !== 'hello') return outcome;
  const facts = outcome.facts;
  if (
    facts.version !== 0x0304 ||
    facts.isHelloRetryRequest ||
    facts.keyShareGroup !== share.group
  ) {
    return { kind: 'no-flight', facts };
  }
  if (failure !== undefined) return { kind: 'malformed', error: failure };
  return { kind: 'flight', facts, flight: reader.flight.result(), complete: reader.flight.done };
}
