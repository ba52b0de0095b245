// The scanner against real `openssl s_server` instances. What it reports must equal what
// the independent oracle (the system openssl s_client, one handshake per suite) finds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import { startOpenSslServer, type RunningServer } from '../helpers/servers.ts';
import { TLS13_SUITES } from '../helpers/oracle.ts';
import { assertMatchesOracle, opensslNames, scan, type ScanReport } from '../helpers/scan.ts';

function supported(report: ScanReport): string[] {
  return Object.entries(report.protocols)
    .filter(([, on]) => on)
    .map(([name]) => name);
}

describe('openssl s_server', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makeTestPki();
  });

  describe('TLS 1.3 only', () => {
    let server: RunningServer;
    let report: ScanReport;
    before(async () => {
      server = await startOpenSslServer(['-tls1_3', '-ciphersuites', TLS13_SUITES.join(':')]);
      report = await scan(server);
    });
    after(() => server.stop());

    test('protocols and suites equal the oracle', () => assertMatchesOracle(server, report));
    test('only TLSv1.3, with the five suites and HRR-discovered groups', () => {
      assert.deepEqual(supported(report), ['TLSv1.3']);
      assert.equal(report.cipherSuites['TLSv1.3']?.length, 5);
      assert.ok(report.groups.includes('x25519'));
      assert.deepEqual(report.groupsByProtocol['TLSv1.2'], undefined);
    });
    test('the certificate chain is read from the encrypted TLS 1.3 flight, as sent', () => {
      assert.equal(report.certificateChain.length, 2);
      assert.equal(report.certificateChain[0]?.sha256, sha256(pki.rsa.der));
      assert.equal(report.certificateChain[1]?.sha256, sha256(pki.intermediate.der));
    });
  });

  describe('TLS 1.2 with -serverpref and a fixed order', () => {
    const order = ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA'];
    let server: RunningServer;
    let report: ScanReport;
    before(async () => {
      server = await startOpenSslServer(['-tls1_2', '-serverpref', '-cipher', order.join(':')]);
      report = await scan(server);
    });
    after(() => server.stop());

    test('protocols and suites equal the oracle', () => assertMatchesOracle(server, report));
    test("suites come in the server's order, and the order is enforced", () => {
      assert.deepEqual(opensslNames(report, 'TLSv1.2'), order);
      assert.equal(report.serverPreference['TLSv1.2'], true);
    });
    test('enumeration costs one connection per accepted suite plus a few', async () => {
      // 3 accepted + 1 refusal + 1 order check for TLS 1.2; one refusal each for the other
      // versions, SSLv2 and TLS 1.3 groups; the ECDHE curves (one each plus one); ALPN.
      const quick = await scan(server, { quick: true });
      assert.ok(quick.handshakes < 30, `${quick.handshakes} connections`);
      // The audit adds a bounded number: vulnerability probes, full handshakes, 0-RTT…
      const audit = await scan(server, { clients: false });
      assert.ok(audit.handshakes - quick.handshakes <= 40, `${audit.handshakes} in all`);
      // …and client simulation at most two per client (hello, retry after a
      // HelloRetryRequest; a TLS 1.3 flight is read on the hello's own connection).
      const clients = report.clients?.clients.length ?? 0;
      assert.ok(clients > 0);
      assert.ok(
        report.handshakes - audit.handshakes <= 2 * clients,
        `${report.handshakes - audit.handshakes} for ${clients} clients`,
      );
    });
  });

  describe('TLS 1.0-1.2 with CBC, static RSA and DHE-1024 at SECLEVEL 0', () => {
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

    test('protocols and suites equal the oracle', () => assertMatchesOracle(server, report));
    test('TLS 1.0, 1.1 and 1.2 are supported; client order is reported as such', () => {
      assert.deepEqual(supported(report), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
      assert.equal(report.serverPreference['TLSv1.2'], false);
    });
    test('the DHE prime size is read from the ServerKeyExchange', () => {
      assert.deepEqual(report.dhePrimeBits, [1024]);
      const dhe = report.cipherSuites['TLSv1.2']?.find((s) => s.kx === 'DHE');
      assert.deepEqual(dhe?.keyExchange, { type: 'DHE', bits: 1024 });
    });
    test('static RSA and CBC suites are found', () => {
      const names = opensslNames(report, 'TLSv1.0');
      assert.ok(names.includes('AES128-SHA'));
      assert.ok(names.includes('DHE-RSA-AES256-SHA'));
    });
  });

  describe('client certificate required', () => {
    let server: RunningServer;
    let report: ScanReport;
    before(async () => {
      server = await startOpenSslServer(['-Verify', '1', '-CAfile', pki.clientCa.cert]);
      report = await scan(server);
    });
    after(() => server.stop());

    test('the request is seen, and the scan still completes', () => {
      assert.equal(report.clientCertificateRequested, true);
      assert.equal(report.protocols['TLSv1.3'], true);
      assert.equal(report.protocols['TLSv1.2'], true);
    });
  });

  describe('no client certificate', () => {
    let server: RunningServer;
    before(async () => {
      server = await startOpenSslServer([]);
    });
    after(() => server.stop());

    test('clientCertificateRequested is false', async () => {
      assert.equal((await scan(server)).clientCertificateRequested, false);
    });
  });

  describe('TLS 1.3 only, client certificate required', () => {
    let server: RunningServer;
    before(async () => {
      server = await startOpenSslServer(['-tls1_3', '-Verify', '1', '-CAfile', pki.clientCa.cert]);
    });
    after(() => server.stop());

    test('the CertificateRequest inside the encrypted flight is seen', async () => {
      assert.equal((await scan(server)).clientCertificateRequested, true);
    });
  });

  describe('RSA and ECDSA certificates side by side (-dcert)', () => {
    let server: RunningServer;
    let report: ScanReport;
    before(async () => {
      server = await startOpenSslServer(['-no_tls1_3', '-cipher', 'ALL:@SECLEVEL=0'], {
        dual: true,
      });
      report = await scan(server);
    });
    after(() => server.stop());

    test('protocols and suites equal the oracle', () => assertMatchesOracle(server, report));
    test('both ECDSA and RSA suites are accepted', () => {
      const auth = new Set(report.cipherSuites['TLSv1.2']?.map((s) => s.auth));
      assert.ok(auth.has('ECDSA') && auth.has('RSA'), [...auth].join());
    });
  });
});

function sha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}
