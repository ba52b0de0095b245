import type { WiretightError } from '../../errors.ts';
import type { Endpoint, ExchangeLimits } from '../../probe/connection.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import {
  type NoTicketReason,
  type ResumptionOutcome,
  type TicketOutcome,
  tls13ResumptionExchange,
  tls13TicketExchange,
} from '../../probe/tls13-resumption-exchange.ts';
import { buildClientHello } from '../../wire/client-hello.ts';
import { earlyDataIndication } from '../../wire/tls13/early-data.ts';
import { generateKeyShare, isKeyShareAvailable } from '../../wire/tls13/key-exchange.ts';
import { isTls13Suite } from '../../wire/tls13/suites.ts';
import { tls13Hello } from '../hello-profiles.ts';

/**
 * Does the server accept TLS 1.3 early data (0-RTT), which an attacker can replay? Two
 * connections at most: a full handshake for a ticket, then a resumption with that ticket
 * that sends early data with its ClientHello. Facts are plain JSON for the report.
 */
export interface EarlyDataFacts {
  /** A usable NewSessionTicket arrived after the full handshake. */
  readonly ticketIssued: boolean;
  readonly ticketLifetimeSec?: number;
  /** The ticket's early_data max_early_data_size: present when it allows 0-RTT at all. */
  readonly maxEarlyDataSize?: number;
  /** The server accepted the ticket (pre_shared_key in its ServerHello); null: not known. */
  readonly resumed: boolean | null;
  /** EncryptedExtensions carried early_data after 0-RTT was sent; null: not known. */
  readonly earlyDataAccepted: boolean | null;
  /** Why a null is a null, or why resumption did not happen. */
  readonly reason?: string;
}

export interface EarlyDataProbeOptions {
  readonly sni: string | undefined;
  /** TLS 1.3 suites the server accepts; the first handshake offers them all. */
  readonly suites: readonly number[];
  /** A group the server accepts that this Node can make a share for (isKeyShareAvailable). */
  readonly group: number;
  /** One deadline per connection, so the probe takes at most twice `timeoutMs`. */
  readonly limits: ExchangeLimits;
  /** How long to wait for a ticket after the handshake (within the deadline). */
  readonly ticketWaitMs?: number;
  /**
   * The 0-RTT payload. Empty by default: an empty application_data record is enough for
   * the server to accept or refuse 0-RTT, and gives the application nothing to act on.
   */
  readonly earlyData?: Uint8Array;
  readonly now?: () => number;
}

/** Connections the probe makes at most. */
export const EARLY_DATA_PROBE_CONNECTIONS = 2;

export async function probeEarlyData(
  endpoint: Endpoint,
  options: EarlyDataProbeOptions,
): Promise<EarlyDataFacts> {
  const suites = options.suites.filter(isTls13Suite);
  if (suites.length === 0) throw new RangeError('probeEarlyData needs at least one TLS 1.3 suite');
  if (!isKeyShareAvailable(options.group)) {
    throw new RangeError(`no key share can be made for group 0x${options.group.toString(16)}`);
  }
  const hello = (offered: readonly number[], early: boolean) => {
    const share = generateKeyShare(options.group);
    const base = tls13Hello(offered, [options.group], options.sni, [
      { group: share.group, keyExchange: share.publicKey },
    ]);
    return {
      share,
      hello: buildClientHello(early ? { ...base, extraExtensions: [earlyDataIndication()] } : base),
    };
  };
  const clock = options.now === undefined ? {} : { now: options.now };
  const first = hello(suites, false);
  const ticket = await tls13TicketExchange(endpoint, first.hello, first.share, {
    ...options.limits,
    ...clock,
    ...(options.ticketWaitMs === undefined ? {} : { ticketWaitMs: options.ticketWaitMs }),
  });
  if (ticket.kind !== 'ticket') return concludeEarlyData(ticket);
  // 0-RTT must use the ticket's own suite (RFC 8446 §4.2.10), so offer only that one.
  const second = hello([ticket.ticket.suite], true);
  const resumption = await tls13ResumptionExchange(
    endpoint,
    {
      hello: second.hello,
      share: second.share,
      ticket: ticket.ticket,
      receivedAtMs: ticket.receivedAtMs,
      earlyData: options.earlyData ?? new Uint8Array(0),
    },
    { ...options.limits, ...clock },
  );
  return concludeEarlyData(ticket, resumption);
}

