import type { FollowUpOutcome, Reaction } from '../../probe/followup-exchange.ts';
import { ALERT_DESCRIPTIONS } from '../../wire/registry/alerts.ts';
import type { TlsProtocolName } from '../../wire/registry/versions.ts';
import { legacyHello } from '../hello-profiles.ts';
import type { Job } from '../job.ts';
import { BestLegacyVersionCheck, type OneJob } from './one-job.ts';
import { type VerdictFacts } from './active-input.ts';
import { describeNoReaction, describeReaction, reactionAlerts } from './reaction.ts';

type FollowUpJob = Extract<Job, { kind: 'tls-followup' }>;

export interface CcsInjectionFacts extends VerdictFacts {
  /** What the server did after the early CCS, then (if it stayed silent) after the next record. */
  readonly reactions?: readonly string[];
}

/** Alerts only a server that decrypts with keys it should not have can send. */
const DECRYPTION_ALERTS = new Set<string>([ALERT_DESCRIPTIONS[20], ALERT_DESCRIPTIONS[21]]);

/**
 * CCS injection (CVE-2014-0224) on one connection, as testssl.sh and nmap test it: after the
 * server's flight, a ChangeCipherSpec before any key exchange. A patched server refuses it
 * at once (unexpected_message, or a close); a vulnerable one accepts it without a word and
 * switches to keys derived from an empty master secret, which shows when the next record
 * fails to decrypt (bad_record_mac or decryption_failed). Silence throughout proves nothing.
 */
export class CcsInjectionCheck extends BestLegacyVersionCheck<FollowUpJob, CcsInjectionFacts> {
  protected plan(): OneJob<FollowUpJob> | undefined {
    if (this.target === undefined) return undefined;
    const { version, suites } = this.target;
    return {
      version,
      job: {
        kind: 'tls-followup',
        hello: legacyHello(version, suites, this.sni),
        followUp: { kind: 'early-ccs' },
        quietMs: this.quietMs,
      },
    };
  }

  protected notApplicable(): CcsInjectionFacts {
    return {
      verdict: 'not-applicable',
      reason: 'no TLS 1.2 or older version is supported; TLS 1.3 has no ChangeCipherSpec to inject',
    };
  }

  protected judge(o: FollowUpOutcome, version: TlsProtocolName): CcsInjectionFacts {
    if (o.kind !== 'reacted')
      return { verdict: 'inconclusive', reason: describeNoReaction(o), version };
    return {
      version,
      reactions: o.reactions.map(describeReaction),
      ...judge(o.reactions[0], o.reactions[1]),
    };
  }
}

function judge(
  atCcs: Reaction | undefined,
  atNext: Reaction | undefined,
): Pick<CcsInjectionFacts, 'verdict' | 'reason'> {
  if (atCcs === undefined) return { verdict: 'inconclusive', reason: 'nothing was sent' };
  const refusal = reactionAlerts(atCcs)[0];
  if (refusal !== undefined) {
    return {
      verdict: 'not-vulnerable',
      reason: `the server refused the early ChangeCipherSpec with alert ${refusal.name}`,
    };
  }
  if (atCcs.end === 'closed' || atCcs.end === 'reset') {
    return {
      verdict: 'not-vulnerable',
      reason: `the server refused the early ChangeCipherSpec: ${describeReaction(atCcs)}`,
    };
  }
  if (atCcs.end !== 'quiet' || atNext === undefined) {
    return {
      verdict: 'inconclusive',
      reason: `after the early ChangeCipherSpec: ${describeReaction(atCcs)}`,
    };
  }
  const next = reactionAlerts(atNext)[0];
  if (next !== undefined && DECRYPTION_ALERTS.has(next.name)) {
    return {
      verdict: 'vulnerable',
      reason: `the server accepted an early ChangeCipherSpec in silence, then failed to decrypt the next record (alert ${next.name}): it had switched to keys made without any key exchange`,
    };
  }
  if (next !== undefined) {
    return {
      verdict: 'not-vulnerable',
      reason: `the server ignored the early ChangeCipherSpec but read the next record in the clear (alert ${next.name}), so it had not switched keys`,
    };
  }
  return {
    verdict: 'inconclusive',
    reason: `the server stayed silent at the early ChangeCipherSpec; at the next record: ${describeReaction(atNext)}`,
  };
}
