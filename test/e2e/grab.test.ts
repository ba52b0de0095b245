// `wiretight scan --grab` as a user runs it over a small fleet: a few lines per target,
// a summary, JSON that follows the grab schema, and usage errors for what a grab cannot do.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { exec } from '../helpers/exec.ts';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.ts';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import { startOpenSslServer, type RunningServer } from '../helpers/servers.ts';
import { assertValidGrabReport } from '../helpers/schema.ts';
import type { GrabReport } from '../../src/scan/grab/report.ts';

const main = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

describe('wiretight scan --grab', () => {
  let pki: TestPki;
  let modern: RunningServer;
  let expired: RunningServer;
  let http: HostileServer;
  before(async () => {
    pki = await makeTestPki();
    modern = await startOpenSslServer(['-tls1_3']);
    expired = await startOpenSslServer(['-tls1_2'], pki.expired);
    http = await startHostileServer('http');
  });
  after(() => Promise.all([modern.stop(), expired.stop(), http.stop()]));

  const wiretight = (args: string[]) =>
    exec(
      process.execPath,
      [main, 'scan', '--grab', '--ca', pki.root.cert, '--sni', 'localhost', ...args],
      { timeoutMs: 60_000 },
    );
  const targets = () => [modern, expired, http].map((s) => `127.0.0.1:${s.port}`);

  test('text: what each target negotiated, then versions and certificates in a summary', async () => {
    const r = await wiretight([...targets(), '--no-color']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, new RegExp(`127\\.0\\.0\\.1:${modern.port} {2}TLSv1\\.3 {2}TLS_`));
    assert.match(r.stdout, new RegExp(`127\\.0\\.0\\.1:${expired.port} {2}TLSv1\\.2 {2}`));
    // An expired certificate fails path validation too.
    assert.match(r.stdout, /expired 2020-02-01 {2}untrusted\n {2}CRITICAL  .*\[cert\.expired\]/);
    assert.match(r.stdout, new RegExp(`127\\.0\\.0\\.1:${http.port} {2}plaintext: HTTP`));
    assert.match(r.stdout, /Summary: 3 targets, 2 speaking TLS/);
    assert.match(r.stdout, /versions +TLSv1\.3 1 {2}TLSv1\.2 1/);
    assert.match(r.stdout, /certificates +expired 1 {2}expiring soon 0 {2}untrusted 1/);
  });

  test('json: an array of wiretight.grab/v1 reports, one or two connections each', async () => {
    const r = await wiretight([...targets(), '-f', 'json']);
    const reports = JSON.parse(r.stdout) as GrabReport[];
    assert.equal(reports.length, 3);
    for (const report of reports) {
      assertValidGrabReport(report);
      assert.ok(report.handshakes >= 1 && report.handshakes <= 2, `${report.handshakes}`);
    }
  });

  test('--fail-on severity: gates the findings; a grade gate, SARIF or --quick are usage errors', async () => {
    const gated = await wiretight([`127.0.0.1:${expired.port}`, '--fail-on', 'severity:high']);
    assert.equal(gated.code, 1, gated.stderr);
    assert.match(gated.stderr, /fail-on: .*cert\.expired/);
    for (const extra of [['--fail-on', 'grade:B'], ['-f', 'sarif'], ['--quick']]) {
      const r = await wiretight([`127.0.0.1:${modern.port}`, ...extra]);
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--grab .* does not go with/);
    }
  });
});
