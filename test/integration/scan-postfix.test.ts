// Real scans of a real SMTP server: Postfix 3.7 (Debian 12), a private instance per suite,
// with STARTTLS (smtpd_tls_security_level = may, the test PKI's RSA leaf and chain) and
// without it (none), scanned in-process and through the CLI, and on the well-known ports
// 587 and 25 where the scanner picks the SMTP dialogue by itself. The CLI runs from the
// sources, like the rest of this folder; test/e2e drives the built one.
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { ScanReport } from '../../src/scan/report.ts';
import { exec } from '../helpers/exec.ts';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import {
  POSTFIX_HOSTNAME,
  type PostfixServer,
  liveProcessGroup,
  startPostfix,
} from '../helpers/postfix.ts';
import { parsed, scan } from '../helpers/scan.ts';
import { assertValidScanReport } from '../helpers/schema.ts';
import { assertMatchesStarttlsOracle } from '../helpers/starttls-oracle.ts';

// Postfix's master must start as root; CI and `npm test` run as root.
const skip = process.getuid?.() === 0 ? false : 'Postfix can only be started as root';

const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

function wiretight(args: readonly string[]): ReturnType<typeof exec> {
  return exec(process.execPath, [cli, 'scan', ...args], { timeoutMs: 60_000 });
}

const sha256 = (der: Buffer): string => createHash('sha256').update(der).digest('hex');
const ids = (report: ScanReport): string[] => report.findings.map((f) => f.id);

/** Nothing of the instance runs after stop(): master and every daemon it forked are gone. */
function assertNoSurvivors(postfix: PostfixServer | undefined): void {
  if (postfix !== undefined) {
    assert.deepEqual(liveProcessGroup(postfix.pid), [], 'a Postfix process outlived stop()');
  }
}

/**
 * Sessions in which the client sent STARTTLS, from smtpd's "disconnect … starttls=0/1"
 * summaries (0/1: issued once, the handshake not completed, as most probes leave it).
 */
async function starttlsSessions(server: PostfixServer, atLeast: number): Promise<number> {
  const count = () =>
    server.logs().match(/ disconnect from .* starttls=(?:\d+\/)?1 /g)?.length ?? 0;
  // postlogd writes asynchronously, after smtpd sees the scanner hang up
  for (let waited = 0; count() < atLeast && waited < 5000; waited += 100) await sleep(100);
  return count();
}

