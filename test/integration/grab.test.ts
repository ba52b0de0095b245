// `--grab` against real servers: one or two handshakes per target must still give the
// version, suite, group, chain and expiry a current client gets.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { grabEndpoint } from '../../src/scan/grab/grab.ts';
import type { GrabReport } from '../../src/scan/grab/report.ts';
import { startHostileServer } from '../helpers/hostile-server.ts';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import { testPkiTrust } from '../helpers/scan.ts';
import { assertValidGrabReport } from '../helpers/schema.ts';
import { startOpenSslServer } from '../helpers/servers.ts';

const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex');

async function grab(server: { host: string; port: number }, sni = 'localhost') {
  const report = await grabEndpoint(
    { host: server.host, port: server.port },
    { sni, trust: await testPkiTrust(), timeoutMs: 3000 },
  );
  assertValidGrabReport(report);
  return report;
}

const ids = (r: GrabReport): string[] => r.findings.map((f) => f.id);

describe('wiretight scan --grab', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makeTestPki();
  });

  test('TLS 1.3: one handshake gives version, suite, group and the decrypted chain', async () => {
    const server = await startOpenSslServer([
      '-tls1_3',
      '-ciphersuites',
      'TLS_CHACHA20_POLY1305_SHA256',
      '-groups',
      'x25519',
    ]);
    try {
      const r = await grab(server);
      assert.equal(r.schema, 'wiretight.grab/v1');
      assert.equal(r.tls, true);
      assert.equal(r.handshakes, 1);
      assert.equal(r.negotiated?.version, 'TLSv1.3');
      assert.equal(r.negotiated?.suite.name, 'TLS_CHACHA20_POLY1305_SHA256');
      assert.equal(r.negotiated?.group, 'x25519');
      assert.deepEqual(
        r.certificateChain.map((c) => c.sha256),
        [sha256(pki.rsa.der), sha256(pki.intermediate.der)],
      );
      assert.equal(r.certificates?.trust.trusted, true);
      assert.ok((r.expiresInDays ?? -1) > 30, `expires in ${r.expiresInDays} days`);
      // The test PKI's leaves carry no OCSP or CRL address.
      assert.deepEqual(ids(r), ['cert.no-revocation-info']);
    } finally {
      await server.stop();
    }
  });

  test('a server that wants another key share costs a second handshake', async () => {
    const server = await startOpenSslServer(['-tls1_3', '-groups', 'P-384']);
    try {
      const r = await grab(server);
      assert.equal(r.handshakes, 2);
      assert.equal(r.negotiated?.version, 'TLSv1.3');
      assert.equal(r.negotiated?.group, 'secp384r1');
      assert.equal(r.certificateChain.length, 2);
    } finally {
      await server.stop();
    }
  });

  test('TLS 1.2 only: the suite and ECDHE curve from the clear flight, protocol.no-tls13', async () => {
    const server = await startOpenSslServer([
      '-tls1_2',
      '-cipher',
      'ECDHE-RSA-AES128-GCM-SHA256',
      '-groups',
      'P-256',
    ]);
    try {
      const r = await grab(server);
      assert.equal(r.handshakes, 2);
      assert.equal(r.negotiated?.version, 'TLSv1.2');
      assert.equal(r.negotiated?.suite.opensslName, 'ECDHE-RSA-AES128-GCM-SHA256');
      assert.equal(r.negotiated?.group, 'secp256r1');
      assert.equal(r.negotiated?.suite.keyExchange?.type, 'ECDHE');
      assert.equal(r.certificateChain[0]?.sha256, sha256(pki.rsa.der));
      assert.deepEqual(ids(r), ['cert.no-revocation-info', 'protocol.no-tls13']);
    } finally {
      await server.stop();
    }
  });

  test('TLS 1.0 only with an expired certificate: the version and certificate findings', async () => {
    const server = await startOpenSslServer(
      ['-tls1', '-cipher', 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0'],
      pki.expired,
    );
    try {
      const r = await grab(server);
      assert.equal(r.negotiated?.version, 'TLSv1.0');
      assert.equal(r.negotiated?.suite.opensslName, 'ECDHE-RSA-AES128-SHA');
      assert.ok((r.expiresInDays ?? 0) < 0);
      const found = ids(r);
      for (const id of ['cert.expired', 'protocol.tls10', 'protocol.no-tls13']) {
        assert.ok(found.includes(id), `${id} in ${found.join(', ')}`);
      }
    } finally {
      await server.stop();
    }
  });

  test('a DHE-only server: the prime size in the negotiated key exchange', async () => {
    const server = await startOpenSslServer(['-tls1_2', '-cipher', 'DHE-RSA-AES256-GCM-SHA384']);
    try {
      const r = await grab(server);
      assert.equal(r.negotiated?.suite.keyExchange?.type, 'DHE');
      assert.ok((r.negotiated?.suite.keyExchange?.bits ?? 0) >= 2048);
      assert.equal(r.negotiated?.group, undefined);
    } finally {
      await server.stop();
    }
  });

  test('plaintext HTTP is reported as such, not as a handshake', async () => {
    const server = await startHostileServer('http');
    try {
      const r = await grab(server);
      assert.equal(r.tls, false);
      assert.equal(r.error?.code, 'WT_ERR_SCAN_NOT_TLS');
      assert.equal(r.plaintext?.protocol, 'http');
      assert.equal(r.handshakes, 1);
    } finally {
      await server.stop();
    }
  });

  test('a closed port is unreachable after one attempt', async () => {
    const server = await startHostileServer('close');
    const { port } = server;
    await server.stop();
    const r = await grab({ host: '127.0.0.1', port });
    assert.equal(r.tls, false);
    assert.equal(r.error?.code, 'WT_ERR_SCAN_UNREACHABLE');
    assert.equal(r.handshakes, 1);
  });

  test('a server that answers every hello with garbage gives a typed error in time', async () => {
    const server = await startHostileServer('garbage');
    try {
      const started = Date.now();
      const r = await grab(server);
      assert.equal(r.tls, false);
      assert.match(r.error?.code ?? '', /^WT_ERR_/);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      await server.stop();
    }
  });
});
