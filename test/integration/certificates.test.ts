// Certificate verdicts and findings on chains as real servers send them: openssl s_server
// with the test PKI's certificates, scanned by the real scanner; revocation against a real
// `openssl ocsp` responder, a CRL and caIssuers on node:http, and a staple from
// `s_server -status_file`. Hostile chains come from a scripted TLS 1.2 server.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import {
  type CertificateVerdicts,
  type ChainEntry,
  TrustStore,
  type VerifyOptions,
  httpFetcher,
  readCaFile,
  verifyCertificates,
} from '../../src/pki/index.ts';
import {
  certificateFindings,
  type CertificateRuleOptions,
} from '../../src/scan/rules/certificates.ts';
import type { FindingId } from '../../src/scan/findings/index.ts';
import {
  NOW,
  type TestCertificate,
  issue,
  makeChain,
  newKey,
} from '../../src/pki/testdata/certificates.ts';
import { type RevocationPki, startRevocationPki } from '../helpers/ocsp-responder.ts';
import { type Leaf, type TestPki, makeTestPki } from '../helpers/pki.ts';
import { type ScriptedServer, startScriptedServer } from '../helpers/hostile-server.ts';
import { type RunningServer, startOpenSslServer } from '../helpers/servers.ts';
import { scanEndpoint } from '../../src/scan/engine.ts';

/** Ciphers that let s_server load RSA-1024 and SHA-1 certificates (Debian's level 2 refuses). */
const LEGACY_CIPHERS = ['-cipher', 'DEFAULT:@SECLEVEL=0'];

let pki: TestPki;
let trust: TrustStore;
const running: { stop(): Promise<void> }[] = [];

before(async () => {
  pki = await makeTestPki();
  // What `--ca root.pem` gives: only the test root is trusted.
  trust = new TrustStore({
    mozilla: false,
    system: false,
    files: [await readCaFile(pki.root.cert)],
  });
});
after(() => Promise.all(running.map((s) => s.stop())));

/** The chain exactly as the real scanner received it from the server. */
// The chain as sent is all these tests need: the enumeration alone, no audit (whose own
// certificate checks would fetch from the test responders and skew their request logs).
async function chainSent(server: { host: string; port: number }): Promise<ChainEntry[]> {
  const report = await scanEndpoint(
    { host: server.host, port: server.port },
    { sni: 'localhost', timeoutMs: 3000, quick: true },
  );
  assert.ok(report.tls, 'the scan reached TLS');
  return report.certificateChain;
}

async function serve(
  leaf: Partial<Leaf> & { cert: string; key: string },
  args: readonly string[] = [],
): Promise<RunningServer> {
  const server = await startOpenSslServer(['-tls1_3', ...args], leaf);
  running.push(server);
  return server;
}

async function verdictsFor(
  server: { host: string; port: number },
  options: Partial<VerifyOptions> = {},
): Promise<CertificateVerdicts> {
  return verifyCertificates(await chainSent(server), {
    host: 'localhost',
    now: new Date(),
    trust,
    fetcher: null,
    ...options,
  });
}

const ids = (v: CertificateVerdicts, options: CertificateRuleOptions = {}): FindingId[] =>
  certificateFindings(v, options)
    .map((f) => f.id)
    .sort();

const evidence = (v: CertificateVerdicts, id: FindingId): string =>
  certificateFindings(v).find((f) => f.id === id)?.evidence ?? '';

