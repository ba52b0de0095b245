import type { ClientHello, HelloOptions } from '../wire/client-hello.ts';
import type { ClientKeyShare } from '../wire/tls13/key-exchange.ts';
import type { FollowUpOutcome } from '../probe/followup-exchange.ts';
import type { FollowUp } from '../probe/followups.ts';
import type { HelloOutcome } from '../probe/hello-exchange.ts';
import type { Sslv2Outcome } from '../probe/sslv2-exchange.ts';
import type { ReplayOutcome, Tls13FlightOutcome } from '../probe/tls13-flight-exchange.ts';

/** One connection a check wants made. Checks plan jobs; the engine runs them. */
export type Job =
  | {
      readonly kind: 'tls-hello';
      readonly hello: HelloOptions;
      readonly until: 'server-hello' | 'flight';
    }
  | { readonly kind: 'sslv2-hello'; readonly cipherSpecs: readonly number[] }
  /** A TLS 1.3 hello with a key share for `group` (the only group offered), read to Finished. */
  | { readonly kind: 'tls13-flight'; readonly hello: HelloOptions; readonly group: number }
  /**
   * A recorded client's hello sent exactly as `hello`, read as that client would: to
   * ServerHelloDone (TLS ≤ 1.2), or to the server's Finished (TLS 1.3), decrypted with the
   * one of `shares` (the key pairs behind its key_share entries) the server picked.
   */
  | {
      readonly kind: 'client-replay';
      readonly hello: ClientHello;
      readonly shares: readonly ClientKeyShare[];
    }
  /**
   * A TLS ≤ 1.2 hello read to ServerHelloDone, then `followUp` computed from that flight, and
   * the server's reaction to it; silence for `quietMs` (connection open) is a reaction too.
   */
  | {
      readonly kind: 'tls-followup';
      readonly hello: HelloOptions;
      readonly followUp: FollowUp;
      readonly quietMs: number;
    };

export type JobOutcome<J extends Job> = J extends { kind: 'sslv2-hello' }
  ? Sslv2Outcome
  : J extends { kind: 'tls13-flight' }
    ? Tls13FlightOutcome
    : J extends { kind: 'tls-followup' }
      ? FollowUpOutcome
      : J extends { kind: 'client-replay' }
        ? ReplayOutcome
        : HelloOutcome;

/**
 * An adaptive check: `next()` plans the next connection from the outcomes so far (at most
 * one connection per job), `absorb()` records an outcome, `conclude()` states the facts.
 * All three are pure, so a check is tested by feeding it recorded outcomes.
 */
export interface Check<J extends Job, Facts> {
  next(): J | undefined;
  absorb(job: J, outcome: JobOutcome<J>): void;
  conclude(): Facts;
}
