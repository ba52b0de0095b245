// The built CLI, run as a user runs it: `node dist/bin/main.js …` (npm test builds first).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { exec } from '../helpers/exec.ts';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.ts';
import { startOpenSslServer, type RunningServer } from '../helpers/servers.ts';
import { assertValidScanReport } from '../helpers/schema.ts';
import { makeTestPki } from '../helpers/pki.ts';

const main = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

function wiretight(args: string[], env: Record<string, string> = {}): ReturnType<typeof exec> {
  return exec(process.execPath, [main, ...args], {
    timeoutMs: 30_000,
    env: { ...process.env, ...env },
  });
}

describe('wiretight scan (built CLI)', () => {
  let server: RunningServer;
  let http: HostileServer;
  before(async () => {
    assert.ok(existsSync(main), 'dist/bin/main.js is missing: run npm run build');
    server = await startOpenSslServer([
      '-tls1_2',
      '-serverpref',
      '-cipher',
      'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA',
    ]);
    http = await startHostileServer('http');
  });
  after(() => Promise.all([server.stop(), http.stop()]));

  test('--format json: exit 0 and a report that matches the schema', async () => {
    const r = await wiretight(['scan', `127.0.0.1:${server.port}`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { cipherSuites: Record<string, { name: string }[]> };
    assertValidScanReport(report);
    assert.deepEqual(
      report.cipherSuites['TLSv1.2']?.map((s) => s.name),
      ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_CBC_SHA'],
    );
  });

  test('text piped to a file has no colour; FORCE_COLOR brings it back', async () => {
    const plain = await wiretight(['scan', `127.0.0.1:${server.port}`]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /TLSv1\.2 +yes +server chooses/);
    assert.doesNotMatch(plain.stdout, /\x1b\[/);
    const forced = await wiretight(['scan', `127.0.0.1:${server.port}`], { FORCE_COLOR: '1' });
    assert.match(forced.stdout, /\x1b\[/);
  });

  test('--port applies to a target without one', async () => {
    const r = await wiretight(['scan', '127.0.0.1', '--port', String(server.port), '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { target: { port: number } }).target.port, server.port);
  });

  test('a plaintext HTTP port: exit 3, says what it found', async () => {
    const r = await wiretight(['scan', `127.0.0.1:${http.port}`]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /WT_ERR_SCAN_NOT_TLS/);
    assert.match(r.stdout, /HTTP\/1\.1 400/);
  });

  test('--expect-plaintext: the same port exits 0 and still reports transport.plaintext', async () => {
    const r = await wiretight([
      'scan',
      `127.0.0.1:${http.port}`,
      '--expect-plaintext',
      '-f',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { tls: boolean; findings: { id: string }[] };
    assert.equal(report.tls, false);
    assert.deepEqual(
      report.findings.map((f) => f.id),
      ['transport.plaintext'],
    );
  });

  test('--fail-on: exit 1 with the reason on stderr when a gate fails, 0 when it passes', async () => {
    // TLS 1.2 only, with static RSA (no forward secrecy) and CBC: an A- at best. The test
    // PKI's root is given as --ca, as a user of an internal CA would.
    const root = (await makeTestPki()).root.cert;
    const untrusted = await wiretight(['scan', `127.0.0.1:${server.port}`, '--fail-on', 'grade:A']);
    assert.equal(untrusted.code, 1, untrusted.stderr);
    assert.match(untrusted.stderr, /^wiretight: fail-on: grade T is worse than A$/m);
    const failed = await wiretight([
      'scan',
      `127.0.0.1:${server.port}`,
      '--ca',
      root,
      '--fail-on',
      'grade:A',
    ]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /^wiretight: fail-on: grade A- is worse than A$/m);
    const severity = await wiretight([
      'scan',
      `127.0.0.1:${server.port}`,
      '--fail-on',
      'severity:medium',
    ]);
    assert.equal(severity.code, 1);
    assert.match(severity.stderr, /suite\.no-forward-secrecy/);
    const passed = await wiretight([
      'scan',
      `127.0.0.1:${server.port}`,
      '--ca',
      root,
      '--fail-on',
      'grade:B',
      '--fail-on',
      'severity:critical',
    ]);
    assert.equal(passed.code, 0, passed.stderr);
    const bad = await wiretight(['scan', `127.0.0.1:${server.port}`, '--fail-on', 'grade:Z']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /grade:<A\+\|A\|A-/);
  });

  test('--ca with a file that is not PEM is a usage error naming the file', async () => {
    const r = await wiretight(['scan', `127.0.0.1:${server.port}`, '--ca', main]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /main\.js/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('a reader that closes the pipe early ends the CLI quietly', async () => {
    const r = await exec('sh', ['-c', `"${process.execPath}" "${main}" --help | head -c 10`], {
      timeoutMs: 30_000,
    });
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stderr, /EPIPE|at /);
  });

  test('usage errors: exit 2, one line, no stack trace', async () => {
    const r = await wiretight(['scan', '127.0.0.1', '--timeout', '-1']);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('docs/cli.md documents every option `scan --help` lists', async () => {
    const help = (await wiretight(['scan', '--help'])).stdout;
    const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const options = [...help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] as string);
    assert.ok(options.length > 15, options.join(' '));
    for (const option of options.filter((o) => o !== '--help')) {
      assert.ok(
        doc.includes(`\`${option}`) || doc.includes(` ${option}\``) || doc.includes(`${option} <`),
        option,
      );
    }
  });

  test('--help lists the command and its examples', async () => {
    const top = await wiretight(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /scan \[options\] \[targets\.\.\.\]/);
    const sub = await wiretight(['scan', '--help']);
    assert.match(sub.stdout, /Examples:/);
  });
});