describe('openssl s_server with the test PKI', () => {
  test('a complete chain: trusted; a private CA’s 825-day leaf is held to 398 days only on request', async () => {
    const v = await verdictsFor(await serve(pki.rsa));
    assert.deepEqual(v.trust.reasons, []);
    assert.equal(v.trust.anchorSource, `file:${pki.root.cert}`);
    assert.equal(v.path.length, 3);
    assert.deepEqual(ids(v), ['cert.no-revocation-info']);
    assert.deepEqual(ids(v, { lifetimeLimitForAll: true }), [
      'cert.lifetime-too-long',
      'cert.no-revocation-info',
    ]);
    assert.match(
      certificateFindings(v, { lifetimeLimitForAll: true }).find(
        (f) => f.id === 'cert.lifetime-too-long',
      )?.evidence ?? '',
      /valid for 825 days/,
    );
  });

  test('a 90-day leaf is within every lifetime limit', async () => {
    const v = await verdictsFor(await serve(pki.shortLived));
    assert.deepEqual(ids(v, { lifetimeLimitForAll: true }), ['cert.no-revocation-info']);
  });

  test('expired', async () => {
    const v = await verdictsFor(await serve(pki.expired));
    assert.deepEqual(v.trust.reasons, ['expired']);
    assert.deepEqual(ids(v), ['cert.expired', 'cert.no-revocation-info']);
    assert.match(
      evidence(v, 'cert.expired'),
      /^The leaf "CN=localhost" expired on 2020-02-01 \(\d+ days ago\)\.$/,
    );
  });

  test('not yet valid', async () => {
    const v = await verdictsFor(await serve(pki.notYetValid));
    assert.deepEqual(ids(v), ['cert.no-revocation-info', 'cert.not-yet-valid']);
    assert.match(evidence(v, 'cert.not-yet-valid'), /valid only from 2099-01-01/);
  });

  test('wrong host', async () => {
    const v = await verdictsFor(await serve(pki.wrongName));
    assert.deepEqual(ids(v), ['cert.hostname-mismatch', 'cert.no-revocation-info']);
    assert.equal(
      evidence(v, 'cert.hostname-mismatch'),
      'The certificate is for DNS:wrong.example, not for "localhost".',
    );
  });

  test('self-signed', async () => {
    const v = await verdictsFor(await serve(pki.selfSigned));
    assert.deepEqual(v.trust.reasons, ['self-signed']);
    assert.deepEqual(ids(v), ['cert.self-signed']);
  });

  test('RSA-1024', async () => {
    const v = await verdictsFor(await serve(pki.weakRsa, LEGACY_CIPHERS));
    assert.deepEqual(ids(v), ['cert.no-revocation-info', 'cert.weak-key']);
    assert.equal(evidence(v, 'cert.weak-key'), 'The leaf "CN=localhost" has a 1024-bit RSA key.');
  });

  test('SHA-1 signed', async () => {
    const v = await verdictsFor(await serve(pki.sha1, LEGACY_CIPHERS));
    assert.deepEqual(ids(v), ['cert.no-revocation-info', 'cert.weak-signature']);
    assert.match(evidence(v, 'cert.weak-signature'), /sha1WithRSAEncryption/);
  });

  test('leaf only: the intermediate is missing and nothing says where to fetch it', async () => {
    const v = await verdictsFor(await serve({ cert: pki.rsa.cert, key: pki.rsa.key }));
    assert.equal(v.chain.sent, 1);
    assert.equal(v.chain.missingIssuer, 'CN=wiretight test intermediate CA');
    assert.deepEqual(ids(v), [
      'cert.chain-incomplete',
      'cert.no-revocation-info',
      'cert.untrusted',
    ]);
  });

  test('out of order: trusted, and the order is a finding', async () => {
    const v = await verdictsFor(await serve(pki.outOfOrder));
    assert.equal(v.trust.trusted, true);
    assert.deepEqual(v.chain.misplaced, [2, 1]);
    assert.deepEqual(ids(v), ['cert.chain-order', 'cert.no-revocation-info']);
  });
});