const NO_TICKET: Readonly<Record<NoTicketReason, string>> = {
  'wait-expired': 'the server completed the handshake but sent no NewSessionTicket',
  closed: 'the server closed the connection without sending a NewSessionTicket',
  deadline: 'no NewSessionTicket before the deadline',
  alert: 'the server sent an alert instead of a NewSessionTicket',
  'record-limit': 'the server sent records after the handshake but no NewSessionTicket',
};

type EndedOutcome = Exclude<HelloOutcome, { kind: 'hello' }>;

function ended(outcome: EndedOutcome): string {
  switch (outcome.kind) {
    case 'alert':
      return `the server sent a ${outcome.alert.level} ${outcome.alert.name} alert`;
    case 'not-tls':
      return 'the server did not answer with TLS';
    case 'closed':
      return 'the server closed the connection';
    case 'reset':
      return 'the server reset the connection';
    case 'timeout':
      return 'the server did not answer before the deadline';
    case 'malformed':
    case 'connect-failed':
      return describeError(outcome.error);
  }
}

function describeError(error: WiretightError): string {
  return `${error.code}: ${error.message}`;
}

const unknown = { resumed: null, earlyDataAccepted: null } as const;

/** The facts from what the two connections got back; pure, so tests feed it outcomes. */
export function concludeEarlyData(
  ticket: TicketOutcome,
  resumption?: ResumptionOutcome,
): EarlyDataFacts {
  if (ticket.kind === 'no-ticket') {
    const alert = ticket.alert === undefined ? '' : ` (${ticket.alert.name})`;
    return { ticketIssued: false, ...unknown, reason: `${NO_TICKET[ticket.why]}${alert}` };
  }
  if (ticket.kind === 'no-flight') {
    return {
      ticketIssued: false,
      ...unknown,
      reason: 'the server did not complete a TLS 1.3 handshake with the offered group',
    };
  }
  if (ticket.kind !== 'ticket') return { ticketIssued: false, ...unknown, reason: ended(ticket) };
  const { lifetimeSec, maxEarlyDataSize } = ticket.ticket.ticket;
  const issued = {
    ticketIssued: true,
    ticketLifetimeSec: lifetimeSec,
    ...(maxEarlyDataSize === undefined ? {} : { maxEarlyDataSize }),
  };
  if (resumption === undefined) {
    return { ...issued, ...unknown, reason: 'resumption was not attempted' };
  }
  if (resumption.kind === 'no-flight') {
    // A HelloRetryRequest turns early data down (RFC 8446 §4.2.10) before any PSK is chosen.
    return resumption.facts.isHelloRetryRequest
      ? {
          ...issued,
          resumed: null,
          earlyDataAccepted: false,
          reason: 'the server answered the resumption with a HelloRetryRequest',
        }
      : { ...issued, ...unknown, reason: 'the server did not resume over TLS 1.3' };
  }
  if (resumption.kind !== 'server-hello') {
    return { ...issued, ...unknown, reason: ended(resumption) };
  }
  const { resumed, earlyDataAccepted } = resumption;
  if (earlyDataAccepted === undefined) {
    const why =
      resumption.error !== undefined
        ? describeError(resumption.error)
        : resumption.alert !== undefined
          ? `the server sent a ${resumption.alert.name} alert`
          : 'the server sent no EncryptedExtensions';
    return { ...issued, resumed, earlyDataAccepted: null, reason: why };
  }
  return {
    ...issued,
    resumed,
    earlyDataAccepted,
    ...(resumed ? {} : { reason: 'the server did not accept its own ticket (full handshake)' }),
  };
}
