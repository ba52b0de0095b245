import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import type { Tls13FlightOutcome } from '../../probe/tls13-flight-exchange.ts';
import type { ClientHello, HelloOptions } from '../../wire/client-hello.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import { groupName } from '../../wire/registry/groups.ts';
import { isKeyShareAvailable } from '../../wire/tls13/key-exchange.ts';
import type { Check, Job } from '../job.ts';
import { brokenLimit } from './limits.ts';
import type { LoadedProfile } from './profile.ts';
import {
  FRESH_MATERIAL,
  type HelloMaterial,
  exactHelloOptions,
  isGrease,
  replayHello,
} from './replay.ts';
import { type ClientResult, negotiatedResult, refusedResult, skippedResult } from './result.ts';
import { type Negotiated, readLegacyFlight, readTls13Flight } from './server-answer.ts';

type HelloJob = Extract<Job, { kind: 'tls-hello' }>;
type FlightJob = Extract<Job, { kind: 'tls13-flight' }>;
export type ClientJob = HelloJob | FlightJob;

/** How an answer without a usable ServerHello reads in a client's result. */
export function refusal(outcome: Exclude<HelloOutcome, { kind: 'hello' }>): string {
  switch (outcome.kind) {
    case 'alert':
      return `${outcome.alert.name} alert`;
    case 'not-tls':
      return 'the server did not answer in TLS';
    case 'closed':
      return 'the server closed the connection';
    case 'reset':
      return 'the server reset the connection';
    case 'timeout':
      return 'no answer';
    case 'malformed':
      return `malformed answer (${outcome.error.message})`;
    case 'connect-failed':
      return `no connection (${outcome.error.message})`;
  }
}

type Step =
  | { readonly kind: 'first' }
  /** After a HelloRetryRequest: a second hello with one share for `group`. */
  | { readonly kind: 'retry'; readonly group: number }
  /** TLS 1.3 agreed: read the encrypted flight once more for certificate and ALPN. */
  | { readonly kind: 'flight'; readonly negotiated: Negotiated }
  | { readonly kind: 'done'; readonly result: ClientResult };

/**
 * One client replayed against the server, as that client would go about it: its hello
 * (made fresh for the target), a second hello when a HelloRetryRequest asks for a group
 * it supports, and for TLS 1.3 the encrypted flight (read on one more connection with a
 * share for the agreed group only), since certificate and ALPN are inside it. The result
 * says what was agreed and whether the client would accept it (limits.ts).
 */
export class ClientSimulationCheck implements Check<ClientJob, ClientResult> {
  readonly #loaded: LoadedProfile;
  readonly #sni: string | undefined;
  readonly #material: HelloMaterial;
  #step: Step = { kind: 'first' };
  /** The first hello as sent: the TLS 1.3 flight repeats it with one share. */
  #first: ClientHello | undefined;
  #helloRetry = false;

  constructor(
    loaded: LoadedProfile,
    sni: string | undefined,
    material: HelloMaterial = FRESH_MATERIAL,
  ) {
    this.#loaded = loaded;
    this.#sni = sni;
    this.#material = material;
  }

