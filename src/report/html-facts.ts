// The HTML report's sections about probes and sessions: vulnerability verdicts,
// resumption, stapling, renegotiation, 0-RTT, HTTP and the remaining handshake facts.
import { ACTIVE_CHECK_NAMES } from '../scan/checks/active-names.ts';
import type { ActiveVulnerabilityFacts } from '../scan/checks/active-vulnerabilities.ts';
import type { EarlyDataFacts } from '../scan/checks/early-data.ts';
import type { HttpFacts } from '../scan/http-facts.ts';
import type { ScanReport } from '../scan/report.ts';
import type { SessionFacts } from '../scan/session-facts.ts';
import { type Html, type HtmlValue, h } from './html-template.ts';
import { factTable, tone } from './html-sections.ts';
import {
  type Phrase,
  earlyDataPhrase,
  negotiatedPhrase,
  renegotiationPhrase,
  resumptionParts,
  yesNo,
} from './session-words.ts';

const said = (phrase: Phrase): Html => tone(phrase.tone, phrase.text);

export function vulnerabilitiesSection(v: ActiveVulnerabilityFacts | undefined): Html {
  if (v === undefined) return h``;
  const keys = Object.keys(ACTIVE_CHECK_NAMES) as (keyof ActiveVulnerabilityFacts)[];
  const rows = keys.map((key) => {
    const f = v[key];
    const verdict =
      f.verdict === 'vulnerable'
        ? tone('bad', 'VULNERABLE')
        : f.verdict === 'not-vulnerable'
          ? tone('good', 'not vulnerable')
          : f.verdict === 'inconclusive'
            ? tone('warn', 'inconclusive')
            : tone('dim', 'not applicable');
    return h`<tr><td>${ACTIVE_CHECK_NAMES[key]}</td><td>${verdict}</td><td>${f.reason}</td></tr>`;
  });
  return h`<h3>Vulnerability probes</h3>
<table><tr><th>Probe</th><th>Verdict</th><th>Why</th></tr>${rows}</table>
`;
}

function sessionRows(s: SessionFacts | undefined): (readonly [string, HtmlValue])[] {
  if (s === undefined) return [];
  const parts = resumptionParts(s.resumption);
  const resumption = parts.reduce<Html>(
    (acc, [label, value], i) => h`${acc}${i > 0 ? ', ' : ''}${label} ${said(value)}`,
    h``,
  );
  return [
    ['Negotiated (current client)', said(negotiatedPhrase(s.negotiated))],
    ['Resumption', resumption],
    ['OCSP stapling', said(yesNo(s.ocspStapling.stapled))],
    ['Client renegotiation', said(renegotiationPhrase(s.clientRenegotiation))],
  ];
}

function earlyDataRow(e: EarlyDataFacts | undefined): (readonly [string, HtmlValue])[] {
  return e === undefined ? [] : [['0-RTT early data', said(earlyDataPhrase(e))]];
}

function httpRows(h: HttpFacts | undefined): (readonly [string, HtmlValue])[] {
  if (h === undefined || !h.speaksHttp) return [];
  const hsts = h.https.hsts;
  const hstsValue =
    hsts === undefined
      ? tone('dim', 'unknown')
      : hsts === null
        ? tone('warn', 'none')
        : hsts.valid
          ? tone(
              'good',
              `max-age=${hsts.maxAge ?? '?'}${hsts.includeSubDomains === true ? '; includeSubDomains' : ''}${hsts.preload === true ? '; preload' : ''}`,
            )
          : tone('warn', `invalid: ${hsts.problem ?? hsts.values[0] ?? ''}`);
  const plain = h.plainHttp;
  const plainValue =
    plain.result === 'redirects-to-https'
      ? tone('good', `redirects to HTTPS (${plain.location ?? ''})`)
      : plain.result === 'not-listening'
        ? tone('dim', `nothing on port ${plain.port ?? ''}`)
        : plain.result === 'not-checked'
          ? tone('dim', `not checked: ${plain.reason ?? ''}`)
          : tone(
              'warn',
              `${plain.result}${plain.status === undefined ? '' : ` (${plain.status})`}`,
            );
  const encoding = h.https.contentEncoding ?? [];
  return [
    ['HSTS', hstsValue],
    ['Plain HTTP', plainValue],
    ['HTTP compression', encoding.length === 0 ? undefined : encoding.join(', ')],
    ['Server header', h.https.server],
  ];
}

/** The ServerHello extensions of the best version ≤ TLS 1.2 (older ones rarely differ). */
function extensionsRow(r: ScanReport): (readonly [string, HtmlValue])[] {
  const version = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).find(
    (v) => r.serverHelloExtensions[v] !== undefined,
  );
  if (version === undefined) return [];
  const names = r.serverHelloExtensions[version] ?? [];
  return [[`Extensions (${version})`, names.length > 0 ? names.join(', ') : 'none']];
}

/** Session, 0-RTT, HTTP and handshake facts in one table. */
export function sessionSection(r: ScanReport): Html {
  return h`<h3>Session and other facts</h3>
${factTable([
  ['ALPN', r.alpn.length > 0 ? r.alpn.join(', ') : 'none'],
  ['Client certificate', r.clientCertificateRequested ? 'requested' : 'not requested'],
  ...extensionsRow(r),
  ...sessionRows(r.session),
  ...earlyDataRow(r.earlyData),
  ...httpRows(r.http),
])}`;
}
