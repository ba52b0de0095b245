// `wiretight scan` over several targets, as a user runs it: a targets file, streamed
// reports, a summary, and the exit code of the worst target.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { exec } from '../helpers/exec.ts';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.ts';
import { makeTestPki } from '../helpers/pki.ts';
import { startOpenSslServer, type RunningServer } from '../helpers/servers.ts';
import { assertValidScanReport } from '../helpers/schema.ts';
import { assertGithubSarif, assertValidSarif } from '../../src/report/testdata/sarif-check.ts';
import { findAll, parseXml } from '../../src/report/testdata/xml-wellformed.ts';

const main = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

describe('wiretight scan with several targets', () => {
  let modern: RunningServer;
  let legacy: RunningServer;
  let http: HostileServer;
  let root: string;
  let list: string;
  before(async () => {
    root = (await makeTestPki()).root.cert;
    modern = await startOpenSslServer(['-tls1_3']);
    legacy = await startOpenSslServer(['-tls1', '-cipher', 'ALL:@SECLEVEL=0']);
    http = await startHostileServer('http');
    list = join(mkdtempSync(join(tmpdir(), 'wiretight-fleet-')), 'fleet.txt');
    writeFileSync(
      list,
      [
        '# three targets',
        `127.0.0.1:${modern.port} sni=localhost`,
        `127.0.0.1:${legacy.port} sni=localhost profile=intermediate`,
        `127.0.0.1:${http.port}`,
        '',
      ].join('\n'),
    );
  });
  after(() => Promise.all([modern.stop(), legacy.stop(), http.stop()]));

  const wiretight = (args: string[]) =>
    exec(process.execPath, [main, 'scan', '--ca', root, '--quick', ...args], { timeoutMs: 60_000 });

  test('text: every report, then a summary; exit 3 because one target is plaintext', async () => {
    const r = await wiretight(['--targets', list, '--concurrency', '2']);
    assert.equal(r.code, 3, r.stderr);
    for (const port of [modern.port, legacy.port, http.port]) {
      assert.match(r.stdout, new RegExp(`127\\.0\\.0\\.1:${port} `));
    }
    assert.match(r.stdout, /Summary: 3 targets, 2 speaking TLS/);
    assert.match(
      r.stdout,
      new RegExp(`not checked \\(1\\)\\n +127\\.0\\.0\\.1:${http.port} +WT_ERR_SCAN_NOT_TLS: HTTP`),
    );
    assert.doesNotMatch(r.stderr, /\r/, 'no progress line when stderr is not a terminal');
  });

  test('json: one array of valid reports, per-line options applied', async () => {
    const r = await wiretight(['--targets', list, '-f', 'json', '--expect-plaintext']);
    assert.equal(r.code, 0, r.stderr);
    const reports = JSON.parse(r.stdout) as {
      target: { port: number; sni: string | null };
      profile?: { name: string };
    }[];
    assert.equal(reports.length, 3);
    for (const report of reports) assertValidScanReport(report);
    const legacyReport = reports.find((x) => x.target.port === legacy.port);
    assert.equal(legacyReport?.target.sni, 'localhost');
    assert.equal(legacyReport?.profile?.name, 'intermediate');
  });

  test('targets on the command line, and gates per target on stderr', async () => {
    const r = await wiretight([
      `127.0.0.1:${modern.port}`,
      `127.0.0.1:${legacy.port}`,
      '--sni',
      'localhost',
      '--fail-on',
      'severity:medium',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `fail-on: 127\\.0\\.0\\.1:${legacy.port}: \\d+ findings? at medium or worse: .*protocol\\.tls10`,
      ),
    );
    assert.doesNotMatch(r.stderr, new RegExp(`127\\.0\\.0\\.1:${modern.port}:`));
  });

  test('ndjson streams one line per target; sarif, junit and html go to --output files', async () => {
    const nd = await wiretight(['--targets', list, '-f', 'ndjson', '--expect-plaintext']);
    assert.equal(nd.code, 0, nd.stderr);
    const lines = nd.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines) assertValidScanReport(JSON.parse(line));

    const dir = mkdtempSync(join(tmpdir(), 'wiretight-out-'));
    const sarif = join(dir, 'scan.sarif');
    const s = await wiretight([
      '--targets',
      list,
      '-f',
      'sarif',
      '-o',
      sarif,
      '--sarif-category',
      'edge',
    ]);
    assert.equal(s.code, 3, s.stderr);
    assert.equal(s.stdout, '', 'the report went to the file');
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as unknown;
    assertValidSarif(log);
    assertGithubSarif(log);

    const junit = join(dir, 'junit.xml');
    const j = await wiretight([
      '--targets',
      list,
      '-f',
      'junit',
      '-o',
      junit,
      '--fail-on',
      'severity:medium',
    ]);
    assert.equal(j.code, 3);
    const suite = parseXml(readFileSync(junit, 'utf8'));
    assert.equal(findAll(suite, 'testcase').length, 3);
    assert.ok(findAll(suite, 'failure').length > 0, 'the legacy server fails at medium');

    const html = join(dir, 'report.html');
    const h = await wiretight([`127.0.0.1:${legacy.port}`, '-f', 'html', '-o', html]);
    assert.equal(h.code, 0, h.stderr);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/i);
    assert.match(page, /protocol\.tls10/);
    assert.doesNotMatch(page, /<script|https?:\/\/[^"<\s]*\.(css|js)/);
  });

  test('--policy adds policy findings and suppresses what it names, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiretight-policy-'));
    const policy = join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      [
        'version: 1',
        'minVersion: TLSv1.2',
        'suppressions:',
        '  - id: suite.cbc',
        "    targets: ['127.0.0.1']",
        '    reason: legacy clients until the migration',
        "    expires: '2099-01-01'",
        '',
      ].join('\n'),
    );
    const r = await wiretight([`127.0.0.1:${legacy.port}`, '--policy', policy, '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      findings: { id: string }[];
      policy: { file: string; suppressed: { finding: { id: string }; reason: string }[] };
    };
    assertValidScanReport(report);
    const ids = report.findings.map((f) => f.id);
    assert.ok(ids.includes('policy.min-version'), ids.join(', '));
    assert.ok(!ids.includes('suite.cbc'));
    assert.deepEqual(
      report.policy.suppressed.map((x) => [x.finding.id, x.reason]),
      [['suite.cbc', 'legacy clients until the migration']],
    );

    writeFileSync(policy, 'version: 1\nminVersoin: TLSv1.2\n');
    const bad = await wiretight([`127.0.0.1:${legacy.port}`, '--policy', policy]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /policy\.yaml:2:1: .*minVersoin.*did you mean "minVersion"/);
  });

  test('--output to a place that cannot be written is a usage error', async () => {
    const r = await wiretight([`127.0.0.1:${modern.port}`, '-o', '/nonexistent-dir/x.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--output \/nonexistent-dir\/x\.json: cannot write it \(ENOENT\)/);
  });

  test('a bad targets file is a usage error naming the line', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'wiretight-fleet-')), 'bad.txt');
    writeFileSync(bad, 'ok.example\nnot a host!\n');
    const r = await wiretight(['--targets', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.txt:2: unexpected "a" after the target/);
    const missing = await wiretight(['--targets', join(tmpdir(), 'no-such-file.txt')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read it \(ENOENT\)/);
    const none = await wiretight([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give a target, or --targets FILE/);
  });
});
