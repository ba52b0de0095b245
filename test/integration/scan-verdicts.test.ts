// Findings and grades from real servers: each rule is seen firing on a server that has the
// property and staying quiet on one that does not. Certificate, vulnerability-probe and
// HTTP verdicts have their own files.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import { startNginx, startOpenSslServer, type RunningServer } from '../helpers/servers.ts';
import { scan, type ScanReport } from '../helpers/scan.ts';

const ids = (r: ScanReport): string[] => r.findings.map((f) => f.id);

describe('verdicts from real servers', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makeTestPki();
  });

  describe('s_server: TLS 1.0-1.2, every suite at SECLEVEL=0, DHE-1024', () => {
    let server: RunningServer;
    let report: ScanReport;
    before(async () => {
      server = await startOpenSslServer([
        '-no_tls1_3',
        '-cipher',
        'ALL:COMPLEMENTOFALL:@SECLEVEL=0',
        '-dhparam',
        pki.dh1024,
      ]);
      report = await scan(server);
    });
    after(() => server.stop());

    test('obsolete protocols, weak suites and weak DH are findings, worst first', () => {
      for (const id of [
        'protocol.tls10',
        'protocol.tls11',
        'protocol.no-tls13',
        'suite.anonymous',
        'suite.null',
        'suite.cbc',
        'suite.no-forward-secrecy',
        'kex.weak-dh',
        'vuln.logjam',
        'vuln.beast',
        'vuln.lucky13',
        'preference.client-order',
      ]) {
        assert.ok(ids(report).includes(id), `${id} in ${ids(report).join(', ')}`);
      }
      const dh = report.findings.find((f) => f.id === 'kex.weak-dh');
      assert.equal(dh?.details?.['primeBits'], 1024);
      const order = ['critical', 'high', 'medium', 'low', 'info'];
      const ranks = report.findings.map((f) => order.indexOf(f.severity));
      assert.deepEqual(
        ranks,
        [...ranks].sort((a, b) => a - b),
      );
    });

    test('the grade is F, with the caps that apply', () => {
      assert.equal(report.grade.letter, 'F');
      const capped = report.grade.caps.map((c) => c.findingId);
      assert.ok(capped.includes('suite.anonymous'));
      assert.ok(capped.includes('protocol.tls10'));
    });
  });

  describe('nginx: TLS 1.2 and 1.3, ECDHE with AEAD only', () => {
    let server: RunningServer;
    let report: ScanReport;
    before(async () => {
      server = await startNginx({
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers:
          'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305',
      });
      report = await scan(server, { sni: 'localhost' });
    });
    after(() => server.stop());

    test('the TLS 1.2 ServerHello extensions are reported', () => {
      const names = report.serverHelloExtensions['TLSv1.2'] ?? [];
      for (const name of ['renegotiation_info', 'extended_master_secret']) {
        assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
      }
      assert.equal(report.serverHelloExtensions['TLSv1.3'], undefined);
    });

    test('no protocol, suite or key exchange findings', () => {
      const weak = ids(report).filter((id) => /^(protocol|suite|kex|preference)\./.test(id));
      assert.deepEqual(weak, []);
    });

    test('the configuration scores an A-range grade with full protocol and cipher scores', () => {
      assert.equal(report.grade.criteria?.protocol.score, 100);
      assert.equal(report.grade.criteria?.cipher.score, 90);
      assert.equal(report.grade.criteria?.keyExchange.score, 90);
      const letter = report.grade.letterIgnoringTrust ?? report.grade.letter;
      assert.ok(letter?.startsWith('A'), String(letter));
    });
  });

  describe('Mozilla profiles against nginx (TLS 1.2 and 1.3, ECDHE with AEAD only)', () => {
    let server: RunningServer;
    before(async () => {
      server = await startNginx({
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers:
          'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305',
      });
    });
    after(() => server.stop());

    test('modern flags TLS 1.2 and the TLS 1.2 suites, with snippets; the grade ignores profiles', async () => {
      const report = await scan(server, { sni: 'localhost', profile: 'modern' });
      assert.equal(report.profile?.name, 'modern');
      assert.equal(report.profile?.compliant, false);
      const protocol = report.findings.find((f) => f.id === 'profile.protocol');
      assert.match(protocol?.evidence ?? '', /TLSv1\.2/);
      assert.match(protocol?.snippets?.['nginx'] ?? '', /ssl_protocols TLSv1\.3;/);
      assert.ok(ids(report).includes('profile.cipher-suite'));
      assert.ok(report.grade.caps.every((c) => !c.findingId.startsWith('profile.')));
    });

    test('intermediate accepts these protocols and suites', async () => {
      const report = await scan(server, { sni: 'localhost', profile: 'intermediate' });
      const violations = ids(report).filter((id) => id.startsWith('profile.'));
      assert.ok(!violations.includes('profile.protocol'), violations.join(', '));
      assert.ok(!violations.includes('profile.cipher-suite'), violations.join(', '));
    });
  });

  describe('nginx with h2, a two-year HSTS and a plain listener that redirects', () => {
    let server: Awaited<ReturnType<typeof startNginx>>;
    let report: ScanReport;
    before(async () => {
      server = await startNginx({
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers:
          'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305',
        http2: true,
        hsts: 'max-age=63072000; includeSubDomains',
        plainHttp: 'redirect',
      });
      report = await scan(server, { sni: 'localhost', httpPort: server.httpPort ?? null });
    });
    after(() => server.stop());

    test('the audit reads HSTS over HTTPS and follows the plain HTTP redirect', () => {
      assert.equal(report.http?.speaksHttp, true);
      assert.equal(report.http?.https.hsts?.maxAge, 63072000);
      assert.equal(report.http?.plainHttp.result, 'redirects-to-https');
      assert.deepEqual(
        ids(report).filter((id) => id.startsWith('http.')),
        [],
      );
    });

    test('session facts come from full handshakes', () => {
      assert.equal(report.session?.negotiated.version, 'TLSv1.3');
      assert.equal(report.session?.clientRenegotiation.result, 'refused');
    });

    test('a long HSTS lifts an A to A+', () => {
      const letter = report.grade.letterIgnoringTrust ?? report.grade.letter;
      assert.equal(letter, 'A+');
    });

    test('--quick skips the audit and withholds the grade', async () => {
      const quick = await scan(server, { sni: 'localhost', quick: true });
      assert.equal(quick.scope, 'quick');
      assert.equal(quick.session, undefined);
      assert.equal(quick.grade.letter, null);
      assert.ok(quick.handshakes < report.handshakes);
    });
  });

  describe('s_server TLS 1.3 with 0-RTT early data on', () => {
    let server: RunningServer;
    before(async () => {
      server = await startOpenSslServer(['-tls1_3', '-early_data']);
    });
    after(() => server.stop());

    test('the audit resumes a ticket with early data, and it is accepted: vuln.early-data', async () => {
      const report = await scan(server);
      assert.equal(report.earlyData?.ticketIssued, true);
      assert.equal(report.earlyData?.earlyDataAccepted, true);
      assert.ok(ids(report).includes('vuln.early-data'));
      assert.ok(report.grade.caps.some((c) => c.findingId === 'vuln.early-data'));
    });
  });

  describe('s_server requiring a client certificate', () => {
    let server: RunningServer;
    before(async () => {
      server = await startOpenSslServer(['-Verify', '1', '-CAfile', pki.clientCa.cert]);
    });
    after(() => server.stop());

    test('tls.client-cert-required, and a grade with a note on what ROBOT could not reach', async () => {
      const report = await scan(server);
      assert.ok(ids(report).includes('tls.client-cert-required'));
      assert.equal(report.vulnerabilities?.robot.behindClientCertificate, true);
      assert.notEqual(report.grade.letter, null);
      assert.match(report.grade.notes?.[0] ?? '', /client-certificate request/);
    });
  });

  describe('certificate verdicts through the whole scan', () => {
    const servers: RunningServer[] = [];
    after(() => Promise.all(servers.map((s) => s.stop())));

    test('an expired leaf: cert.expired, grade T, the configuration’s own grade kept', async () => {
      const server = await startOpenSslServer([], pki.expired);
      servers.push(server);
      const report = await scan(server, { sni: 'localhost' });
      assert.deepEqual(report.certificates?.trust.reasons, ['expired']);
      assert.ok(ids(report).includes('cert.expired'));
      assert.equal(report.grade.letter, 'T');
      assert.ok(report.grade.letterIgnoringTrust?.startsWith('A'));
    });

    test('a wrong host name: cert.hostname-mismatch and grade M', async () => {
      const server = await startOpenSslServer([], pki.wrongName);
      servers.push(server);
      const report = await scan(server, { sni: 'localhost' });
      assert.equal(report.certificates?.hostname?.matches, false);
      assert.ok(ids(report).includes('cert.hostname-mismatch'));
      assert.equal(report.grade.letter, 'M');
    });

    test('without the test root as an anchor the chain is untrusted: grade T', async () => {
      const server = await startOpenSslServer([]);
      servers.push(server);
      const { TrustStore } = await import('../../src/pki/index.ts');
      const report = await scan(server, { sni: 'localhost', trust: new TrustStore() });
      assert.equal(report.certificates?.trust.trusted, false);
      assert.ok(ids(report).includes('cert.untrusted'));
      assert.equal(report.grade.letter, 'T');
    });
  });

  describe('plaintext services', () => {
    let http: HttpServer;
    let postgres: Server;
    before(async () => {
      // A real HTTP server: node:http answers a ClientHello with 400 Bad Request.
      http = createHttpServer((_req, res) => res.end('ok'));
      http.listen(0, '127.0.0.1');
      await once(http, 'listening');
      // PostgreSQL's behaviour (ssl = off): it closes silently on a ClientHello, whose first
      // four bytes are no valid startup length, and answers 'N' to an SSLRequest.
      postgres = createServer((socket) => {
        socket.once('data', (data: Buffer) => {
          if (data.length === 8 && data.readUInt32BE(4) === 80877103) socket.end('N');
          else socket.destroy();
        });
      });
      postgres.listen(0, '127.0.0.1');
      await once(postgres, 'listening');
    });
    after(() => {
      http.close();
      postgres.close();
    });

    test('an HTTP server is transport.plaintext, detected as HTTP, with no grade', async () => {
      const report = await scan({ host: '127.0.0.1', port: (http.address() as AddressInfo).port });
      assert.equal(report.tls, false);
      assert.equal(report.plaintext?.protocol, 'http');
      assert.deepEqual(ids(report), ['transport.plaintext']);
      assert.match(report.findings[0]?.evidence ?? '', /HTTP\/1\.1 400 Bad Request/);
      assert.equal(report.grade.letter, null);
    });

    test('a PostgreSQL server with SSL off is found through its SSLRequest', async () => {
      const report = await scan({
        host: '127.0.0.1',
        port: (postgres.address() as AddressInfo).port,
      });
      assert.equal(report.tls, false);
      assert.equal(report.plaintext?.protocol, 'postgresql');
      assert.equal(report.error?.code, 'WT_ERR_SCAN_NOT_TLS');
      assert.deepEqual(ids(report), ['transport.plaintext']);
    });
  });
});