  get #profile() {
    return this.#loaded.profile;
  }

  next(): ClientJob | undefined {
    const step = this.#step;
    switch (step.kind) {
      case 'first':
      case 'retry': {
        const group = step.kind === 'retry' ? step.group : undefined;
        const replayed = replayHello(this.#loaded, this.#sni, this.#material, group);
        if (replayed.kind === 'no-key-share') {
          this.#finish(
            skippedResult(
              this.#profile,
              `this runtime cannot make a ${groupName(replayed.group)} key share`,
            ),
          );
          return undefined;
        }
        if (step.kind === 'first') this.#first = replayed.hello;
        return { kind: 'tls-hello', hello: exactHelloOptions(replayed.hello), until: 'flight' };
      }
      case 'flight': {
        const group = step.negotiated.group as number;
        return { kind: 'tls13-flight', hello: this.#flightHello(), group };
      }
      case 'done':
        return undefined;
    }
  }

  absorb(job: ClientJob, outcome: HelloOutcome | Tls13FlightOutcome): void {
    if (job.kind === 'tls13-flight') {
      this.#absorbFlight(outcome as Tls13FlightOutcome);
    } else {
      this.#absorbHello(outcome as HelloOutcome);
    }
  }

  conclude(): ClientResult {
    const step = this.#step;
    if (step.kind === 'done') return step.result;
    if (step.kind === 'flight') return this.#verdict(step.negotiated);
    const when = step.kind === 'retry' ? 'its second hello' : 'this client was tried';
    return skippedResult(this.#profile, `the scan ended before ${when}`);
  }

  #finish(result: ClientResult): void {
    this.#step = { kind: 'done', result };
  }

  #verdict(n: Negotiated, failure = brokenLimit(n, this.#loaded)): ClientResult {
    return negotiatedResult(this.#profile, n, { failure, helloRetry: this.#helloRetry });
  }

  /** The first hello again (a new random) with its key_share left to the runner: one share. */
  #flightHello(): HelloOptions {
    const first = this.#first as ClientHello;
    return {
      version: first.legacyVersion,
      cipherSuites: first.cipherSuites,
      compressionMethods: first.compressionMethods,
      sessionId: first.sessionId,
      extraExtensions: (first.extensions ?? []).filter((e) => e.type !== X.key_share),
    };
  }

  #absorbHello(outcome: HelloOutcome): void {
    if (outcome.kind !== 'hello') {
      this.#finish(refusedResult(this.#profile, refusal(outcome)));
      return;
    }
    const { facts } = outcome;
    if (facts.version !== 0x0304) {
      const read = readLegacyFlight(outcome);
      if (!read.ok) {
        this.#finish(refusedResult(this.#profile, read.failure));
        return;
      }
      const alert = outcome.alert;
      this.#finish(
        alert === undefined
          ? this.#verdict(read.negotiated)
          : this.#verdict(read.negotiated, `${alert.name} alert after the ServerHello`),
      );
      return;
    }
    const agreed: Negotiated = {
      version: facts.version,
      suite: facts.cipherSuite,
      ...(facts.keyShareGroup === undefined ? {} : { group: facts.keyShareGroup }),
    };
    if (facts.isHelloRetryRequest) {
      this.#retry(agreed);
      return;
    }
    const sent = this.#step.kind === 'retry' ? [this.#step.group] : this.#sharedGroups();
    if (agreed.group === undefined || !sent.includes(agreed.group)) {
      this.#finish(this.#verdict(agreed, 'the server chose a key share this client did not send'));
      return;
    }
    // The flight is read with a share of our own; a group this runtime cannot make keeps
    // the verdict to what the ServerHello says.
    const limitsFirst = brokenLimit(agreed, this.#loaded);
    if (limitsFirst !== undefined || !isKeyShareAvailable(agreed.group)) {
      this.#finish(this.#verdict(agreed, limitsFirst));
      return;
    }
    this.#step = { kind: 'flight', negotiated: agreed };
  }

  /** Key share groups of the first hello (GREASE aside). */
  #sharedGroups(): number[] {
    return this.#loaded.offers.keyShares.map((k) => k.group).filter((g) => !isGrease(g));
  }

  #retry(agreed: Negotiated): void {
    const group = agreed.group;
    this.#helloRetry = true;
    let failure: string | undefined;
    if (this.#step.kind === 'retry') {
      failure = 'a second HelloRetryRequest';
    } else if (group === undefined) {
      failure = 'a HelloRetryRequest without a group';
    } else if (this.#loaded.offers.groups?.includes(group) !== true) {
      failure = `a HelloRetryRequest for ${groupName(group)}, which this client does not offer`;
    } else if (this.#sharedGroups().includes(group)) {
      failure = `a HelloRetryRequest for ${groupName(group)}, a share it already sent`;
    }
    if (failure !== undefined || group === undefined) {
      this.#finish(this.#verdict(agreed, failure));
      return;
    }
    const limitsFirst = brokenLimit(agreed, this.#loaded);
    if (limitsFirst !== undefined || !isKeyShareAvailable(group)) {
      // The client would answer; the server's side of it cannot be read without the key.
      this.#finish(this.#verdict(agreed, limitsFirst));
      return;
    }
    this.#step = { kind: 'retry', group };
  }

  #absorbFlight(outcome: Tls13FlightOutcome): void {
    const step = this.#step;
    if (step.kind !== 'flight') return;
    // A flight that cannot be read leaves the verdict to what the ServerHello said.
    const n =
      outcome.kind === 'flight' ? readTls13Flight(step.negotiated, outcome) : step.negotiated;
    this.#finish(this.#verdict(n));
  }
}
