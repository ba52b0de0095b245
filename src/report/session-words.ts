// What the session and 0-RTT facts say, in words, once for every renderer: the text report
// paints each phrase with terminal colours, the HTML report with classes.
import type { EarlyDataFacts } from '../scan/checks/early-data.ts';
import type { SessionFacts } from '../scan/session-facts.ts';

export type PhraseTone = 'good' | 'warn' | 'bad' | 'dim' | undefined;

export interface Phrase {
  readonly text: string;
  readonly tone: PhraseTone;
}

const phrase = (text: string, tone: PhraseTone = undefined): Phrase => ({ text, tone });

export function yesNo(v: boolean | null): Phrase {
  return v === null ? phrase('unknown', 'dim') : phrase(v ? 'yes' : 'no');
}

/** `TLSv1.3, TLS_AES_256_GCM_SHA384, x25519 (253 bits), h2`, or why the handshake failed. */
export function negotiatedPhrase(n: SessionFacts['negotiated']): Phrase {
  if (n.version === null) return phrase(`failed: ${n.error ?? 'no handshake'}`, 'warn');
  const group =
    n.group === undefined
      ? undefined
      : `${n.group}${n.groupBits === undefined ? '' : ` (${n.groupBits} bits)`}`;
  return phrase(
    [n.version, n.suite, group, n.alpn].filter((x) => x !== undefined && x !== null).join(', '),
  );
}

/** Labelled parts: session ID and ticket below TLS 1.3 when tried, then the TLS 1.3 ticket. */
export function resumptionParts(r: SessionFacts['resumption']): [string, Phrase][] {
  return [
    ...(r.legacyVersion === null
      ? []
      : ([
          ['session ID', yesNo(r.sessionId)],
          ['ticket', yesNo(r.ticket)],
        ] as [string, Phrase][])),
    ['TLS 1.3 ticket', yesNo(r.tls13Ticket)],
  ];
}

export function renegotiationPhrase(r: SessionFacts['clientRenegotiation']): Phrase {
  if (r.result === 'accepted') return phrase('accepted', 'warn');
  return r.result === 'refused' ? phrase('refused') : phrase(r.result, 'dim');
}

/** `accepted (up to 16384 bytes)`, `refused`, or why it could not be told. */
export function earlyDataPhrase(e: EarlyDataFacts): Phrase {
  if (e.earlyDataAccepted === true) {
    const limit = e.maxEarlyDataSize === undefined ? '' : ` (up to ${e.maxEarlyDataSize} bytes)`;
    return phrase(`accepted${limit}`, 'warn');
  }
  if (e.earlyDataAccepted === false) return phrase('refused');
  return phrase(
    `unknown: ${e.reason ?? (e.ticketIssued ? 'no resumption' : 'no ticket issued')}`,
    'dim',
  );
}
