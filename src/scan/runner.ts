import { Semaphore } from '../core/semaphore.ts';
import {
  DEFAULT_MAX_BYTES,
  type Dialer,
  type Endpoint,
  type ExchangeLimits,
} from '../probe/connection.ts';
import { followUpExchange } from '../probe/followup-exchange.ts';
import { planFollowUp } from '../probe/followups.ts';
import { helloExchange } from '../probe/hello-exchange.ts';
import { sslv2Exchange } from '../probe/sslv2-exchange.ts';
import { replayExchange, tls13FlightExchange } from '../probe/tls13-flight-exchange.ts';
import { buildClientHello, clientHelloRecords } from '../wire/client-hello.ts';
import { buildSslv2ClientHello } from '../wire/sslv2.ts';
import { generateKeyShare } from '../wire/tls13/key-exchange.ts';
import type { Check, Job, JobOutcome } from './job.ts';

export interface RunnerOptions {
  readonly timeoutMs: number;
  readonly maxConnections: number;
  readonly signal?: AbortSignal | undefined;
  readonly dialer?: Dialer | undefined;
}

/** Runs jobs for checks against one endpoint, at most `maxConnections` at a time. */
export class JobRunner {
  handshakes = 0;
  readonly endpoint: Endpoint;
  readonly #semaphore: Semaphore;
  readonly limits: ExchangeLimits;

  constructor(endpoint: Endpoint, options: RunnerOptions) {
    this.endpoint = endpoint;
    this.#semaphore = new Semaphore(options.maxConnections);
    this.limits = {
      timeoutMs: options.timeoutMs,
      maxBytes: DEFAULT_MAX_BYTES,
      signal: options.signal,
      dialer: options.dialer,
    };
  }

  run<J extends Job>(job: J): Promise<JobOutcome<J>> {
    return this.#semaphore.run(async () => {
      this.handshakes++;
      if (job.kind === 'sslv2-hello') {
        return (await sslv2Exchange(
          this.endpoint,
          buildSslv2ClientHello(job.cipherSpecs),
          this.limits,
        )) as JobOutcome<J>;
      }
      if (job.kind === 'tls13-flight') {
        // A fresh key share per connection: the secret never outlives the job.
        const share = generateKeyShare(job.group);
        const hello = buildClientHello({
          ...job.hello,
          keyShares: [{ group: share.group, keyExchange: share.publicKey }],
        });
        return (await tls13FlightExchange(
          this.endpoint,
          hello,
          share,
          this.limits,
        )) as JobOutcome<J>;
      }
      if (job.kind === 'client-replay') {
        return (await replayExchange(
          this.endpoint,
          job.hello,
          job.shares,
          this.limits,
        )) as JobOutcome<J>;
      }
      if (job.kind === 'tls-followup') {
        const hello = buildClientHello(job.hello);
        return (await followUpExchange(
          this.endpoint,
          clientHelloRecords(hello),
          (flight) => planFollowUp(job.followUp, flight, hello.legacyVersion),
          { ...this.limits, quietMs: job.quietMs },
        )) as JobOutcome<J>;
      }
      const bytes = clientHelloRecords(buildClientHello(job.hello));
      return (await helloExchange(this.endpoint, bytes, {
        ...this.limits,
        until: job.until,
      })) as JobOutcome<J>;
    });
  }

  /**
   * Drives a check until it plans no more jobs, then returns its facts. `absorbed` runs
   * after each outcome, for a caller that can act on the facts so far.
   */
  async drive<J extends Job, F>(check: Check<J, F>, absorbed?: () => void): Promise<F> {
    for (let job = check.next(); job !== undefined; job = check.next()) {
      check.absorb(job, await this.run(job));
      absorbed?.();
    }
    return check.conclude();
  }
}
