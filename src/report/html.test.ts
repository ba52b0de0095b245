import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanReport } from '../scan/report.ts';
import { renderHtml } from './html.ts';
import { escapeText } from './markup.ts';
import {
  HOSTILE,
  plaintextReport,
  strongReport,
  unreachableReport,
  weakReport,
} from './testdata/reports.ts';
import {
  type XmlElement,
  findAll,
  parseXml,
  textContent as textOf,
} from './testdata/xml-wellformed.ts';

const now = Date.parse('2026-11-23T00:00:00Z');

/** The weak report with the audit's facts, hostile text wherever a server chooses it. */
function auditedReport(): ScanReport {
  const verdict = (v: 'vulnerable' | 'not-vulnerable' | 'inconclusive' | 'not-applicable') => ({
    verdict: v,
    reason: `because ${HOSTILE}`,
  });
  return {
    ...weakReport(),
    vulnerabilities: {
      heartbleed: verdict('vulnerable'),
      ccsInjection: verdict('not-vulnerable'),
      robot: { ...verdict('inconclusive'), connections: 5 },
      compression: verdict('not-applicable'),
      fallbackScsv: verdict('not-vulnerable'),
      renegotiation: verdict('not-vulnerable'),
    },
    session: {
      negotiated: {
        version: 'TLSv1.2',
        suite: 'ECDHE-RSA-AES128-GCM-SHA256',
        group: 'x25519',
        alpn: HOSTILE,
      },
      ocspStapling: { stapled: false },
      resumption: {
        legacyVersion: 'TLSv1.2',
        sessionId: true,
        ticket: null,
        tls13Ticket: null,
        why: {},
      },
      clientRenegotiation: { result: 'accepted' },
    },
    earlyData: { ticketIssued: true, resumed: null, earlyDataAccepted: null, reason: HOSTILE },
    http: {
      speaksHttp: true,
      https: {
        result: 'response',
        status: 200,
        server: HOSTILE,
        hsts: { values: [HOSTILE], valid: false, problem: `bad directive ${HOSTILE}` },
      },
      plainHttp: { port: 80, result: 'redirects-to-other-host', status: 301, location: HOSTILE },
    },
  };
}

/** The page as a tree: the doctype aside, it must parse as strict XML (void tags closed). */
function parsePage(page: string): XmlElement {
  assert.ok(page.startsWith('<!DOCTYPE html>\n'));
  return parseXml(page.slice('<!DOCTYPE html>\n'.length));
}

const byClass = (root: XmlElement, name: string, cls: string): XmlElement[] =>
  findAll(root, name).filter((e) => (e.attributes['class'] ?? '').split(' ').includes(cls));

