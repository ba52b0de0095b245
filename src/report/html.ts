// One self-contained HTML page for one or many reports: inline CSS, no scripts, no
// external resources, readable on screen and on paper.
import type { ScanReport } from '../scan/report.ts';
import { clientsSection } from './html-clients.ts';
import { endpointLabel } from './endpoint.ts';
import { certificatesSection } from './html-certs.ts';
import { sessionSection, vulnerabilitiesSection } from './html-facts.ts';
import {
  findingsSection,
  gradeBadge,
  gradeDetails,
  keyExchangeSection,
  protocolsSection,
  suitesSection,
  tone,
} from './html-sections.ts';
import { STYLE, gradeClass } from './html-style.ts';
import { type Html, attr, h, markupOf, trusted } from './html-template.ts';
import { severityCounts } from './summary.ts';

export interface HtmlOptions {
  /** The page title (default `wiretight scan report`). */
  readonly title?: string;
  /** Reference time for "days left" on certificates (injected for tests). */
  readonly now?: number;
}

const anchor = (i: number): string => `target-${i + 1}`;

function summaryTable(reports: readonly ScanReport[]): Html {
  const rows = reports.map((r, i) => {
    const badge = h`<span class="${attr(`${gradeClass(r.grade.letter)} small`)}">${r.grade.letter ?? '–'}</span>`;
    const findings =
      r.error === undefined ? severityCounts(r.findings) : tone('bad', r.error.message);
    return h`<tr><td><a href="#${attr(anchor(i))}">${endpointLabel(r.target)}</a></td><td>${badge}</td><td>${findings}</td></tr>
`;
  });
  return h`<table class="summary"><tr><th>Endpoint</th><th>Grade</th><th>Findings</th></tr>
${rows}</table>
`;
}

/** Why a scan stopped at first contact, and what a cleartext service answered. */
function stoppedSection(r: ScanReport): Html {
  if (r.error === undefined) return h``;
  const p = r.plaintext;
  const answer =
    p === undefined
      ? ''
      : h`<table class="facts"><tr><th>Detected</th><td>${p.description}</td></tr><tr><th>Answered</th><td><pre>${p.firstBytesText}</pre></td></tr></table>`;
  return h`<p class="bad">${r.error.message} <code class="dim">${r.error.code}</code></p>${answer}`;
}

function article(r: ScanReport, i: number, now: number): Html {
  const t = r.target;
  const where = `${t.ip || 'unresolved'}, ${t.sni === null ? 'no SNI' : `SNI ${t.sni}`}`;
  const connections = `${r.handshakes} connection${r.handshakes === 1 ? '' : 's'}`;
  const stats = `Scanned ${r.startedAt} (${r.scope} scan), ${connections} in ${r.durationMs} ms, wiretight ${r.tool.version}.`;
  const facts =
    r.error === undefined
      ? h`${protocolsSection(r)}${suitesSection(r)}${keyExchangeSection(r)}${certificatesSection(r.certificates, r.certificateChain, now)}${vulnerabilitiesSection(r.vulnerabilities)}${clientsSection(r.clients)}${sessionSection(r)}`
      : '';
  return h`<article id="${attr(anchor(i))}">
<header class="target">${gradeBadge(r.grade)}<div><h2>${endpointLabel(t)}</h2><p class="dim">${where}</p>${gradeDetails(r)}</div></header>
${stoppedSection(r)}${findingsSection(r.findings)}${facts}
<p class="dim">${stats}</p>
</article>
`;
}

/**
 * The reports as one HTML page: a summary table on top when there are several, then per
 * endpoint the grade (big, coloured), the findings with their fixes and configuration
 * snippets, and the facts behind them. Every string from a report is escaped. Void
 * elements are self-closed, so the page is also well-formed XML (the tests parse it so).
 */
export function renderHtml(reports: readonly ScanReport[], options: HtmlOptions = {}): string {
  const now = options.now ?? Date.now();
  const title = options.title ?? 'wiretight scan report';
  const summary = reports.length > 1 ? summaryTable(reports) : '';
  const empty = reports.length === 0 ? h`<p class="dim">No endpoints were scanned.</p>` : '';
  const page = h`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="generator" content="wiretight"/>
<title>${title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<h1>${title}</h1>
${summary}${empty}${reports.map((r, i) => article(r, i, now))}
</body>
</html>
`;
  return markupOf(page);
}
