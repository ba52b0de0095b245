import type { Tls13FlightOutcome } from '../../probe/tls13-flight-exchange.ts';
import { tls13Hello } from '../hello-profiles.ts';
import type { Check, Job } from '../job.ts';

type FlightJob = Extract<Job, { kind: 'tls13-flight' }>;

export interface Tls13FlightFacts {
  /** The certificate chain exactly as sent in the encrypted Certificate message. */
  readonly chain: readonly Uint8Array[];
  readonly certificateRequested: boolean;
  /** ALPN protocols selected, in order (enumerated only when asked to). */
  readonly alpn: readonly string[];
  /** Whether at least one flight was read to the server's Finished. */
  readonly complete: boolean;
}

/**
 * What a TLS 1.3 server says only inside its encrypted flight: the chain, whether it asks
 * for a client certificate, and the ALPN it selects. One full server handshake per
 * connection (the client never finishes its own). With ALPN candidates, it keeps going
 * while the server selects one, removing each, as the TLS 1.2 ALPN check does in the clear.
 */
export class Tls13FlightCheck implements Check<FlightJob, Tls13FlightFacts> {
  readonly #suites: readonly number[];
  readonly #group: number;
  readonly #sni: string | undefined;
  readonly #alpnRemaining: string[] | undefined;
  readonly #alpn: string[] = [];
  #chain: readonly Uint8Array[] = [];
  #requested = false;
  #complete = false;
  #done = false;

  constructor(
    suites: readonly number[],
    group: number,
    sni: string | undefined,
    alpnCandidates?: readonly string[],
  ) {
    this.#suites = suites;
    this.#group = group;
    this.#sni = sni;
    this.#alpnRemaining = alpnCandidates === undefined ? undefined : [...alpnCandidates];
  }

  next(): FlightJob | undefined {
    if (this.#done) return undefined;
    const alpn = this.#alpnRemaining;
    const hello = {
      ...tls13Hello(this.#suites, [this.#group], this.#sni),
      ...(alpn === undefined ? {} : { alpn }),
    };
    return { kind: 'tls13-flight', hello, group: this.#group };
  }

  absorb(_job: FlightJob, outcome: Tls13FlightOutcome): void {
    if (outcome.kind !== 'flight') {
      this.#done = true;
      return;
    }
    const { flight } = outcome;
    if (this.#chain.length === 0 && flight.certificate !== undefined) {
      this.#chain = flight.certificate.entries.map((e) => e.der);
    }
    this.#requested ||= flight.certificateRequest !== undefined;
    this.#complete ||= outcome.complete;
    const picked = flight.encryptedExtensions?.alpn;
    const remaining = this.#alpnRemaining;
    const at = picked === undefined || remaining === undefined ? -1 : remaining.indexOf(picked);
    if (picked === undefined || remaining === undefined || at < 0) {
      this.#done = true;
      return;
    }
    this.#alpn.push(picked);
    remaining.splice(at, 1);
    if (remaining.length === 0) this.#done = true;
  }

  conclude(): Tls13FlightFacts {
    return {
      chain: this.#chain,
      certificateRequested: this.#requested,
      alpn: this.#alpn,
      complete: this.#complete,
    };
  }
}