test('self-contained: inline style, no script, no external resource', () => {
  const page = renderHtml([auditedReport(), strongReport()], { now });
  assert.doesNotMatch(page, /<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
  assert.doesNotMatch(page, /href="(?!#)/);
  const root = parsePage(page);
  assert.equal(findAll(root, 'style').length, 1);
  assert.equal(findAll(root, 'script').length, 0);
});

test('hostile server text is escaped everywhere it appears', () => {
  const page = renderHtml([auditedReport(), unreachableReport(), plaintextReport()], { now });
  assert.ok(!page.includes(HOSTILE));
  assert.ok(!page.includes('<script>'));
  assert.ok(!page.includes('\u0000'));
  const root = parsePage(page);
  const text = textOf(root);
  const shown = HOSTILE.replace('\u0000', '\\x00')
    .replace('\u001b', '\\x1b')
    .replace('\ud800', '\\ud800');
  // Certificate subject, finding evidence, snippet, ALPN, HSTS, redirect, probe reasons,
  // error message and the plaintext banner: each is on the page as text.
  for (const needle of [
    `CN=${shown}`,
    `The certificate names ${shown}, not db.internal.`,
    `server_name ${shown};`,
    `because ${shown}`,
    `connect ECONNREFUSED ${shown}`,
    `HTTP (${shown})`,
    `redirects-to-other-host (301)`,
    `invalid: bad directive ${shown}`,
  ]) {
    assert.ok(text.includes(needle), needle);
  }
  assert.ok(page.includes(escapeText(`CN=${HOSTILE}`)));
});

test('the grade is big and coloured; findings carry fixes and collapsible snippets', () => {
  const root = parsePage(renderHtml([weakReport()], { now }));
  const badge = byClass(root, 'div', 'grade')[0];
  assert.equal(badge?.text, 'C');
  assert.ok(badge?.attributes['class']?.includes('grade-bad'));
  const findings = byClass(root, 'div', 'finding');
  assert.equal(findings.length, weakReport().findings.length);
  const first = findings[0]!;
  assert.match(textOf(first), /Fix: Reissue the certificate/);
  const snippet = findAll(first, 'details')[0];
  assert.match(textOf(snippet!), /^Configuration for nginx/);
  assert.equal(findAll(snippet!, 'pre')[0]?.text.startsWith('server_name <script>'), true);
  // One report: no summary table.
  assert.equal(byClass(root, 'table', 'summary').length, 0);
  const strong = byClass(parsePage(renderHtml([strongReport()], { now })), 'div', 'grade')[0];
  assert.ok(strong?.attributes['class']?.includes('grade-good'));
});

test('protocols, suites, chain, vulnerabilities and session facts are tabled', () => {
  const root = parsePage(renderHtml([auditedReport()], { now }));
  const headings = findAll(root, 'h3').map((h) => textOf(h));
  assert.deepEqual(headings, [
    'Findings (8)',
    'Protocols',
    'Cipher suites',
    'Key exchange',
    'Certificate chain (as sent)',
    'Vulnerability probes',
    'Session and other facts',
  ]);
  const rows = findAll(root, 'tr').map((r) => findAll(r, 'td').map(textOf));
  assert.ok(rows.some((r) => r[0] === 'TLSv1.0' && r[1] === 'yes (insecure)'));
  const des = findAll(root, 'tr').find((r) => textOf(r).includes('TLS_RSA_WITH_3DES_EDE_CBC_SHA'));
  assert.equal(des?.attributes['class'], 'bad');
  assert.ok(rows.some((r) => r[0] === 'Heartbleed' && r[1] === 'VULNERABLE'));
  const facts = Object.fromEntries(
    findAll(root, 'tr')
      .filter((r) => findAll(r, 'th').length === 1 && findAll(r, 'td').length === 1)
      .map((r) => [textOf(findAll(r, 'th')[0]!), textOf(findAll(r, 'td')[0]!)]),
  );
  assert.equal(facts['Client renegotiation'], 'accepted');
  assert.equal(facts['Resumption'], 'session ID yes, ticket unknown, TLS 1.3 ticket unknown');
  assert.equal(facts['OCSP stapling'], 'no');
  assert.equal(facts['Valid'], '2026-01-01 → 2027-01-01, 39 days left');
});

test('several reports: a summary table on top linking to each endpoint', () => {
  const reports = [weakReport(), strongReport(), unreachableReport(), plaintextReport()];
  const root = parsePage(renderHtml(reports, { now, title: 'Fleet <nightly>' }));
  assert.equal(textOf(findAll(root, 'title')[0]!), 'Fleet <nightly>');
  const summary = byClass(root, 'table', 'summary')[0];
  assert.ok(summary !== undefined);
  const rows = findAll(summary, 'tr')
    .slice(1)
    .map((r) => findAll(r, 'td').map(textOf));
  assert.deepEqual(
    rows.map((r) => [r[0], r[1]]),
    [
      ['db.internal:5433', 'C'],
      ['[::1]:8443', 'A'],
      ['gone.internal:443', '–'],
      ['cache.internal:6379', '–'],
    ],
  );
  assert.equal(rows[0]?.[2], '1 high, 3 medium, 4 low');
  const links = findAll(summary, 'a').map((a) => a.attributes['href']);
  const ids = findAll(root, 'article').map((a) => `#${a.attributes['id'] ?? ''}`);
  assert.deepEqual(links, ids);
  // A scan that stopped at first contact shows why, and no empty fact tables.
  const gone = findAll(root, 'article')[2]!;
  assert.ok(!findAll(gone, 'h3').some((h) => textOf(h) === 'Protocols'));
  assert.match(textOf(gone), /connect ECONNREFUSED/);
});

test('no reports still make a valid page', () => {
  const root = parsePage(renderHtml([], { now }));
  assert.match(textOf(root), /No endpoints were scanned\./);
});
