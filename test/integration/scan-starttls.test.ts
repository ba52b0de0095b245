// The whole scan through STARTTLS: a real PostgreSQL with SSL on and off, and an SMTP
// server with and without STARTTLS. A server that will not start TLS is a
// transport.plaintext finding saying what it is, not an error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPostgres } from '../helpers/postgres.ts';
import type { RunningServer } from '../helpers/servers.ts';
import { scan } from '../helpers/scan.ts';
import { type StarttlsSmtpServer, startStarttlsSmtp } from '../helpers/starttls-smtp.ts';

describe('scans through STARTTLS', () => {
  const servers: { stop(): Promise<void> }[] = [];
  let pgOn: RunningServer;
  let pgOff: RunningServer;
  let smtp: StarttlsSmtpServer;
  let smtpPlain: StarttlsSmtpServer;
  before(async () => {
    [pgOn, pgOff, smtp, smtpPlain] = await Promise.all([
      startPostgres({ ssl: true }),
      startPostgres({ ssl: false }),
      startStarttlsSmtp(),
      startStarttlsSmtp({ noStarttls: true }),
    ]);
    servers.push(pgOn, pgOff, smtp, smtpPlain);
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  test('PostgreSQL with ssl=on: a full audit after the SSLRequest, with a grade', async () => {
    const report = await scan(pgOn, { starttls: 'postgres', sni: 'localhost' });
    assert.equal(report.tls, true);
    assert.equal(report.starttls, 'postgres');
    assert.equal(report.protocols['TLSv1.3'], true);
    assert.equal(report.certificates?.trust.trusted, true);
    assert.equal(report.certificates?.hostname?.matches, true);
    assert.notEqual(report.grade.letter, null, report.grade.withheld);
  });

  test('PostgreSQL with ssl=off: transport.plaintext naming PostgreSQL', async () => {
    const report = await scan(pgOff, { starttls: 'postgres' });
    assert.equal(report.tls, false);
    assert.equal(report.error?.code, 'WT_ERR_SCAN_NOT_TLS');
    assert.equal(report.plaintext?.protocol, 'postgresql');
    assert.deepEqual(
      report.findings.map((f) => f.id),
      ['transport.plaintext'],
    );
    assert.match(report.findings[0]?.evidence ?? '', /PostgreSQL with SSL off/);
  });

  test('SMTP with STARTTLS: TLS after EHLO and STARTTLS', async () => {
    const report = await scan(smtp, { starttls: 'smtp', sni: 'localhost', quick: true });
    assert.equal(report.tls, true);
    assert.ok(report.cipherSuites['TLSv1.3']?.length);
    assert.ok(smtp.upgraded() > 10, `${smtp.upgraded()} connections reached TLS`);
  });

  test('SMTP without STARTTLS: transport.plaintext with the server’s greeting', async () => {
    const report = await scan(smtpPlain, { starttls: 'smtp' });
    assert.equal(report.tls, false);
    assert.equal(report.plaintext?.protocol, 'smtp');
    assert.match(report.plaintext?.description ?? '', /^SMTP without STARTTLS/);
    assert.deepEqual(
      report.findings.map((f) => f.id),
      ['transport.plaintext'],
    );
  });
});
