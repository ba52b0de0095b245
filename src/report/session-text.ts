import { ACTIVE_CHECK_NAMES } from '../scan/checks/active-names.ts';
import type { ActiveVulnerabilityFacts } from '../scan/checks/active-vulnerabilities.ts';
import type { EarlyDataFacts } from '../scan/checks/early-data.ts';
import type { HttpFacts } from '../scan/http-facts.ts';
import type { SessionFacts } from '../scan/session-facts.ts';
import {
  type Phrase,
  earlyDataPhrase,
  negotiatedPhrase,
  renegotiationPhrase,
  resumptionParts,
  yesNo,
} from './session-words.ts';
import { type Painter, pad } from './style.ts';

const COLOURS = { good: 'green', warn: 'yellow', bad: 'red', dim: 'dim' } as const;

function paint(phrase: Phrase, p: Painter): string {
  return phrase.tone === undefined ? phrase.text : p(COLOURS[phrase.tone], phrase.text);
}

/** Resumption, stapling, renegotiation and the handshake a current client gets. */
export function sessionLines(s: SessionFacts | undefined, p: Painter): string[] {
  if (s === undefined) return [];
  const resumption = resumptionParts(s.resumption)
    .map(([label, value]) => `${label} ${paint(value, p)}`)
    .join(', ');
  return [
    `  ${pad('Negotiated', 22)}${paint(negotiatedPhrase(s.negotiated), p)}`,
    `  ${pad('Resumption', 22)}${resumption}`,
    `  ${pad('OCSP stapling', 22)}${paint(yesNo(s.ocspStapling.stapled), p)}`,
    `  ${pad('Client renegotiation', 22)}${paint(renegotiationPhrase(s.clientRenegotiation), p)}`,
  ];
}

/** HSTS and the plain HTTP redirect, for ports that speak HTTP. */
export function httpLines(h: HttpFacts | undefined, p: Painter): string[] {
  if (h === undefined || !h.speaksHttp) return [];
  const hsts = h.https.hsts;
  const hstsText =
    hsts === undefined
      ? p('dim', 'unknown')
      : hsts === null
        ? p('yellow', 'none')
        : hsts.valid
          ? `max-age=${hsts.maxAge ?? '?'}${hsts.includeSubDomains === true ? '; includeSubDomains' : ''}${hsts.preload === true ? '; preload' : ''}`
          : p('yellow', `invalid: ${hsts.problem ?? hsts.values[0] ?? ''}`);
  const plain = h.plainHttp;
  const plainText =
    plain.result === 'redirects-to-https'
      ? `redirects to HTTPS (${plain.location ?? ''})`
      : plain.result === 'not-checked' || plain.result === 'not-listening'
        ? p(
            'dim',
            plain.result === 'not-listening'
              ? `nothing on port ${plain.port ?? ''}`
              : `not checked: ${plain.reason ?? ''}`,
          )
        : p('yellow', `${plain.result}${plain.status === undefined ? '' : ` (${plain.status})`}`);
  const encoding = h.https.contentEncoding ?? [];
  return [
    `  ${pad('HSTS', 22)}${hstsText}`,
    `  ${pad('Plain HTTP', 22)}${plainText}`,
    ...(encoding.length > 0 ? [`  ${pad('HTTP compression', 22)}${encoding.join(', ')}`] : []),
  ];
}

const VULNERABILITY_NAMES: Record<keyof ActiveVulnerabilityFacts, string> = ACTIVE_CHECK_NAMES;

/** One line per raw-wire probe: its verdict, and why when it is not a plain no. */
export function vulnerabilityLines(v: ActiveVulnerabilityFacts | undefined, p: Painter): string[] {
  if (v === undefined) return [];
  return (Object.keys(VULNERABILITY_NAMES) as (keyof ActiveVulnerabilityFacts)[]).map((key) => {
    const f = v[key];
    const verdict =
      f.verdict === 'vulnerable'
        ? p('red', 'VULNERABLE')
        : f.verdict === 'not-vulnerable'
          ? p('green', 'not vulnerable')
          : f.verdict === 'inconclusive'
            ? p('yellow', `inconclusive: ${f.reason}`)
            : p('dim', 'not applicable');
    return `  ${pad(VULNERABILITY_NAMES[key], 26)}${verdict}`;
  });
}

/** 0-RTT: accepted, refused, or why it could not be told. */
export function earlyDataLines(e: EarlyDataFacts | undefined, p: Painter): string[] {
  if (e === undefined) return [];
  return [`  ${pad('0-RTT early data', 22)}${paint(earlyDataPhrase(e), p)}`];
}
