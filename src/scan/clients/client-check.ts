import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import type { ReplayOutcome } from '../../probe/tls13-flight-exchange.ts';
import { groupName } from '../../wire/registry/groups.ts';
import { isKeyShareAvailable } from '../../wire/tls13/key-exchange.ts';
import type { Check, Job } from '../job.ts';
import { brokenLimit } from './limits.ts';
import type { LoadedProfile } from './profile.ts';
import { FRESH_MATERIAL, type HelloMaterial, isGrease, replayHello } from './replay.ts';
import { type ClientResult, negotiatedResult, refusedResult, skippedResult } from './result.ts';
import { type Negotiated, readLegacyFlight, readTls13Flight } from './server-answer.ts';

/** The one kind of connection a client needs: its hello, replayed, flight and all. */
export type ClientJob = Extract<Job, { kind: 'client-replay' }>;

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
  | { readonly kind: 'done'; readonly result: ClientResult };

/**
 * One client replayed against the server, as that client would go about it: its hello
 * (made fresh for the target), and a second hello when a HelloRetryRequest asks for a
 * group it supports. Each connection reads the whole answer, for TLS 1.3 the encrypted
 * flight too (decrypted with the hello's own shares), since certificate and ALPN are
 * inside it: one connection per client, two after a HelloRetryRequest. The result says
 * what was agreed and whether the client would accept it (limits.ts).
 */
export class ClientSimulationCheck implements Check<ClientJob, ClientResult> {
  readonly #loaded: LoadedProfile;
  readonly #sni: string | undefined;
  readonly #material: HelloMaterial;
  #step: Step = { kind: 'first' };
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
    if (step.kind === 'done') return undefined;
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
    return { kind: 'client-replay', hello: replayed.hello, shares: replayed.shares };
  }

  absorb(job: ClientJob, outcome: ReplayOutcome): void {
    if (outcome.kind !== 'hello') {
      this.#finish(refusedResult(this.#profile, refusal(outcome)));
      return;
    }
    if (outcome.facts.version === 0x0304) {
      this.#absorbTls13(job, outcome);
    } else {
      this.#absorbLegacy(outcome);
    }
  }

  conclude(): ClientResult {
    const step = this.#step;
    if (step.kind === 'done') return step.result;
    const when = step.kind === 'retry' ? 'its second hello' : 'this client was tried';
    return skippedResult(this.#profile, `the scan ended before ${when}`);
  }

  #finish(result: ClientResult): void {
    this.#step = { kind: 'done', result };
  }

  #verdict(n: Negotiated, failure = brokenLimit(n, this.#loaded)): ClientResult {
    return negotiatedResult(this.#profile, n, { failure, helloRetry: this.#helloRetry });
  }

  #absorbLegacy(outcome: Extract<HelloOutcome, { kind: 'hello' }>): void {
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
  }

  #absorbTls13(job: ClientJob, outcome: Extract<ReplayOutcome, { kind: 'hello' }>): void {
    const { facts, decrypted } = outcome;
    const agreed: Negotiated = {
      version: facts.version,
      suite: facts.cipherSuite,
      ...(facts.keyShareGroup === undefined ? {} : { group: facts.keyShareGroup }),
    };
    if (facts.isHelloRetryRequest) {
      this.#retry(agreed);
      return;
    }
    if (agreed.group === undefined || !job.shares.some((s) => s.group === agreed.group)) {
      this.#finish(this.#verdict(agreed, 'the server chose a key share this client did not send'));
      return;
    }
    // A flight that does not decrypt or parse leaves the verdict to what the ServerHello
    // said; one cut short still tells what arrived (the certificate, say).
    const n =
      decrypted === undefined || decrypted.error !== undefined
        ? agreed
        : readTls13Flight(agreed, decrypted.flight);
    this.#finish(this.#verdict(n));
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
}
