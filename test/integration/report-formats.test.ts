// Every report format rendered from real scans of openssl s_server: a modern server, a
// legacy one (TLS 1.0, CBC, static RSA), and one whose certificate subject is markup.
// SARIF is validated against the official schema and GitHub's required subset; JUnit is
// parsed strictly (and by Python's expat when python3 is there); HTML must parse as XML
// and show the hostile subject as text.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderHtml, renderJunit, renderNdjson, renderSarif } from '../../src/report/index.ts';
import type { SarifLog } from '../../src/report/index.ts';
import { FINDING_IDS } from '../../src/scan/findings/index.ts';
import { assertGithubSarif, assertValidSarif } from '../../src/report/testdata/sarif-check.ts';
import { findAll, parseXml, textContent } from '../../src/report/testdata/xml-wellformed.ts';
import { exec, execOk } from '../helpers/exec.ts';
import { scan, type ScanReport } from '../helpers/scan.ts';
import { type RunningServer, startOpenSslServer } from '../helpers/servers.ts';
import { findProgram, requireProgram } from '../helpers/tools.ts';

const HOSTILE_CN = `<script>alert("x")</script> & 'q'`;

/** A self-signed ECDSA certificate whose subject is HOSTILE_CN (openssl -subj escapes `/`). */
async function hostileCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'hostile.pem');
  const key = join(dir, 'hostile.key');
  await execOk(requireProgram('openssl'), [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '30',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    `/CN=${HOSTILE_CN.replace('/', '\\/')}`,
    '-addext',
    'subjectAltName=DNS:localhost',
  ]);
  return { cert, key };
}

describe('report formats from real scans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wiretight-report-formats-'));
  const servers: RunningServer[] = [];
  let reports: ScanReport[];
  let legacy: RunningServer;

  before(async () => {
    const modern = await startOpenSslServer([]);
    servers.push(modern);
    legacy = await startOpenSslServer(['-no_tls1_3', '-cipher', 'ALL:@SECLEVEL=0']);
    servers.push(legacy);
    const hostile = await startOpenSslServer(['-tls1_3'], await hostileCertificate(dir));
    servers.push(hostile);
    reports = [];
    for (const s of servers) reports.push(await scan(s));
  });
  const hostileSubject = (): string => {
    const leaf = reports[2]?.certificateChain[0];
    assert.ok(leaf !== undefined && 'subject' in leaf);
    return leaf.subject;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the scans found what the formats are to show', () => {
    const [modern, old] = reports;
    assert.equal(modern?.protocols['TLSv1.3'], true);
    assert.equal(old?.protocols['TLSv1.0'], true);
    assert.ok(old?.findings.some((f) => f.id === 'protocol.tls10'));
    // Node's one-line form puts a backslash before < > and ": the markup stays.
    assert.match(hostileSubject(), /^CN=\\<script\\>alert\(\\"x\\"\)\\<\/script\\> & 'q'$/);
  });

  test('SARIF: valid against the official schema and what GitHub requires', () => {
    const log = JSON.parse(renderSarif(reports, { category: 'integration' })) as SarifLog;
    assertValidSarif(log);
    assertGithubSarif(log);
    const run = log.runs[0];
    const total = reports.reduce((n, r) => n + r.findings.length, 0);
    assert.equal(run.results.length, total);
    for (const rule of run.tool.driver.rules) assert.ok(FINDING_IDS.includes(rule.id), rule.id);
    const uris = new Set(
      run.results.map((r) => r.locations[0]?.physicalLocation?.artifactLocation.uri),
    );
    const withFindings = reports.filter((r) => r.findings.length > 0);
    assert.equal(uris.size, withFindings.length);
  });

  test('SARIF fingerprints of a second scan of the same server are the same', async () => {
    const again = await scan(legacy);
    const hashes = (r: ScanReport) =>
      (JSON.parse(renderSarif([r])) as SarifLog).runs[0].results
        .map((x) => x.partialFingerprints['primaryLocationLineHash'])
        .sort();
    assert.deepEqual(hashes(again), hashes(reports[1]!));
  });

  test('JUnit: one case per server, one failure per finding at the threshold', async () => {
    const xml = renderJunit(reports, { failOn: 'medium' });
    const root = parseXml(xml);
    const cases = findAll(root, 'testcase');
    assert.equal(cases.length, reports.length);
    reports.forEach((r, i) => {
      const expected = r.findings.filter((f) =>
        ['critical', 'high', 'medium'].includes(f.severity),
      );
      assert.deepEqual(
        findAll(cases[i]!, 'failure').map((f) => f.attributes['type']),
        expected.map((f) => f.id),
      );
    });
    const hostileCase = cases[2]!;
    const mismatch = findAll(hostileCase, 'failure')
      .map((f) => textContent(f))
      .join('\n');
    // Only the hostile certificate's own findings could quote its subject; either way the
    // document parsed, so nothing in it escaped its element.
    assert.ok(!xml.includes('<script>'));
    assert.equal(typeof mismatch, 'string');
  });

  test('JUnit parses with an independent XML parser (Python expat)', async (t) => {
    const python = findProgram('python3');
    if (python === undefined) {
      t.skip('python3 is not installed');
      return;
    }
    const xml = renderJunit(reports, { failOn: 'low' });
    const r = await exec(
      python,
      [
        '-c',
        'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); print(len(d.getElementsByTagName("testcase")))',
      ],
      { input: xml },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), String(reports.length));
  });

  test('NDJSON: one line per report that parses back to it', () => {
    const text = reports.map(renderNdjson).join('');
    const lines = text.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, reports.length);
    lines.forEach((line, i) =>
      assert.deepEqual(JSON.parse(line), JSON.parse(JSON.stringify(reports[i]))),
    );
  });

  test('HTML: one page, the hostile subject shown as text, a summary row per server', () => {
    const page = renderHtml(reports);
    assert.ok(!page.includes('<script'));
    assert.doesNotMatch(page, /\ssrc=|<link|@import|url\(/);
    const root = parseXml(page.slice(page.indexOf('<html')));
    assert.ok(textContent(root).includes(hostileSubject()));
    const summary = findAll(root, 'table').find((t) => t.attributes['class'] === 'summary');
    assert.equal(findAll(summary!, 'tr').length, reports.length + 1);
    assert.equal(findAll(root, 'article').length, reports.length);
  });
});
