// STARTTLS through the scanner's Dialer against real peers: PostgreSQL 15 (SSLRequest),
// Dovecot (IMAP, when installed) and an in-process SMTP server that hands the upgraded
// socket to node:tls. Each scan is checked against `openssl s_client -starttls`, whose
// dialogue is OpenSSL's own, not ours.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { starttlsDialer, StarttlsRefusedError } from '../../src/probe/starttls/index.ts';
import type { StarttlsProtocol } from '../../src/probe/starttls/index.ts';
import { scanEndpoint } from '../../src/scan/engine.ts';
import type { ScanReport } from '../../src/scan/report.ts';
import { dovecotPath, startDovecotImap } from '../helpers/dovecot.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { assertValidScanReport } from '../helpers/schema.ts';
import type { RunningServer } from '../helpers/servers.ts';
import { assertMatchesStarttlsOracle } from '../helpers/starttls-oracle.ts';
import { type StarttlsSmtpServer, startStarttlsSmtp } from '../helpers/starttls-smtp.ts';

const endpointOf = (server: { port: number }) => ({
  host: 'localhost',
  address: '127.0.0.1',
  port: server.port,
});

async function quickScan(
  server: { port: number },
  protocol: StarttlsProtocol,
): Promise<ScanReport> {
  const report = await scanEndpoint(
    { host: '127.0.0.1', port: server.port },
    { dialer: starttlsDialer(protocol), sni: 'localhost', quick: true, timeoutMs: 5000 },
  );
  assertValidScanReport(report);
  return report;
}

async function refusal(
  protocol: StarttlsProtocol,
  server: { port: number },
): Promise<StarttlsRefusedError> {
  try {
    (await starttlsDialer(protocol)(endpointOf(server), AbortSignal.timeout(5000))).destroy();
  } catch (err) {
    assert.ok(err instanceof StarttlsRefusedError, String(err));
    return err;
  }
  assert.fail('the dialer resolved');
}

describe('PostgreSQL 15 behind its SSLRequest', () => {
  let sslOn: RunningServer;
  let sslOff: RunningServer;
  before(async () => {
    [sslOn, sslOff] = await Promise.all([
      startPostgres({ ssl: true }),
      startPostgres({ ssl: false }),
    ]);
  });
  after(async () => {
    await Promise.all([sslOn?.stop(), sslOff?.stop()]);
  });

  test('ssl=on: the scan finds TLS 1.2 and 1.3 and exactly the suites s_client does', async () => {
    const report = await quickScan(sslOn, 'postgres');
    assert.equal(report.tls, true, JSON.stringify(report.error));
    assert.equal(report.protocols['TLSv1.2'], true);
    assert.equal(report.protocols['TLSv1.3'], true);
    assert.equal(report.protocols['TLSv1.0'], false);
    assert.ok((report.cipherSuites['TLSv1.3'] ?? []).length >= 3);
    assert.ok(report.certificateChain.length >= 1, 'the chain was read');
    await assertMatchesStarttlsOracle(sslOn, report, 'postgres');
  });

  test('ssl=off: the dialer rejects with a StarttlsRefusedError for transport.plaintext', async () => {
    const err = await refusal('postgres', sslOff);
    assert.equal(err.code, 'WT_ERR_STARTTLS_REFUSED');
    assert.deepEqual(err.plaintext, {
      protocol: 'postgresql',
      description: "PostgreSQL with SSL off (answered 'N' to an SSLRequest)",
      firstBytesHex: '4e',
      firstBytesText: 'N',
    });
  });

  test('without the STARTTLS dialer the same server is not TLS', async () => {
    const report = await scanEndpoint(
      { host: '127.0.0.1', port: sslOn.port },
      { quick: true, timeoutMs: 5000 },
    );
    assert.equal(report.tls, false);
  });
});

describe('SMTP: scripted dialogue, then node:tls on the same socket', () => {
  let smtp: StarttlsSmtpServer;
  let plain: StarttlsSmtpServer;
  before(async () => {
    smtp = await startStarttlsSmtp();
    plain = await startStarttlsSmtp({ noStarttls: true });
  });
  after(async () => {
    await Promise.all([smtp?.stop(), plain?.stop()]);
  });

  test('the scan finds what s_client -starttls smtp finds', async () => {
    const report = await quickScan(smtp, 'smtp');
    assert.equal(report.tls, true, JSON.stringify(report.error));
    assert.equal(report.protocols['TLSv1.3'], true);
    assert.ok(smtp.upgraded() > 10, 'every probe went through STARTTLS');
    await assertMatchesStarttlsOracle(smtp, report, 'smtp');
  });

  test('a full audit (node:tls handshakes through the dialer) completes and is graded', async () => {
    const report = await scanEndpoint(
      { host: '127.0.0.1', port: smtp.port },
      {
        dialer: starttlsDialer('smtp'),
        sni: 'localhost',
        timeoutMs: 5000,
        httpPort: null,
        fetcher: null,
        checkRevocation: false,
      },
    );
    assertValidScanReport(report);
    assert.equal(report.scope, 'full');
    assert.equal(report.tls, true);
    assert.equal(report.error, undefined);
  });

  test('no STARTTLS in the EHLO reply: refused, saying what the server said', async () => {
    const err = await refusal('smtp', plain);
    assert.equal(err.plaintext.protocol, 'smtp');
    assert.equal(err.plaintext.description, 'SMTP without STARTTLS: 250-mail.test');
    assert.equal(
      err.plaintext.firstBytesText,
      '220 mail.test ESMTP wiretight-test..250-mail.test..250-PIPELININ',
    );
  });
});

describe(
  'IMAP: Dovecot',
  { skip: dovecotPath() === undefined && 'dovecot not installed (Debian: dovecot-imapd)' },
  () => {
    let dovecot: RunningServer;
    before(async () => {
      dovecot = await startDovecotImap();
    });
    after(async () => {
      await dovecot?.stop();
    });

    test('the scan finds what s_client -starttls imap finds', async () => {
      const report = await quickScan(dovecot, 'imap');
      assert.equal(report.tls, true, JSON.stringify(report.error));
      assert.equal(report.protocols['TLSv1.2'], true);
      assert.equal(report.protocols['TLSv1.1'], false);
      await assertMatchesStarttlsOracle(dovecot, report, 'imap');
    });

    test('without DH parameters its DHE suites fail; the scan still finds every other suite', async () => {
      const noDh = await startDovecotImap(undefined, { dhParams: false });
      try {
        const report = await quickScan(noDh, 'imap');
        assert.equal(report.tls, true, JSON.stringify(report.error));
        await assertMatchesStarttlsOracle(noDh, report, 'imap');
        assert.ok(
          (report.cipherSuites['TLSv1.2'] ?? []).every((s) => s.kx !== 'DHE'),
          'no DHE suite is reported as accepted',
        );
      } finally {
        await noDh.stop();
      }
    });

    test('the wrong dialogue for the port is a protocol error, not a refusal', async () => {
      await assert.rejects(
        starttlsDialer('smtp')(endpointOf(dovecot), AbortSignal.timeout(5000)),
        (err: unknown) =>
          err instanceof Error && 'code' in err && err.code === 'WT_ERR_STARTTLS_PROTOCOL',
      );
    });
  },
);