describe('Postfix with STARTTLS', { skip }, () => {
  let pki: TestPki;
  let postfix: PostfixServer;
  before(async () => {
    pki = await makeTestPki();
    postfix = await startPostfix({ starttls: true });
  });
  after(async () => {
    await postfix?.stop();
    assertNoSurvivors(postfix);
  });

  test('a full audit through EHLO and STARTTLS: Debian’s defaults and the test PKI’s chain', async () => {
    const report = await scan(postfix, { starttls: 'smtp', sni: 'localhost' });
    assert.equal(report.error, undefined, JSON.stringify(report.error));
    assert.equal(report.tls, true);
    assert.equal(report.starttls, 'smtp');
    assert.equal(report.scope, 'full');
    // Debian 12's Postfix: smtpd_tls_protocols = >=TLSv1, and its OpenSSL has no SSLv3.
    assert.deepEqual(report.protocols, {
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': true,
      'TLSv1.1': true,
      'TLSv1.2': true,
      'TLSv1.3': true,
    });
    assert.deepEqual(
      report.certificateChain.map((entry) => parsed(entry).sha256),
      [sha256(pki.rsa.der), sha256(pki.intermediate.der)],
    );
    assert.equal(report.certificates?.trust.trusted, true);
    assert.equal(report.certificates?.hostname?.matches, true);

    const found = ids(report);
    for (const absent of ['transport.plaintext', 'cert.untrusted', 'cert.hostname-mismatch']) {
      assert.ok(!found.includes(absent), `${absent} in ${found.join(', ')}`);
    }
    // Postfix's smtpd accepts anonymous suites unless told not to (smtpd_tls_exclude_ciphers
    // = aNULL), and OpenSSL's automatic DH parameters give ADH with AES-128 a 1024-bit group
    // (s_client sees the same): the scan must report both.
    for (const present of ['protocol.tls10', 'protocol.tls11', 'suite.anonymous', 'vuln.logjam']) {
      assert.ok(found.includes(present), `${present} missing from ${found.join(', ')}`);
    }
    assert.ok(
      report.cipherSuites['TLSv1.2']?.some((s) => s.name === 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA'),
    );
    assert.equal(report.grade.letter, 'F', JSON.stringify(report.grade.caps));
    const sessions = await starttlsSessions(postfix, 10);
    assert.ok(sessions >= 10, `${sessions} sessions sent STARTTLS`);
  });

  test('versions and suites are exactly those `openssl s_client -starttls smtp` completes', async () => {
    const report = await scan(postfix, { starttls: 'smtp', sni: 'localhost', quick: true });
    assert.equal(report.tls, true, JSON.stringify(report.error));
    await assertMatchesStarttlsOracle(postfix, report, 'smtp');
  });

  test('the CLI: --starttls smtp prints the JSON report and exits 0; a critical gate exits 1', async () => {
    const args = [
      `127.0.0.1:${postfix.port}`,
      ...['--starttls', 'smtp', '--sni', 'localhost', '--ca', pki.root.cert],
      ...['--no-fetch', '--http-port', 'none', '-f', 'json'],
    ];
    const ok = await wiretight(args);
    assert.equal(ok.code, 0, ok.stderr);
    const report = JSON.parse(ok.stdout) as ScanReport;
    assertValidScanReport(report);
    assert.equal(report.tls, true);
    assert.equal(report.starttls, 'smtp');
    assert.equal(report.certificates?.trust.trusted, true);
    // The anonymous suites are critical: a CI gate on critical findings stops here.
    const gated = await wiretight([...args, '--fail-on', 'severity:critical']);
    assert.equal(gated.code, 1, gated.stderr);
  });

  test('--starttls none on the same port: a cleartext SMTP greeting, not TLS', async () => {
    const report = await scan(postfix, { starttls: null, quick: true });
    assert.equal(report.tls, false);
    assert.equal(report.starttls, undefined);
    assert.equal(report.plaintext?.protocol, 'smtp');
    assert.match(report.plaintext?.description ?? '', new RegExp(`^SMTP: 220 ${POSTFIX_HOSTNAME}`));
    assert.deepEqual(ids(report), ['transport.plaintext']);
  });
});

describe('Postfix without STARTTLS', { skip }, () => {
  let postfix: PostfixServer;
  before(async () => {
    postfix = await startPostfix({ starttls: false });
  });
  after(async () => {
    await postfix?.stop();
    assertNoSurvivors(postfix);
  });

  test('EHLO lists no STARTTLS: transport.plaintext naming SMTP, not a failed scan', async () => {
    const report = await scan(postfix, { starttls: 'smtp' });
    assert.equal(report.tls, false);
    assert.equal(report.starttls, 'smtp');
    assert.equal(report.error?.code, 'WT_ERR_SCAN_NOT_TLS');
    assert.equal(report.plaintext?.protocol, 'smtp');
    // What the refusal saw: the first line of Postfix's EHLO reply, which lists no STARTTLS.
    assert.equal(report.plaintext.description, `SMTP without STARTTLS: 250-${POSTFIX_HOSTNAME}`);
    assert.ok(report.plaintext.firstBytesText.startsWith(postfix.banner), postfix.banner);
    assert.deepEqual(ids(report), ['transport.plaintext']);
    assert.match(report.findings[0]?.evidence ?? '', /SMTP without STARTTLS/);
  });

  test('the CLI exits 3 saying what it found; --expect-plaintext exits 0', async () => {
    const target = `127.0.0.1:${postfix.port}`;
    const refused = await wiretight([target, '--starttls', 'smtp']);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stdout, /WT_ERR_SCAN_NOT_TLS/);
    assert.match(refused.stdout, /detected: SMTP without STARTTLS/);
    assert.match(refused.stdout, /\[transport\.plaintext\]/);

    const expected = await wiretight([
      target,
      '--starttls',
      'smtp',
      '--expect-plaintext',
      '-f',
      'json',
    ]);
    assert.equal(expected.code, 0, expected.stderr);
    const report = JSON.parse(expected.stdout) as ScanReport;
    assertValidScanReport(report);
    assert.equal(report.tls, false);
    assert.equal(report.plaintext?.protocol, 'smtp');
    assert.deepEqual(ids(report), ['transport.plaintext']);
  });
});

/** True when nothing listens on host:port (a bind fails on a specific or a wildcard listener). */
function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A 127/8 address other than 127.0.0.1 where `port` is free, or undefined after a few tries. */
async function spareLoopback(port: number): Promise<string | undefined> {
  for (let i = 0; i < 5; i++) {
    const host = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (await canListen(host, port)) return host;
  }
  return undefined;
}

describe('STARTTLS chosen from the well-known port', { skip }, () => {
  for (const port of [587, 25]) {
    test(`Postfix on port ${port}: the scan speaks SMTP first without being told`, async (t) => {
      const host = await spareLoopback(port);
      if (host === undefined) {
        t.skip(`port ${port} is taken on every loopback address tried`);
        return;
      }
      const postfix = await startPostfix({ starttls: true, host, port });
      try {
        const report = await scan(postfix, { sni: 'localhost', quick: true });
        assert.equal(report.tls, true, JSON.stringify(report.error));
        assert.equal(report.starttls, 'smtp');
        assert.equal(report.protocols['TLSv1.3'], true);

        const run = await wiretight([
          `${host}:${port}`,
          '--quick',
          '--sni',
          'localhost',
          '-f',
          'json',
        ]);
        assert.equal(run.code, 0, run.stderr);
        const viaCli = JSON.parse(run.stdout) as ScanReport;
        assert.equal(viaCli.starttls, 'smtp');
        assert.equal(viaCli.tls, true);
      } finally {
        await postfix.stop();
      }
      assertNoSurvivors(postfix);
    });
  }
});
