// Protocols the local OpenSSL cannot serve (SSLv2, SSLv3) come from scripted servers that
// answer as such servers did; post-quantum key exchange comes from Node's own OpenSSL 3.5.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connect, createServer, type Server, type TlsOptions } from 'node:tls';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import { startScriptedServer, type ScriptedServer } from '../helpers/hostile-server.ts';
import { parsed, scan, type ScanReport } from '../helpers/scan.ts';

/** An SSLv2 SERVER-HELLO record (2-byte header) offering `specs` with `cert`. */
function sslv2ServerHello(cert: Buffer, specs: number[]): Buffer {
  const body = Buffer.alloc(11 + cert.length + specs.length * 3 + 16);
  let at = body.writeUInt8(4, 0); // SERVER-HELLO
  at = body.writeUInt8(0, at); // session id hit
  at = body.writeUInt8(1, at); // X.509 certificate
  at = body.writeUInt16BE(0x0002, at);
  at = body.writeUInt16BE(cert.length, at);
  at = body.writeUInt16BE(specs.length * 3, at);
  at = body.writeUInt16BE(16, at);
  at += cert.copy(body, at);
  for (const spec of specs) at = body.writeUIntBE(spec, at, 3);
  body.fill(7, at);
  const header = Buffer.alloc(2);
  header.writeUInt16BE(0x8000 | body.length);
  return Buffer.concat([header, body]);
}

function handshakeMessage(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  header.writeUInt8(type, 0);
  return Buffer.concat([header, body]);
}

function record(type: number, version: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(version, 1);
  header.writeUInt16BE(payload.length, 3);
  return Buffer.concat([header, payload]);
}

/** The suites a ClientHello record offers, read by hand (independent of the scanner's codec). */
function offeredSuites(hello: Buffer): { version: number; suites: number[] } {
  const body = hello.subarray(9);
  const version = body.readUInt16BE(0);
  const sidLength = body.readUInt8(34);
  const suitesAt = 35 + sidLength;
  const length = body.readUInt16BE(suitesAt);
  const suites: number[] = [];
  for (let i = 0; i < length; i += 2) suites.push(body.readUInt16BE(suitesAt + 2 + i));
  return { version, suites };
}

/**
 * A server of one legacy version accepting only `accepted`, picking the client's first
 * choice among them; every other version gets protocol_version. Its answers carry no
 * extensions, as servers of that age sent none.
 */
function legacyAnswer(
  cert: Buffer,
  only: number,
  accepted: readonly number[],
): (hello: Buffer) => Buffer | null {
  return (hello) => {
    if ((hello[0] as number) & 0x80) return null; // SSLv2 hello: hang up, as these servers did
    const { version, suites } = offeredSuites(hello);
    if (version !== only) return record(21, only, Buffer.from([2, 70]));
    const chosen = suites.find((s) => accepted.includes(s));
    if (chosen === undefined) return record(21, only, Buffer.from([2, 40]));
    const serverHello = Buffer.alloc(38);
    serverHello.writeUInt16BE(only, 0);
    serverHello.fill(0x42, 2, 34);
    serverHello.writeUInt8(0, 34); // no session id
    serverHello.writeUInt16BE(chosen, 35);
    serverHello.writeUInt8(0, 37);
    const certList = Buffer.alloc(6 + cert.length);
    certList.writeUIntBE(3 + cert.length, 0, 3);
    certList.writeUIntBE(cert.length, 3, 3);
    cert.copy(certList, 6);
    const flight = Buffer.concat([
      handshakeMessage(2, serverHello),
      handshakeMessage(11, certList),
      handshakeMessage(14, Buffer.alloc(0)),
    ]);
    return record(22, only, flight);
  };
}

