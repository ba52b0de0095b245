import type { FollowUpOutcome, Reaction } from '../../probe/followup-exchange.ts';
import { HANDSHAKE_TYPE } from '../../wire/handshake.ts';
import { cipherSuite, suiteIdHex } from '../../wire/registry/cipher-suites.ts';
import type { TlsProtocolName } from '../../wire/registry/versions.ts';
import { PREMASTER_VARIANTS, type PremasterVariant } from '../../wire/rsa-premaster.ts';
import { legacyHello } from '../hello-profiles.ts';
import type { Check, Job } from '../job.ts';
import {
  type ActiveCheckInput,
  DEFAULT_QUIET_MS,
  type VerdictFacts,
  bestLegacyVersion,
} from './active-input.ts';
import { describeNoReaction, describeReaction } from './reaction.ts';

type FollowUpJob = Extract<Job, { kind: 'tls-followup' }>;

export interface RobotFacts extends VerdictFacts {
  /** robotattack.org's terms: strong oracles make the attack practical, weak ones slow. */
  readonly oracle?: 'strong' | 'weak';
  /** The RSA key-exchange suite the server chose, as `0x009c`. */
  readonly suite?: string;
  /** How the server reacted to each ClientKeyExchange block (first round). */
  readonly reactions?: Partial<Record<PremasterVariant, string>>;
  /** Blocks whose reaction changed when sent a second time. */
  readonly inconsistent?: readonly PremasterVariant[];
  /** Connections made (five per round, two rounds at most). */
  readonly connections: number;
  /**
   * The server asked for a client certificate and answered every block alike: an oracle
   * past the certificate check cannot be seen without one (nor used by an attacker without one).
   */
  readonly behindClientCertificate?: true;
}

/** RSA key exchange proper: export suites encrypt to a temporary key, not the certificate's. */
export function isPlainRsaKeyExchange(id: number): boolean {
  const suite = cipherSuite(id);
  return suite?.kx === 'RSA' && !suite.export;
}

/** Silence and a deadline both mean the server said nothing; the oracle compares behaviour. */
function signature(reaction: Reaction): string {
  return reaction.end === 'timeout'
    ? describeReaction({ ...reaction, end: 'quiet' })
    : describeReaction(reaction);
}

/**
 * ROBOT (robotattack.org), as robot-detect and sslyze test it: five connections with the
 * same RSA key-exchange hello, each sending a ClientKeyExchange whose premaster block is
 * correct or broken in one way (first bytes, misplaced zero, no zero, wrong version), then
 * ChangeCipherSpec and a garbage Finished. A server that treats all five alike is no oracle.
 * If it does not, the five are sent once more: the same differences again make an oracle
 * (weak when the three wrongly padded blocks look alike), other differences an
 * inconclusive result. At most ten connections.
 */
export class RobotCheck implements Check<FollowUpJob, RobotFacts> {
  readonly #target: { version: TlsProtocolName; suites: readonly number[] } | undefined;
  readonly #sni: string | undefined;
  readonly #quietMs: number;
  readonly #rounds: Map<PremasterVariant, string>[] = [];
  #certificateRequested = false;
  #suite: number | undefined;
  #failure: string | undefined;
  #connections = 0;

  constructor(input: ActiveCheckInput, quietMs = DEFAULT_QUIET_MS) {
    this.#target = bestLegacyVersion(input, isPlainRsaKeyExchange);
    this.#sni = input.sni;
    this.#quietMs = quietMs;
  }

  /** The variant the next connection sends, undefined when the check is done. */
  #nextVariant(): PremasterVariant | undefined {
    if (this.#target === undefined || this.#failure !== undefined) return undefined;
    const round = this.#rounds.at(-1);
    if (round !== undefined && round.size < PREMASTER_VARIANTS.length) {
      return PREMASTER_VARIANTS[round.size];
    }
    // A round is complete: a second one only to confirm differences seen in the first.
    if (this.#rounds.length === 0 || (this.#rounds.length === 1 && !allAlike(this.#rounds[0]))) {
      this.#rounds.push(new Map());
      return PREMASTER_VARIANTS[0];
    }
    return undefined;
  }

