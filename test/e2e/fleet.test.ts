// `wiretight scan` over several targets, as a user runs it: a targets file, streamed
// reports, a summary, and the exit code of the worst target.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { exec } from '../helpers/exec.ts';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.ts';
import { makeTestPki } from '../helpers/pki.ts';
import { startOpenSslServer, type RunningServer } from '../helpers/servers.ts';
import { assertValidScanReport } from '../helpers/schema.ts';

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
