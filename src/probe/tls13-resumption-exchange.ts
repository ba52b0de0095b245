import { concatBytes } from '../core/bytes.ts';
import { DecodeError, type WiretightError, isWiretightError } from '../errors.ts';
import type { Alert } from '../wire/alert.ts';
import { changeCipherSpecRecord } from '../wire/change-cipher-spec.ts';
import { type ClientHello, clientHelloRecords, encodeClientHello } from '../wire/client-hello.ts';
import { findExtension } from '../wire/extensions/extension.ts';
import type { HandshakeMessage } from '../wire/handshake.ts';
import { CONTENT_TYPE, type TlsRecord } from '../wire/record.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import { type ServerHelloFacts, parseServerHello } from '../wire/server-hello.ts';
import {
  type ResumptionTicket,
  Tls13ClientSession,
  type Tls13ClientSessionOptions,
} from '../wire/tls13/client-session.ts';
import type { ClientKeyShare } from '../wire/tls13/key-exchange.ts';
import { decodeServerPreSharedKey } from '../wire/tls13/pre-shared-key.ts';
import { obfuscateTicketAge, offerPsk } from '../wire/tls13/psk-client-hello.ts';
import { clientEarlyTrafficSecret } from '../wire/tls13/psk-key-schedule.ts';
import { RecordSealer } from '../wire/tls13/record-sealer.ts';
import { isTls13Suite } from '../wire/tls13/suites.ts';
import { type ChunkReader, type Endpoint, type ExchangeLimits, exchange } from './connection.ts';
import { type HelloOutcome, readAnswer } from './hello-exchange.ts';

/**
 * TLS 1.3 session resumption and 0-RTT, one connection each, on our own wire engine (the
 * local TLS stack cannot be made to send early data on a ticket of our choosing, nor to
 * report what the server's EncryptedExtensions said about it):
 *
 * 1. `tls13TicketExchange`: a full handshake, the client's flight (an empty Certificate
 *    if asked), then protected records until a NewSessionTicket, within a short wait.
 * 2. `tls13ResumptionExchange`: a ClientHello offering that ticket (binder included) and
 *    early_data, followed at once by one 0-RTT record; the ServerHello says whether the
 *    PSK was accepted and the EncryptedExtensions whether the early data was.
 *
 * Nothing the server sends is validated (its certificate, signature or Finished): a
 * scanner only needs the server's answers.
 */

/** Why the first connection ended without a ticket. */
export type NoTicketReason =
  /** The server completed the handshake but sent no ticket within `ticketWaitMs`. */
  | 'wait-expired'
  /** The server closed (or reset) the connection without a ticket. */
  | 'closed'
  /** The exchange's deadline came first. */
  | 'deadline'
  /** The server sent an alert (after our Finished, typically certificate_required). */
  | 'alert'
  /** `maxPostHandshakeRecords` records came after the handshake and none held a ticket. */
  | 'record-limit';

export type TicketOutcome =
  | {
      readonly kind: 'ticket';
      readonly facts: ServerHelloFacts;
      readonly ticket: ResumptionTicket;
      /** When the ticket arrived, on the injected clock: its age counts from here. */
      readonly receivedAtMs: number;
      readonly certificateRequested: boolean;
    }
  | {
      readonly kind: 'no-ticket';
      readonly facts: ServerHelloFacts;
      readonly why: NoTicketReason;
      /** False when the server stopped before its Finished. */
      readonly handshakeDone: boolean;
      readonly alert?: Alert;
    }
  /** A ServerHello that is not a TLS 1.3 one with our group (HRR, TLS 1.2, another group). */
  | { readonly kind: 'no-flight'; readonly facts: ServerHelloFacts }
  | Exclude<HelloOutcome, { kind: 'hello' }>;

export type ResumptionOutcome =
  | {
      readonly kind: 'server-hello';
      readonly facts: ServerHelloFacts;
      /** The server accepted our PSK (pre_shared_key in its ServerHello). */
      readonly resumed: boolean;
      /** Whether EncryptedExtensions carried early_data; absent when they were not read. */
      readonly earlyDataAccepted?: boolean;
      /** Why EncryptedExtensions were not read (an undecryptable record, an alert…). */
      readonly error?: WiretightError;
      readonly alert?: Alert;
    }
  | { readonly kind: 'no-flight'; readonly facts: ServerHelloFacts }
  | Exclude<HelloOutcome, { kind: 'hello' }>;

export interface TicketExchangeOptions extends ExchangeLimits {
  /** How long to wait for a ticket once our Finished is sent (within the deadline). */
  readonly ticketWaitMs?: number;
  /** Protected records read after the handshake before giving up on a ticket. */
  readonly maxPostHandshakeRecords?: number;
  /** Milliseconds clock for the ticket's age; Date.now by default. */
  readonly now?: () => number;
}

export const DEFAULT_TICKET_WAIT_MS = 1000;
export const DEFAULT_MAX_POST_HANDSHAKE_RECORDS = 16;

const EMPTY = new Uint8Array(0);