describe('revocation: openssl ocsp, a CRL and caIssuers over HTTP, a staple', () => {
  let revocation: RevocationPki;
  before(async () => {
    revocation = await startRevocationPki();
    running.push(revocation);
  });

  test('a revoked leaf: the real responder and the CRL both say so', async () => {
    const v = await verdictsFor(await serve(revocation.revoked), {
      checkRevocation: true,
      fetcher: httpFetcher,
    });
    assert.deepEqual(
      v.revocation.map((r) => [r.source, r.status, r.reason, r.signer, r.url]),
      [
        ['ocsp', 'revoked', 'keyCompromise', 'delegated', revocation.ocspUrl],
        ['crl', 'revoked', 'keyCompromise', undefined, revocation.crlUrl],
      ],
    );
    assert.deepEqual(ids(v), ['cert.revoked']);
    assert.match(
      evidence(v, 'cert.revoked'),
      /^The OCSP responder http:\/\/127\.0\.0\.1:\d+ and the CRL .* say the leaf "CN=localhost" was revoked on \d{4}-\d\d-\d\d \(keyCompromise\)\.$/,
    );
  });

  test('a good leaf: good from both, and revocation info present', async () => {
    const v = await verdictsFor(await serve(revocation.good), {
      checkRevocation: true,
      fetcher: httpFetcher,
    });
    assert.deepEqual(
      v.revocation.map((r) => [r.source, r.status]),
      [
        ['ocsp', 'good'],
        ['crl', 'good'],
      ],
    );
    assert.deepEqual(ids(v), []);
  });

  test('a stapled response from s_server -status_file is verified without any fetch', async () => {
    const staple = await revocation.staple(revocation.revoked);
    const server = await serve(revocation.revoked, ['-status_file', staple]);
    const stapled = await stapledResponse(server.port);
    const v = await verdictsFor(server, { stapledOcsp: stapled });
    assert.deepEqual(
      v.revocation.map((r) => [r.source, r.status, r.signer]),
      [['ocsp-stapled', 'revoked', 'delegated']],
    );
    assert.ok(ids(v).includes('cert.revoked'));
  });

  test('leaf only, with a caIssuers URL: the default fetcher completes the chain over HTTP', async () => {
    const before = revocation.httpRequests().length;
    const v = await verdictsFor(
      await serve({ cert: revocation.good.cert, key: revocation.good.key }),
      { fetcher: httpFetcher },
    );
    assert.equal(v.chain.incomplete, true);
    assert.equal(v.chain.trustedAfterCompletion, true);
    assert.deepEqual(v.chain.aia, [{ url: revocation.caIssuersUrl, outcome: 'issuer-found' }]);
    assert.deepEqual(revocation.httpRequests().slice(before), ['/int.der']);
    assert.deepEqual(ids(v), ['cert.chain-incomplete']);
  });
});

/** The OCSP response a server staples, read by Node's TLS client. */
async function stapledResponse(port: number): Promise<Uint8Array> {
  const socket = connect({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    requestOCSP: true,
    rejectUnauthorized: false,
  });
  const [response] = (await once(socket, 'OCSPResponse')) as [Buffer];
  socket.destroy();
  return new Uint8Array(response);
}

