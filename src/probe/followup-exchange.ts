import { DecodeError, type WiretightError, isWiretightError } from '../errors.ts';
import { parseAlert } from '../wire/alert.ts';
import { HANDSHAKE_TYPE, type HandshakeMessage } from '../wire/handshake.ts';
import { CONTENT_TYPE, RecordDeframer, type TlsRecord } from '../wire/record.ts';
import type { ServerHello, ServerHelloFacts } from '../wire/server-hello.ts';
import {
  type ChunkReader,
  type Endpoint,
  type ExchangeLimits,
  type StreamEnd,
  exchange,
} from './connection.ts';
import { type HelloOutcome, readAnswer } from './hello-exchange.ts';

/** A TLS ≤ 1.2 server's first flight, read up to and including ServerHelloDone. */
export interface ServerFlight {
  readonly serverHello: ServerHello;
  readonly facts: ServerHelloFacts;
  /** ServerHello first, ServerHelloDone last. */
  readonly messages: readonly HandshakeMessage[];
}

/** Bytes to send after the flight, and when to stop reading what comes back. */
export interface FollowUpStep {
  readonly bytes: Uint8Array;
  /** Stop at the first complete record instead of waiting for a close or for quiet. */
  readonly stopAtFirstRecord?: boolean;
}

/**
 * What to send once the flight is in: steps sent one after another, each only when the
 * server stayed silent (and connected) after the one before; or why nothing can be sent
 * (the server did not echo an extension, its certificate holds no RSA key…).
 */
export type FollowUpPlan =
  { readonly steps: readonly FollowUpStep[] } | { readonly declined: string };

/**
 * How reading after a step ended:
 * - `quiet`: nothing arrived for the quiet period, the connection still open;
 * - `stopped`: the answer was complete (a fatal alert, or the first record when asked);
 * - `closed`, `reset`: the server hung up;
 * - `timeout`: the exchange deadline passed;
 * - `malformed`: the bytes were not TLS records (see `error`), or exceeded the byte cap.
 */
export type ReactionEnd = 'quiet' | 'stopped' | 'closed' | 'reset' | 'timeout' | 'malformed';

/** What the server did after one step: the records it sent (at most a few) and how it ended. */
export interface Reaction {
  readonly records: readonly TlsRecord[];
  readonly end: ReactionEnd;
  readonly error?: WiretightError;
}

export type FollowUpOutcome =
  | {
      readonly kind: 'reacted';
      readonly flight: ServerFlight;
      /** One per step sent: the last one is the reaction that ended the exchange. */
      readonly reactions: readonly Reaction[];
    }
  | { readonly kind: 'declined'; readonly flight: ServerFlight; readonly reason: string }
  /** A ServerHello came, but no complete TLS ≤ 1.2 flight after it. */
  | { readonly kind: 'no-flight'; readonly facts: ServerHelloFacts; readonly reason: string }
  | Exclude<HelloOutcome, { kind: 'hello' }>;

export interface FollowUpOptions extends ExchangeLimits {
  /** Silence this long after a step, with the connection open, counts as an answer. */
  readonly quietMs: number;
}

/** A reaction keeps this many records; a server that says more has said enough. */
export const MAX_REACTION_RECORDS = 16;

/**
 * One connection: send `hello` (complete records), read the flight to ServerHelloDone, let
 * `plan` compute what to send from that flight, send it, and record how the server reacts:
 * records, alerts, a close, a reset, or silence. Everything stays under the exchange's one
 * deadline and byte cap; silence is measured by a separate, shorter quiet period.
 */
