/**
 * Runs challenge validations. A POST to a challenge starts its validation at once and the
 * handler waits for it (up to `waitMs`) before answering, so a client usually sees `valid`
 * in the reply and never sleeps in its poll loop. A validation that outlives the wait goes
 * on in the background and its result is written when it ends. One attempt per challenge:
 * a failure makes the challenge invalid (RFC 8555 §8.2), there is no retry loop.
 *
 * A challenge left `processing` by a restart is validated again the next time a client
 * looks at it (`resume`), so no authorization is stuck.
 */
import type { Logger } from '../core/logger.ts';
import { VALIDATORS, keyAuthorization } from './challenges/index.ts';
import type { ValidationOutcome, ValidationSettings } from './challenges/types.ts';
import { Semaphore } from '../core/semaphore.ts';
import { LIFETIMES_MS, LIMITS } from './limits.ts';
import { type LifecycleDeps, refreshOrdersOf } from './lifecycle.ts';
import { problemDocument } from './problems.ts';
import type { AccountRecord, AuthorizationRecord, ChallengeRecord } from './store.ts';

export interface ValidationRunnerDeps extends LifecycleDeps {
  readonly settings: ValidationSettings;
  readonly logger: Logger;
}

export class ValidationRunner {
  readonly #deps: ValidationRunnerDeps;
  readonly #running = new Map<string, Promise<void>>();
  readonly #closing = new AbortController();
  /** Outbound validation connections at once: a flood of challenge POSTs queues here. */
  readonly #slots = new Semaphore(LIMITS.concurrentValidations);

  constructor(deps: ValidationRunnerDeps) {
    this.#deps = deps;
  }

  isRunning(challengeId: string): boolean {
    return this.#running.has(challengeId);
  }

  /**
   * Moves a pending challenge to processing and validates it; resumes one already
   * processing that no validation of this process is working on. Does nothing otherwise.
   */
  async start(
    challenge: ChallengeRecord,
    authorization: AuthorizationRecord,
    account: AccountRecord,
  ): Promise<void> {
    if (this.#running.has(challenge.id) || this.#closing.signal.aborted) return;
    if (challenge.status === 'pending') {
      const moved = await this.#deps.store.updateChallenge(challenge.id, ['pending'], {
        status: 'processing',
      });
      if (moved === undefined || this.#running.has(challenge.id)) return;
    } else if (challenge.status !== 'processing') {
      return;
    }
    const run = this.#run(challenge, authorization, account).finally(() => {
      this.#running.delete(challenge.id);
    });
    this.#running.set(challenge.id, run);
  }

  /** Resolves when the challenge's validation ends or after `ms`, whichever is first. */
  async wait(challengeId: string, ms: number): Promise<void> {
    const run = this.#running.get(challengeId);
    if (run === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([run, timeout]);
    clearTimeout(timer);
  }

  /** Aborts running validations (their challenges stay processing, resumed later) and waits for them. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#running.values()]);
  }

  async #run(
    challenge: ChallengeRecord,
    authorization: AuthorizationRecord,
    account: AccountRecord,
  ): Promise<void> {
    const { settings, logger, now } = this.#deps;
    const target = {
      identifier: authorization.identifier,
      token: challenge.token,
      keyAuthorization: keyAuthorization(challenge.token, account.thumbprint),
    };
    let started = performance.now();
    let outcome: ValidationOutcome;
    try {
      outcome = await this.#slots.run(async () => {
        // The deadline starts with the attempt, not while it waits for a slot.
        started = performance.now();
        const signal = AbortSignal.any([
          this.#closing.signal,
          AbortSignal.timeout(settings.timeoutMs),
        ]);
        return VALIDATORS[challenge.type](target, settings, signal);
      });
    } catch (error) {
      // Validators return outcomes; a throw is a bug, reported to the client without detail.
      logger.error({ err: String(error), challenge: challenge.id }, 'acme: validator failed');
      outcome = { valid: false, problem: problemDocument('serverInternal', 'validation failed') };
    }
    if (this.#closing.signal.aborted) return;
    const seconds = (performance.now() - started) / 1000;
    this.#deps.metrics.validation(challenge.type, outcome.valid, seconds);
    logger.info(
      {
        challenge: challenge.id,
        type: challenge.type,
        identifier: `${authorization.identifier.type}:${authorization.identifier.value}`,
        valid: outcome.valid,
        ...(outcome.valid ? {} : { problem: outcome.problem.detail }),
        ms: Math.round(seconds * 1000),
      },
      'acme: challenge validated',
    );
    try {
      await this.#record(challenge, authorization, outcome, now());
    } catch (error) {
      logger.error(
        { err: String(error), challenge: challenge.id },
        'acme: validation not recorded',
      );
    }
  }

  async #record(
    challenge: ChallengeRecord,
    authorization: AuthorizationRecord,
    outcome: ValidationOutcome,
    at: number,
  ): Promise<void> {
    const { store } = this.#deps;
    if (outcome.valid) {
      await store.updateChallenge(challenge.id, ['processing'], {
        status: 'valid',
        validated: new Date(at),
      });
      await store.updateAuthorization(authorization.id, ['pending'], {
        status: 'valid',
        expires: new Date(at + LIFETIMES_MS.validAuthorization),
      });
    } else {
      await store.updateChallenge(challenge.id, ['processing'], {
        status: 'invalid',
        error: outcome.problem,
      });
      await store.updateAuthorization(authorization.id, ['pending'], { status: 'invalid' });
    }
    await refreshOrdersOf(this.#deps, authorization.id);
  }
}