describe('hostile chains on the wire (a scripted TLS 1.2 server)', () => {
  const scripted: ScriptedServer[] = [];
  after(() => Promise.all(scripted.map((s) => s.stop())));

  /**
   * Answers the scan's first contact (a TLS 1.2 hello, made before any other) with
   * ServerHello, the given Certificate list and ServerHelloDone, and every later hello
   * with a handshake_failure alert, so the rest of the scan ends quickly.
   */
  async function serveChain(chain: readonly Uint8Array[]): Promise<ScriptedServer> {
    let hellos = 0;
    const server = await startScriptedServer((hello) => {
      if ((hello[0] ?? 0) & 0x80) return null; // SSLv2
      return hellos++ === 0 ? tls12Flight(hello, chain) : HANDSHAKE_FAILURE;
    });
    scripted.push(server);
    return server;
  }

  async function verdicts(
    chain: readonly Uint8Array[],
    root: TestCertificate,
  ): Promise<CertificateVerdicts> {
    const sent = await chainSent(await serveChain(chain));
    assert.equal(sent.length, chain.length, 'the scanner received every certificate sent');
    const only = new TrustStore({
      mozilla: false,
      system: false,
      files: [{ path: 'root', certificates: [root.der] }],
    });
    // Generated certificates are valid around the unit tests' instant.
    return verifyCertificates(sent, {
      host: 'www.example.test',
      now: NOW,
      trust: only,
      fetcher: null,
    });
  }

  test('garbage and a truncated certificate: typed verdicts and findings', async () => {
    const { root, intermediate, leaf } = makeChain('www.example.test');
    const garbage = await verdicts(
      [new Uint8Array(Buffer.from('30820102deadbeef'.repeat(8), 'hex')), intermediate.der],
      root,
    );
    assert.deepEqual(ids(garbage), ['cert.untrusted']);
    const truncated = await verdicts([leaf.der, intermediate.der.subarray(0, 100)], root);
    assert.deepEqual(truncated.chain.unparseable, [1]);
    assert.ok(ids(truncated).includes('cert.chain-incomplete'));
  });

  test('a 50-deep chain', async () => {
    const root = issue({ cn: 'Deep Root', ca: true });
    let parent = root;
    const cas: TestCertificate[] = [];
    for (let i = 1; i < 50; i++)
      cas.unshift((parent = issue({ cn: `Deep CA ${i}`, ca: true, issuer: parent })));
    const leaf = issue({ cn: 'www.example.test', dns: ['www.example.test'], issuer: parent });
    const v = await verdicts([leaf.der, ...cas.map((c) => c.der)], root);
    assert.deepEqual(v.trust.reasons, ['limit-exceeded']);
    assert.ok(ids(v).includes('cert.untrusted'));
  });

  test('300 certificates', async () => {
    const { root, intermediate, leaf } = makeChain('www.example.test');
    const key = newKey(); // one key: key generation is the slow part
    const strangers = Array.from(
      { length: 298 },
      (_, i) => issue({ cn: `Stranger ${i}`, key }).der,
    );
    const v = await verdicts([leaf.der, intermediate.der, ...strangers], root);
    assert.equal(v.trust.trusted, true);
    assert.equal(v.chain.unrelated.length, 298);
    assert.ok(ids(v).includes('cert.chain-order'));
  });

  test('absurd dates: from 1950 to 9999', async () => {
    const root = issue({
      cn: 'Root',
      ca: true,
      notBefore: new Date('1950-01-01T00:00:00Z'),
      notAfter: new Date('9999-12-31T23:59:59Z'),
    });
    const leaf = issue({
      cn: 'www.example.test',
      dns: ['www.example.test'],
      issuer: root,
      notBefore: new Date('1950-01-01T00:00:00Z'),
      notAfter: new Date('9999-12-31T23:59:59Z'),
    });
    const v = await verdicts([leaf.der], root);
    assert.ok((v.path[0]?.validity.daysLeft ?? 0) > 2_000_000);
    assert.deepEqual(ids(v, { lifetimeLimitForAll: true }), [
      'cert.lifetime-too-long',
      'cert.no-revocation-info',
    ]);
  });
});

/** An alert record: fatal handshake_failure. */
const HANDSHAKE_FAILURE = Buffer.from([21, 3, 3, 0, 2, 2, 40]);

/** Handshake message: type, 24-bit length, body. */
function handshake(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  header.writeUInt8(type, 0);
  return Buffer.concat([header, body]);
}

/** A TLS 1.2 flight choosing the client's first suite, split into records of at most 16 KiB. */
function tls12Flight(hello: Buffer, chain: readonly Uint8Array[]): Buffer[] {
  const body = hello.subarray(9);
  const sessionIdLength = body.readUInt8(34);
  const suite = body.readUInt16BE(35 + sessionIdLength + 2);
  const serverHello = Buffer.alloc(38);
  serverHello.writeUInt16BE(0x0303, 0);
  serverHello.fill(0x42, 2, 34);
  serverHello.writeUInt16BE(suite, 35);
  const certs = Buffer.concat(
    chain.map((der) => {
      const length = Buffer.alloc(3);
      length.writeUIntBE(der.length, 0, 3);
      return Buffer.concat([length, der]);
    }),
  );
  const list = Buffer.alloc(3);
  list.writeUIntBE(certs.length, 0, 3);
  const flight = Buffer.concat([
    handshake(2, serverHello),
    handshake(11, Buffer.concat([list, certs])),
    handshake(14, Buffer.alloc(0)),
  ]);
  const records: Buffer[] = [];
  for (let at = 0; at < flight.length; at += 0x4000) {
    const fragment = flight.subarray(at, at + 0x4000);
    const header = Buffer.from([22, 3, 3, fragment.length >> 8, fragment.length & 0xff]);
    records.push(Buffer.concat([header, fragment]));
  }
  return [Buffer.concat(records)];
}