/** A Node TLS server (OpenSSL 3.5) on loopback that completes handshakes and hangs up. */
async function startNodeTlsServer(options: TlsOptions): Promise<{ server: Server; port: number }> {
  const server = createServer(options);
  server.on('secureConnection', (s) => s.end());
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

describe('scripted legacy servers', () => {
  let pki: TestPki;
  const servers: ScriptedServer[] = [];
  before(async () => {
    pki = await makeTestPki();
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  test('an SSLv2 server: SSLv2 with exactly the specs it lists, and its certificate', async () => {
    const specs = [0x0700c0, 0x020080];
    const server = await startScriptedServer((hello) =>
      (hello[0] as number) & 0x80 ? sslv2ServerHello(pki.weakRsa.der, specs) : null,
    );
    servers.push(server);
    const report = await scan(server);
    assert.equal(report.tls, true);
    assert.equal(report.protocols.SSLv2, true);
    assert.deepEqual(
      report.cipherSuites.SSLv2?.map((s) => s.id),
      ['0x0700c0', '0x020080'],
    );
    assert.equal(report.cipherSuites.SSLv2?.[1]?.export, true);
    assert.equal(parsed(report.certificateChain[0]).publicKey.bits, 1024);
    for (const v of ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const)
      assert.equal(report.protocols[v], false);
    const ids: string[] = report.findings.map((f) => f.id);
    for (const id of ['protocol.sslv2', 'vuln.drown', 'suite.export', 'cert.weak-key']) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
    // SSLv2 sends the leaf alone, so trust fails first (T); the configuration itself is an F.
    assert.equal(report.grade.letter, 'T');
    assert.equal(report.grade.letterIgnoringTrust, 'F');
  });

  test('a certificate OpenSSL cannot parse is reported with its error, not dropped', async () => {
    const garbage = Buffer.from('30820102deadbeef'.repeat(8), 'hex');
    const server = await startScriptedServer(legacyAnswer(garbage, 0x0300, [0x000a, 0x0005]));
    servers.push(server);
    const report = await scan(server);
    assert.equal(report.protocols.SSLv3, true);
    const entry = report.certificateChain[0];
    assert.ok(entry !== undefined && 'parseError' in entry, 'expected an unparsed entry');
    assert.equal(entry.sha256, createHash('sha256').update(garbage).digest('hex'));
    assert.match(entry.pem, /^-----BEGIN CERTIFICATE-----/);
  });

  test('an SSLv3-only server: SSLv3 with its two suites, nothing else', async () => {
    const server = await startScriptedServer(legacyAnswer(pki.rsa.der, 0x0300, [0x000a, 0x0005]));
    servers.push(server);
    const report: ScanReport = await scan(server);
    assert.equal(report.protocols.SSLv3, true);
    assert.deepEqual(report.cipherSuites.SSLv3?.map((s) => s.name).sort(), [
      'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
      'TLS_RSA_WITH_RC4_128_SHA',
    ]);
    assert.equal(report.serverPreference.SSLv3, false);
    for (const v of ['SSLv2', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const)
      assert.equal(report.protocols[v], false);
    assert.equal(
      parsed(report.certificateChain[0]).subjectAltNames.includes('DNS:localhost'),
      true,
    );
    const ids: string[] = report.findings.map((f) => f.id);
    for (const id of [
      'protocol.sslv3',
      'suite.3des',
      'suite.rc4',
      'vuln.poodle',
      'vuln.insecure-renegotiation',
    ]) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
    // A scripted server answers hellos only: the probes past the flight (CCS injection,
    // ROBOT) cannot conclude, and the grade is withheld rather than guessed.
    assert.equal(report.grade.letter, null);
    assert.match(report.grade.withheld ?? '', /ROBOT|CCS injection/);
  });

  test('a TLS 1.0 server with export RSA suites: suite.export, FREAK, and an F', async () => {
    // TLS_RSA_EXPORT_WITH_RC4_40_MD5 and TLS_RSA_EXPORT_WITH_DES40_CBC_SHA, which no
    // OpenSSL here can serve any more.
    const server = await startScriptedServer(legacyAnswer(pki.rsa.der, 0x0301, [0x0003, 0x0008]));
    servers.push(server);
    const report = await scan(server);
    assert.deepEqual(report.cipherSuites['TLSv1.0']?.map((s) => s.id).sort(), ['0x0003', '0x0008']);
    const ids: string[] = report.findings.map((f) => f.id);
    for (const id of ['suite.export', 'suite.rc4', 'suite.des', 'vuln.freak', 'protocol.tls10']) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
    assert.equal(report.grade.letter, null, 'the probes past the flight cannot conclude here');
  });
});

describe('post-quantum hybrid key exchange (Node 24, OpenSSL 3.5)', () => {
  let server: Server;
  let port: number;
  before(async () => {
    const pki = await makeTestPki();
    ({ server, port } = await startNodeTlsServer({
      key: readFileSync(pki.ecdsa.key),
      cert: readFileSync(pki.ecdsa.chain),
      minVersion: 'TLSv1.3',
      ecdhCurve: 'X25519MLKEM768:X25519:P-256',
      ALPNProtocols: ['h2', 'http/1.1'],
    }));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('X25519MLKEM768 is found through HelloRetryRequest, exactly the configured groups', async () => {
    const report = await scan({ host: '127.0.0.1', port });
    assert.deepEqual([...(report.groupsByProtocol['TLSv1.3'] ?? [])].sort(), [
      'X25519MLKEM768',
      'secp256r1',
      'x25519',
    ]);
    // Independent check: a TLS client restricted to the hybrid completes a handshake.
    const socket = connect({
      host: '127.0.0.1',
      port,
      ecdhCurve: 'X25519MLKEM768',
      rejectUnauthorized: false,
    });
    await once(socket, 'secureConnect');
    socket.destroy();
  });
});

describe('TLS 1.3 only: what the server says only inside its encrypted flight', () => {
  let server: Server;
  let port: number;
  let pki: TestPki;
  before(async () => {
    pki = await makeTestPki();
    ({ server, port } = await startNodeTlsServer({
      key: readFileSync(pki.rsa.key),
      cert: readFileSync(pki.rsa.chain),
      minVersion: 'TLSv1.3',
      ALPNProtocols: ['http/1.1', 'h2'],
      requestCert: true,
      rejectUnauthorized: false,
    }));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('ALPN, the client-certificate request and the chain come from the decrypted flight', async () => {
    const report = await scan({ host: '127.0.0.1', port });
    assert.deepEqual(Object.keys(report.cipherSuites), ['TLSv1.3']);
    // Node's server selects by its own list order among what the client offers.
    assert.deepEqual([...report.alpn].sort(), ['h2', 'http/1.1']);
    assert.equal(report.clientCertificateRequested, true);
    assert.equal(report.certificateChain.length, 2);
    assert.equal(parsed(report.certificateChain[0]).subject, 'CN=localhost');
  });
});
