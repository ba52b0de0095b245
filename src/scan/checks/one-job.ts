import type { HelloOptions } from '../../wire/client-hello.ts';
import type { TlsProtocolName } from '../../wire/registry/versions.ts';
import type { Check, Job, JobOutcome } from '../job.ts';
import {
  type ActiveCheckInput,
  DEFAULT_QUIET_MS,
  type VerdictFacts,
  bestLegacyVersion,
} from './active-input.ts';

export type HelloJob = Extract<Job, { kind: 'tls-hello' }>;

/** The one connection a check asks for, and the version it asks in. */
export interface OneJob<J extends Job> {
  readonly job: J;
  readonly version: TlsProtocolName;
}

/** A hello read to its ServerHello: the job of checks that judge the first answer. */
export function serverHelloJob(hello: HelloOptions): HelloJob {
  return { kind: 'tls-hello', hello, until: 'server-hello' };
}

/**
 * A check that asks one question on one connection and judges what came back:
 * compression, secure renegotiation, downgrade protection, Heartbleed, CCS injection. The
 * subclass says what to send (nothing when the check does not apply) and how to read it.
 */
export abstract class OneJobCheck<J extends Job, F extends VerdictFacts> implements Check<J, F> {
  #asked = false;
  #outcome: JobOutcome<J> | undefined;

  /** The job and its version; undefined when the server's versions leave nothing to ask. */
  protected abstract plan(): OneJob<J> | undefined;
  /** The facts when there is nothing to ask. */
  protected abstract notApplicable(): F;
  protected abstract judge(outcome: JobOutcome<J>, version: TlsProtocolName): F;

  next(): J | undefined {
    if (this.#asked) return undefined;
    const plan = this.plan();
    if (plan === undefined) return undefined;
    this.#asked = true;
    return plan.job;
  }

  absorb(_job: J, outcome: JobOutcome<J>): void {
    this.#outcome = outcome;
  }

  conclude(): F {
    const plan = this.plan();
    if (plan === undefined) return this.notApplicable();
    if (this.#outcome === undefined) {
      // The scan was cut short before the job ran. The facts of these checks only add
      // optional fields to VerdictFacts, so the bare verdict is a complete F.
      return {
        verdict: 'inconclusive',
        reason: 'the probe did not run',
        version: plan.version,
      } as F;
    }
    return this.judge(this.#outcome, plan.version);
  }
}

/**
 * A one-question check asked in the best TLS ≤ 1.2 version the server speaks, with the
 * suites it accepts there (compression, renegotiation_info, Heartbleed, CCS injection).
 * Nothing to ask of a server that speaks only TLS 1.3.
 */
export abstract class BestLegacyVersionCheck<
  J extends Job,
  F extends VerdictFacts,
> extends OneJobCheck<J, F> {
  protected readonly target:
    { readonly version: TlsProtocolName; readonly suites: readonly number[] } | undefined;
  protected readonly sni: string | undefined;
  /** How long silence must last to count as the server's answer. */
  protected readonly quietMs: number;

  constructor(input: ActiveCheckInput, quietMs = DEFAULT_QUIET_MS) {
    super();
    this.target = bestLegacyVersion(input);
    this.sni = input.sni;
    this.quietMs = quietMs;
  }
}