export function followUpExchange(
  endpoint: Endpoint,
  hello: Uint8Array,
  plan: (flight: ServerFlight) => FollowUpPlan,
  options: FollowUpOptions,
): Promise<FollowUpOutcome> {
  if (!Number.isFinite(options.quietMs) || options.quietMs <= 0) {
    throw new RangeError(`quietMs ${options.quietMs} must be a positive number of milliseconds`);
  }
  return exchange(endpoint, hello, options, async (reader) => {
    // The flight ends at ServerHelloDone, after which a server waits for the client: nothing
    // it could send before our follow-up is part of the reaction.
    const answer = await readAnswer(reader, { ...options, until: 'flight' });
    if (answer.kind !== 'hello') return answer;
    const flight = completeFlight(answer);
    if ('reason' in flight)
      return { kind: 'no-flight', facts: answer.facts, reason: flight.reason };
    const planned = plan(flight);
    if ('declined' in planned) return { kind: 'declined', flight, reason: planned.declined };
    const reads = new PendingRead(reader);
    const deframer = new RecordDeframer();
    const reactions: Reaction[] = [];
    for (const step of planned.steps) {
      reader.write(step.bytes);
      const reaction = await readReaction(reads, deframer, step, options.quietMs);
      reactions.push(reaction);
      if (reaction.end !== 'quiet') break;
    }
    return { kind: 'reacted', flight, reactions };
  });
}

function completeFlight(
  answer: Extract<HelloOutcome, { kind: 'hello' }>,
): ServerFlight | { reason: string } {
  if (answer.facts.version === 0x0304 || answer.facts.isHelloRetryRequest) {
    return { reason: 'the server answered with TLS 1.3, which has no cleartext flight to follow' };
  }
  if (answer.alert !== undefined) {
    return { reason: `the server sent alert ${answer.alert.name} within its flight` };
  }
  if (answer.messages.at(-1)?.type !== HANDSHAKE_TYPE.server_hello_done) {
    return { reason: 'the server stopped before ServerHelloDone' };
  }
  return { serverHello: answer.serverHello, facts: answer.facts, messages: answer.messages };
}

/**
 * One outstanding `read()` on the socket at a time. A read that lost a race against the
 * quiet timer is kept for the next step rather than abandoned: ChunkReader wakes only its
 * latest caller, so a second read would leave the first pending for good, and two readers
 * must never compete for one chunk.
 */
class PendingRead {
  readonly #reader: ChunkReader;
  #pending: Promise<Uint8Array | StreamEnd | WiretightError> | undefined;

  constructor(reader: ChunkReader) {
    this.#reader = reader;
  }

  /** The next chunk or end, or `quiet` when nothing came within `quietMs`. */
  async next(quietMs: number): Promise<Uint8Array | StreamEnd | WiretightError | 'quiet'> {
    const pending = (this.#pending ??= this.#reader.read());
    let timer: NodeJS.Timeout | undefined;
    const quiet = new Promise<'quiet'>((resolve) => {
      timer = setTimeout(() => resolve('quiet'), quietMs);
    });
    try {
      const result = await Promise.race([pending, quiet]);
      if (result !== 'quiet') this.#pending = undefined;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }
}

async function readReaction(
  reads: PendingRead,
  deframer: RecordDeframer,
  step: FollowUpStep,
  quietMs: number,
): Promise<Reaction> {
  const records: TlsRecord[] = [];
  for (;;) {
    const chunk = await reads.next(quietMs);
    if (isWiretightError(chunk)) return { records, end: 'malformed', error: chunk };
    if (!(chunk instanceof Uint8Array)) {
      const end = chunk === 'aborted' ? 'timeout' : chunk;
      if (deframer.buffered === 0) return { records, end };
      // Half a record and then nothing: not silence, not an answer either.
      const error = new DecodeError(
        'TLSPlaintext',
        deframer.consumed,
        `record cut short: ${deframer.buffered} byte(s) of it, then ${end === 'quiet' ? 'silence' : end}`,
      );
      return { records, end: 'malformed', error };
    }
    deframer.push(chunk);
    try {
      for (let record = deframer.next(); record !== undefined; record = deframer.next()) {
        records.push(record);
        if (
          records.length >= MAX_REACTION_RECORDS ||
          step.stopAtFirstRecord === true ||
          isFatalAlert(record)
        ) {
          return { records, end: 'stopped' };
        }
      }
    } catch (err) {
      if (isWiretightError(err)) return { records, end: 'malformed', error: err };
      throw err;
    }
  }
}

/** A fatal alert ends the connection (RFC 5246 §7.2.2); nothing useful can follow it. */
function isFatalAlert(record: TlsRecord): boolean {
  if (record.type !== CONTENT_TYPE.alert) return false;
  // A garbled alert is left for the check to judge; it does not end the reading.
  return record.fragment.length >= 2 && parseAlert(record.fragment).level === 'fatal';
}