/** True when the ServerHello is a TLS 1.3 one for the group we made a share for. */
function isOurs(facts: ServerHelloFacts, share: ClientKeyShare): boolean {
  return (
    facts.version === 0x0304 && !facts.isHelloRetryRequest && facts.keyShareGroup === share.group
  );
}

/** The session for a ServerHello of ours; a suite that is not TLS 1.3's is a hostile lie. */
function startSession(
  facts: ServerHelloFacts,
  serverHello: HandshakeMessage,
  share: ClientKeyShare,
  options: Omit<Tls13ClientSessionOptions, 'suite' | 'serverHello' | 'sharedSecret'>,
): Tls13ClientSession {
  const suite = facts.cipherSuite;
  if (!isTls13Suite(suite)) {
    throw new DecodeError(
      'ServerHello.cipher_suite',
      0,
      `0x${suite.toString(16).padStart(4, '0')} is not a TLS 1.3 suite`,
    );
  }
  return new Tls13ClientSession({
    ...options,
    suite,
    serverHello: serverHello.raw,
    sharedSecret: share.sharedSecret(facts.serverKeyShare ?? EMPTY),
  });
}

function caught(err: unknown): WiretightError {
  if (isWiretightError(err)) return err;
  throw err;
}

type FlightStep = (
  records: readonly TlsRecord[],
  serverHello: HandshakeMessage,
  facts: ServerHelloFacts,
) => boolean;

/**
 * Reads the answer; after a ServerHello of ours, feeds the protected records to `step`
 * until it has enough. Any other ServerHello ends the read at once. What the server sent
 * that does not decrypt or parse goes to `onError` and ends it too.
 */
function readOurFlight(
  reader: ChunkReader,
  options: ExchangeLimits,
  share: ClientKeyShare,
  step: FlightStep,
  onError: (err: WiretightError) => void,
): Promise<HelloOutcome> {
  return readAnswer(reader, {
    ...options,
    until: 'protected',
    enough: (records, serverHello, facts) => {
      if (!isOurs(facts, share)) return true;
      try {
        return step(records, serverHello, facts);
      } catch (err) {
        onError(caught(err));
        return true;
      }
    },
  });
}

/**
 * A full TLS 1.3 handshake for a ticket. `hello` must carry a key share made from `share`,
 * for the only group it offers, so the server cannot ask for another.
 */
export function tls13TicketExchange(
  endpoint: Endpoint,
  hello: ClientHello,
  share: ClientKeyShare,
  options: TicketExchangeOptions,
): Promise<TicketOutcome> {
  const clientHello = encodeClientHello(hello);
  return exchange(endpoint, clientHelloRecords(hello), options, (reader) =>
    readTicket(reader, clientHello, share, options),
  );
}

async function readTicket(
  reader: ChunkReader,
  clientHello: Uint8Array,
  share: ClientKeyShare,
  options: TicketExchangeOptions,
): Promise<TicketOutcome> {
  const now = options.now ?? Date.now;
  const maxRecords = options.maxPostHandshakeRecords ?? DEFAULT_MAX_POST_HANDSHAKE_RECORDS;
  let session: Tls13ClientSession | undefined;
  let opened = 0;
  let afterHandshake = 0;
  let ticket: { ticket: ResumptionTicket; receivedAtMs: number } | undefined;
  let alert: Alert | undefined;
  let failure: WiretightError | undefined;
  let waitExpired = false;
  let timer: NodeJS.Timeout | undefined;

  const step = (records: readonly TlsRecord[], sh: HandshakeMessage, facts: ServerHelloFacts) => {
    session ??= startSession(facts, sh, share, { clientHello });
    for (; opened < records.length; opened++) {
      const wasDone = session.handshakeDone;
      const received = session.receive(records[opened] as TlsRecord);
      if (received.send !== undefined) {
        reader.write(received.send);
        // A server that issues tickets does so right after the handshake; past the wait,
        // it is not going to.
        timer = setTimeout(() => {
          waitExpired = true;
          reader.close();
        }, options.ticketWaitMs ?? DEFAULT_TICKET_WAIT_MS);
      }
      if (received.alert !== undefined) {
        alert = received.alert;
        return true;
      }
      const first = received.tickets[0];
      if (first !== undefined) {
        ticket = { ticket: session.resumptionTicket(first), receivedAtMs: now() };
        return true;
      }
      if (wasDone && ++afterHandshake >= maxRecords) return true;
    }
    return false;
  };

  let outcome: HelloOutcome;
  try {
    outcome = await readOurFlight(reader, options, share, step, (err) => {
      failure = err;
    });
  } finally {
    clearTimeout(timer);
  }
  if (outcome.kind !== 'hello') return outcome;
  const { facts } = outcome;
  if (!isOurs(facts, share)) return { kind: 'no-flight', facts };
  if (failure !== undefined) return { kind: 'malformed', error: failure };
  const certificateRequested = session?.flight.certificateRequest !== undefined;
  if (ticket !== undefined) return { kind: 'ticket', facts, ...ticket, certificateRequested };
  const handshakeDone = session?.handshakeDone ?? false;
  alert ??= outcome.alert;
  const why: NoTicketReason =
    alert !== undefined
      ? 'alert'
      : waitExpired
        ? 'wait-expired'
        : reader.aborted
          ? 'deadline'
          : afterHandshake >= maxRecords
            ? 'record-limit'
            : 'closed';
  return {
    kind: 'no-ticket',
    facts,
    why,
    handshakeDone,
    ...(alert === undefined ? {} : { alert }),
  };
}

