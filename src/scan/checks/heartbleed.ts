import type { FollowUpOutcome, Reaction } from '../../probe/followup-exchange.ts';
import { HEARTBEAT_MESSAGE_TYPE, parseHeartbeatMessage } from '../../wire/heartbeat.ts';
import { CONTENT_TYPE } from '../../wire/record.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import type { TlsProtocolName } from '../../wire/registry/versions.ts';
import { legacyHello } from '../hello-profiles.ts';
import type { Job } from '../job.ts';
import { BestLegacyVersionCheck, type OneJob } from './one-job.ts';
import { type VerdictFacts } from './active-input.ts';
import { describeNoReaction, describeReaction, reactionAlerts } from './reaction.ts';

type FollowUpJob = Extract<Job, { kind: 'tls-followup' }>;

export interface HeartbleedFacts extends VerdictFacts {
  /** Whether the ServerHello echoed the heartbeat extension; absent when no flight came. */
  readonly heartbeatExtension?: boolean;
  /** The request: payload bytes it carried, and the payload_length it claimed. */
  readonly request?: { readonly carried: number; readonly claimed: number };
  /**
   * The heartbeat response, when one came: the payload_length it announced and the payload
   * bytes it carried. Only these counts are kept, never the bytes: they may be server memory.
   */
  readonly response?: { readonly announced: number; readonly carried: number };
}

/** The request's payload, recognisable in an echo. */
export const HEARTBEAT_PAYLOAD = new TextEncoder().encode('wiretight-hb-000');

/**
 * What the request claims to carry. A vulnerable server copies this many bytes from where
 * the payload starts: 1 KiB proves the over-read while taking little of its memory.
 */
export const HEARTBEAT_CLAIMED_LENGTH = 1024;

/**
 * Heartbleed (CVE-2014-0160) on one connection: a TLS ≤ 1.2 hello offering the heartbeat
 * extension; when the server echoes it, a cleartext heartbeat request after its flight
 * whose payload_length claims more than the record carries (and no padding). RFC 6520
 * makes a server drop such a request; a vulnerable one answers with the claimed length,
 * so a response carrying more payload than was sent is the proof.
 */
export class HeartbleedCheck extends BestLegacyVersionCheck<FollowUpJob, HeartbleedFacts> {
  protected plan(): OneJob<FollowUpJob> | undefined {
    if (this.target === undefined) return undefined;
    const { version, suites } = this.target;
    return {
      version,
      job: {
        kind: 'tls-followup',
        hello: {
          ...legacyHello(version, suites, this.sni),
          heartbeat: true,
          // The extension must go out even to an SSLv3-only server, whose usual hello has none.
          noExtensions: false,
        },
        followUp: {
          kind: 'heartbeat-request',
          payload: HEARTBEAT_PAYLOAD,
          claimedLength: HEARTBEAT_CLAIMED_LENGTH,
        },
        quietMs: this.quietMs,
      },
    };
  }

  protected notApplicable(): HeartbleedFacts {
    return {
      verdict: 'not-applicable',
      reason: 'no TLS 1.2 or older version is supported, and heartbeats are tested in one',
    };
  }

  protected judge(o: FollowUpOutcome, version: TlsProtocolName): HeartbleedFacts {
    switch (o.kind) {
      case 'reacted':
        return {
          version,
          heartbeatExtension: true,
          request: { carried: HEARTBEAT_PAYLOAD.length, claimed: HEARTBEAT_CLAIMED_LENGTH },
          ...judgeReaction(o.reactions[0]),
        };
      case 'declined':
        return {
          verdict: 'not-vulnerable',
          reason: o.reason,
          version,
          heartbeatExtension: o.flight.facts.extensionTypes.includes(X.heartbeat),
        };
      default:
        return { verdict: 'inconclusive', reason: describeNoReaction(o), version };
    }
  }
}

type Judgement = Pick<HeartbleedFacts, 'verdict' | 'reason' | 'response'>;

function judgeReaction(reaction: Reaction | undefined): Judgement {
  if (reaction === undefined) return { verdict: 'inconclusive', reason: 'no request was sent' };
  const sent = HEARTBEAT_PAYLOAD.length;
  const record = reaction.records.find((r) => r.type === CONTENT_TYPE.heartbeat);
  if (record !== undefined) {
    if (record.fragment.length < 3) {
      return {
        verdict: 'inconclusive',
        reason: `the server answered with a ${record.fragment.length}-byte heartbeat record, too short to be a message`,
      };
    }
    const message = parseHeartbeatMessage(record.fragment);
    const response = { announced: message.payloadLength, carried: message.payload.length };
    if (message.type !== HEARTBEAT_MESSAGE_TYPE.heartbeat_response) {
      return {
        verdict: 'inconclusive',
        reason: `the server answered with heartbeat message type ${message.type}, not a response`,
      };
    }
    if (response.carried > sent) {
      return {
        verdict: 'vulnerable',
        reason: `a heartbeat request carrying ${sent} bytes and claiming ${HEARTBEAT_CLAIMED_LENGTH} got a response carrying ${response.carried}: ${response.carried - sent} bytes of server memory`,
        response,
      };
    }
    if (response.announced > sent) {
      return {
        verdict: 'inconclusive',
        reason: `the heartbeat response announces ${response.announced} payload bytes but carries ${response.carried}`,
        response,
      };
    }
    return {
      verdict: 'not-vulnerable',
      reason: `the server answered the over-long heartbeat request with a response of ${response.carried} payload bytes, no more than were sent`,
      response,
    };
  }
  if (reaction.end === 'malformed') {
    return {
      verdict: 'inconclusive',
      reason: `after the heartbeat request: ${describeReaction(reaction)}`,
    };
  }
  const alert = reactionAlerts(reaction)[0];
  const what =
    alert !== undefined
      ? `answered it with alert ${alert.name}`
      : reaction.end === 'quiet' || reaction.end === 'timeout'
        ? 'ignored it, as RFC 6520 requires'
        : `answered with ${describeReaction(reaction)}`;
  return {
    verdict: 'not-vulnerable',
    reason: `the server echoed the heartbeat extension, got a request claiming more than it carried, and ${what}`,
  };
}