  next(): FollowUpJob | undefined {
    const variant = this.#nextVariant();
    if (variant === undefined || this.#target === undefined) return undefined;
    return {
      kind: 'tls-followup',
      hello: legacyHello(this.#target.version, this.#target.suites, this.#sni),
      followUp: { kind: 'rsa-premaster', variant },
      quietMs: this.#quietMs,
    };
  }

  absorb(job: FollowUpJob, outcome: FollowUpOutcome): void {
    this.#connections++;
    if (job.followUp.kind !== 'rsa-premaster') return;
    const variant = job.followUp.variant;
    if (outcome.kind !== 'reacted') {
      this.#failure = `${variant} block: ${describeNoReaction(outcome)}`;
      return;
    }
    this.#suite ??= outcome.flight.facts.cipherSuite;
    this.#certificateRequested ||= outcome.flight.messages.some(
      (m) => m.type === HANDSHAKE_TYPE.certificate_request,
    );
    const reaction = outcome.reactions[0];
    if (reaction === undefined || reaction.end === 'malformed') {
      // Garbled bytes are no behaviour to compare: the check stops rather than guess.
      const what = reaction === undefined ? 'nothing was sent' : describeReaction(reaction);
      this.#failure = `${variant} block: ${what}`;
      return;
    }
    this.#rounds.at(-1)?.set(variant, signature(reaction));
  }

  conclude(): RobotFacts {
    const connections = this.#connections;
    if (this.#target === undefined) {
      return {
        verdict: 'not-applicable',
        reason: 'no RSA key-exchange suite is accepted in TLS 1.2 or older',
        connections,
      };
    }
    const version = this.#target.version;
    const first = this.#rounds[0];
    const base = {
      version,
      connections,
      ...(this.#suite === undefined ? {} : { suite: suiteIdHex(this.#suite) }),
      ...(first === undefined ? {} : { reactions: Object.fromEntries(first) }),
    };
    if (this.#failure !== undefined) {
      return { ...base, verdict: 'inconclusive', reason: this.#failure };
    }
    if (first === undefined || first.size < PREMASTER_VARIANTS.length) {
      return { ...base, verdict: 'inconclusive', reason: 'the five blocks were not all sent' };
    }
    if (allAlike(first)) {
      const seen = first.get('valid') ?? '';
      if (this.#certificateRequested) {
        return {
          ...base,
          verdict: 'inconclusive',
          behindClientCertificate: true,
          reason: `the server asks for a client certificate and answered every block alike (${seen}): it may refuse before it decrypts anything`,
        };
      }
      return {
        ...base,
        verdict: 'not-vulnerable',
        reason: `the server answered all five ClientKeyExchange paddings alike: ${seen}`,
      };
    }
    const second = this.#rounds[1];
    const inconsistent = PREMASTER_VARIANTS.filter((v) => second?.get(v) !== first.get(v));
    if (inconsistent.length > 0) {
      return {
        ...base,
        inconsistent,
        verdict: 'inconclusive',
        reason: `the reactions changed when the blocks were sent again (${inconsistent.join(', ')}), so the differences may be chance`,
      };
    }
    const broken = ['wrong-first-bytes', 'zero-wrong-position', 'no-zero-separator'] as const;
    const weak = broken.every((v) => first.get(v) === first.get(broken[0]));
    return {
      ...base,
      verdict: 'vulnerable',
      oracle: weak ? 'weak' : 'strong',
      reason: `the server answered differently padded RSA premasters differently, twice: ${describeDifferences(first)}`,
    };
  }
}

function allAlike(round: ReadonlyMap<PremasterVariant, string> | undefined): boolean {
  return new Set(round?.values()).size === 1;
}

/** `valid: alert bad_record_mac; wrong-first-bytes, no-zero-separator: connection reset`. */
function describeDifferences(round: ReadonlyMap<PremasterVariant, string>): string {
  const groups = new Map<string, PremasterVariant[]>();
  for (const [variant, reaction] of round) {
    groups.set(reaction, [...(groups.get(reaction) ?? []), variant]);
  }
  return [...groups]
    .map(([reaction, variants]) => `${variants.join(', ')}: ${reaction}`)
    .join('; ');
}
