// The scanner against nginx and gnutls-serv: other TLS stacks and configurations than
// s_server's, judged by the same oracle.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeTestPki } from '../helpers/pki.ts';
import { startGnutlsServ, startNginx, type RunningServer } from '../helpers/servers.ts';
import { assertMatchesOracle, opensslNames, scan, type ScanReport } from '../helpers/scan.ts';
import { exec } from '../helpers/exec.ts';

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** ALPN protocols the server selects when `openssl s_client -alpn X` offers only X. */
async function alpnByOpenSsl(
  server: RunningServer,
  candidates: readonly string[],
): Promise<string[]> {
  const picked: string[] = [];
  for (const protocol of candidates) {
    const r = await exec(
      'openssl',
      ['s_client', '-connect', `${server.host}:${server.port}`, '-alpn', protocol],
      { input: '', timeoutMs: 5000 },
    );
    if (r.stdout.includes(`ALPN protocol: ${protocol}`)) picked.push(protocol);
  }
  return picked;
}

/** Whether `gnutls-cli` completes a handshake with this priority string: a second oracle for suites OpenSSL 3 cannot offer. */
async function gnutlsAccepts(server: RunningServer, priority: string): Promise<boolean> {
  const r = await exec(
    'gnutls-cli',
    ['--insecure', `--priority=${priority}`, '-p', String(server.port), server.host],
    { input: '', timeoutMs: 5000 },
  );
  return r.code === 0 && /Handshake was completed/.test(r.stdout + r.stderr);
}

describe('nginx, TLS 1.2 + 1.3, HTTP/2, RSA + ECDSA, server order', () => {
  const ciphers =
    'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256';
  let server: RunningServer;
  let report: ScanReport;
  before(async () => {
    const pki = await makeTestPki();
    server = await startNginx({
      protocols: 'TLSv1.2 TLSv1.3',
      ciphers,
      preferServerCiphers: true,
      ecdhCurve: 'X25519:prime256v1:secp384r1',
      http2: true,
      dhparam: pki.dh2048,
      dual: true,
    });
    report = await scan(server, { sni: 'localhost' });
  });
  after(() => server.stop());

  test('protocols and suites equal the oracle', () => assertMatchesOracle(server, report));
  test("TLS 1.2 suites in nginx's order, enforced", () => {
    assert.deepEqual(opensslNames(report, 'TLSv1.2'), ciphers.split(':'));
    assert.equal(report.serverPreference['TLSv1.2'], true);
  });
  test('ALPN: the protocols nginx selects, as openssl s_client sees them one by one', async () => {
    const confirmed = await alpnByOpenSsl(server, [
      'h2',
      'http/1.1',
      'http/1.0',
      'http/0.9',
      'spdy/3.1',
      'h2c',
    ]);
    assert.deepEqual(sorted(report.alpn), sorted(confirmed));
    assert.equal(report.alpn[0], 'h2');
  });
  test('the configured curves, in order, for TLS 1.2 and 1.3', () => {
    assert.deepEqual(report.groupsByProtocol['TLSv1.3'], ['x25519', 'secp256r1', 'secp384r1']);
    assert.deepEqual(report.groupsByProtocol['TLSv1.2'], ['x25519', 'secp256r1', 'secp384r1']);
  });
  test('DHE-2048 from ssl_dhparam', () => {
    assert.deepEqual(report.dhePrimeBits, [2048]);
  });
});

describe('gnutls-serv, NORMAL priority', () => {
  let server: RunningServer;
  let report: ScanReport;
  before(async () => {
    server = await startGnutlsServ(
      'NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+CAMELLIA-128-CBC:+ARCFOUR-128',
    );
    report = await scan(server, { sni: 'localhost' });
  });
  after(() => server.stop());

  test('protocols and suites equal the oracle; RC4, which OpenSSL 3 cannot offer, is confirmed by gnutls-cli', async () => {
    await assertMatchesOracle(server, report, ['RC4-SHA', 'ECDHE-RSA-RC4-SHA']);
    const rc4 =
      report.cipherSuites['TLSv1.0']?.filter((s) => s.enc === 'RC4').map((s) => s.name) ?? [];
    assert.deepEqual(sorted(rc4), ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_RC4_128_SHA']);
    assert.equal(
      await gnutlsAccepts(
        server,
        'NONE:+VERS-TLS1.0:+ARCFOUR-128:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL',
      ),
      true,
    );
    assert.equal(
      await gnutlsAccepts(
        server,
        'NONE:+VERS-TLS1.0:+ARCFOUR-128:+ECDHE-RSA:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL',
      ),
      true,
    );
  });
  test('GnuTLS answers TLS 1.3 and TLS 1.0', () => {
    assert.equal(report.protocols['TLSv1.3'], true);
    assert.equal(report.protocols['TLSv1.0'], true);
  });
});

describe('gnutls-serv, TLS 1.2 only, server order with legacy suites', () => {
  let server: RunningServer;
  let report: ScanReport;
  before(async () => {
    server = await startGnutlsServ(
      'NONE:+VERS-TLS1.2:+AES-128-CBC:+AES-256-GCM:+3DES-CBC:+SHA1:+AEAD:+RSA:+ECDHE-RSA:+SIGN-ALL:+GROUP-ALL:+COMP-NULL:%SERVER_PRECEDENCE',
    );
    report = await scan(server, { sni: 'localhost' });
  });
  after(() => server.stop());

  test('suites the local OpenSSL cannot offer (3DES) are still found, and gnutls-cli confirms them', async () => {
    assert.equal(
      await gnutlsAccepts(
        server,
        'NONE:+VERS-TLS1.2:+3DES-CBC:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL:+GROUP-ALL',
      ),
      true,
    );
    const names = report.cipherSuites['TLSv1.2']?.map((s) => s.name) ?? [];
    assert.ok(names.includes('TLS_RSA_WITH_3DES_EDE_CBC_SHA'), names.join());
    assert.ok(names.includes('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'), names.join());
    assert.equal(report.serverPreference['TLSv1.2'], true);
    assert.deepEqual(Object.keys(report.cipherSuites), ['TLSv1.2']);
  });
});
