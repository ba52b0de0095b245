import type { FollowUpOutcome, Reaction } from '../../probe/followup-exchange.ts';
import { type Alert, parseAlert } from '../../wire/alert.ts';
import { CONTENT_TYPE, type TlsRecord } from '../../wire/record.ts';
import { describeRefusal } from './refusal.ts';

const RECORD_NAMES: Readonly<Record<number, string>> = {
  [CONTENT_TYPE.change_cipher_spec]: 'ChangeCipherSpec',
  [CONTENT_TYPE.handshake]: 'handshake',
  [CONTENT_TYPE.application_data]: 'application data',
  [CONTENT_TYPE.heartbeat]: 'heartbeat',
};

const END_PHRASES: Readonly<Record<Reaction['end'], string>> = {
  quiet: 'silence',
  stopped: '',
  closed: 'connection closed',
  reset: 'connection reset',
  timeout: 'no answer before the deadline',
  malformed: 'malformed answer',
};

/** The alerts among a reaction's records; a garbled alert record is left out. */
export function reactionAlerts(reaction: Reaction): Alert[] {
  const out: Alert[] = [];
  for (const r of reaction.records) {
    if (r.type === CONTENT_TYPE.alert && r.fragment.length >= 2) out.push(parseAlert(r.fragment));
  }
  return out;
}

function describeRecord(record: TlsRecord): string {
  if (record.type === CONTENT_TYPE.alert) {
    if (record.fragment.length < 2) return `a ${record.fragment.length}-byte alert record`;
    const alert = parseAlert(record.fragment);
    return `alert ${alert.name}${alert.level === 'fatal' ? '' : ` (${alert.level})`}`;
  }
  const name = RECORD_NAMES[record.type] ?? `type ${record.type}`;
  return `${name} record of ${record.fragment.length} bytes`;
}

/**
 * What the server did after a probe, as a short phrase: `alert bad_record_mac`,
 * `connection reset`, `silence`, `heartbeat record of 1043 bytes, then silence`. Equal
 * behaviour gives equal phrases, which is how the ROBOT check compares reactions.
 */
export function describeReaction(reaction: Reaction): string {
  const parts = reaction.records.map(describeRecord);
  const end =
    reaction.end === 'malformed' && reaction.error !== undefined
      ? `malformed answer (${reaction.error.message})`
      : END_PHRASES[reaction.end];
  if (end !== '') parts.push(end);
  return parts.join(', then ');
}

/** Why a follow-up probe got no reaction to judge: the hello was refused, or nothing was sent. */
export function describeNoReaction(outcome: Exclude<FollowUpOutcome, { kind: 'reacted' }>): string {
  switch (outcome.kind) {
    case 'declined':
    case 'no-flight':
      return outcome.reason;
    default:
      return `the hello got no usable answer: ${describeRefusal(outcome)}`;
  }
}