export interface ResumptionAttempt {
  /** The hello to offer the ticket in: early_data (if 0-RTT is tried) and a key share, no PSK. */
  readonly hello: ClientHello;
  readonly share: ClientKeyShare;
  readonly ticket: ResumptionTicket;
  readonly receivedAtMs: number;
  /** The 0-RTT payload, sent in one record after the hello; omit to try resumption only. */
  readonly earlyData?: Uint8Array;
}

export interface ResumptionExchangeOptions extends ExchangeLimits {
  readonly now?: () => number;
}

/**
 * A ClientHello offering the ticket, then (with early data) a change_cipher_spec record and
 * one 0-RTT record under the client early traffic secret, all in one write; then the
 * ServerHello and the EncryptedExtensions.
 */
export function tls13ResumptionExchange(
  endpoint: Endpoint,
  attempt: ResumptionAttempt,
  options: ResumptionExchangeOptions,
): Promise<ResumptionOutcome> {
  const { ticket, share } = attempt;
  const ageMs = Math.max(0, Math.round((options.now ?? Date.now)() - attempt.receivedAtMs));
  const offer = offerPsk(attempt.hello, {
    suite: ticket.suite,
    psk: ticket.psk,
    identity: ticket.ticket.ticket,
    obfuscatedTicketAge: obfuscateTicketAge(ticket.ticket.ageAdd, ageMs),
  });
  const parts = [clientHelloRecords(offer.hello)];
  let earlySealer: RecordSealer | undefined;
  if (attempt.earlyData !== undefined) {
    earlySealer = new RecordSealer(
      ticket.suite,
      clientEarlyTrafficSecret(ticket.suite, offer.earlySecret, offer.message),
    );
    // Middlebox compatibility: with 0-RTT the client's CCS follows its first hello (§D.4).
    parts.push(changeCipherSpecRecord(0x0303));
    parts.push(earlySealer.seal(CONTENT_TYPE.application_data, attempt.earlyData));
  }
  return exchange(endpoint, concatBytes(parts), options, (reader) =>
    readResumption(reader, offer.message, offer.earlySecret, share, earlySealer, options),
  );
}

async function readResumption(
  reader: ChunkReader,
  clientHello: Uint8Array,
  earlySecret: Uint8Array,
  share: ClientKeyShare,
  earlySealer: RecordSealer | undefined,
  options: ExchangeLimits,
): Promise<ResumptionOutcome> {
  let session: Tls13ClientSession | undefined;
  let resumed: boolean | undefined;
  let opened = 0;
  let alert: Alert | undefined;
  let error: WiretightError | undefined;

  const step = (records: readonly TlsRecord[], sh: HandshakeMessage, facts: ServerHelloFacts) => {
    if (session === undefined) {
      resumed = acceptedPsk(sh);
      session = startSession(facts, sh, share, {
        clientHello,
        ...(resumed ? { earlySecret } : {}),
        ...(earlySealer === undefined ? {} : { earlySealer }),
        compatibilityCcs: false,
      });
    }
    for (; opened < records.length; opened++) {
      const received = session.receive(records[opened] as TlsRecord);
      if (received.alert !== undefined) {
        alert = received.alert;
        return true;
      }
      if (session.flight.encryptedExtensions !== undefined) return true;
    }
    return false;
  };

  const outcome = await readOurFlight(reader, options, share, step, (err) => {
    error = err;
  });
  if (outcome.kind !== 'hello') return outcome;
  const { facts } = outcome;
  if (!isOurs(facts, share)) return { kind: 'no-flight', facts };
  // enough() runs on every TLS 1.3 ServerHello: no session means the ServerHello itself
  // was unusable (a selected_identity we never offered, a bad key share) and it threw.
  if (resumed === undefined || session === undefined) {
    return { kind: 'malformed', error: error as WiretightError };
  }
  // EncryptedExtensions count only when read without error (their early_data included).
  const read = session.flight.encryptedExtensions !== undefined && error === undefined;
  alert ??= outcome.alert;
  return {
    kind: 'server-hello',
    facts,
    resumed,
    ...(read ? { earlyDataAccepted: session.earlyDataAccepted } : {}),
    ...(error === undefined ? {} : { error }),
    ...(alert === undefined ? {} : { alert }),
  };
}

/** Whether the ServerHello accepted the one PSK we offered; any other index is a lie. */
function acceptedPsk(serverHello: HandshakeMessage): boolean {
  const extensions = parseServerHello(serverHello.body).extensions ?? [];
  const psk = findExtension(extensions, X.pre_shared_key);
  if (psk === undefined) return false;
  const selected = decodeServerPreSharedKey(psk.data);
  if (selected !== 0) {
    throw new DecodeError(
      'ServerHello.pre_shared_key',
      0,
      `selected_identity ${selected}, but one PSK was offered`,
    );
  }
  return true;
}
