// The internal CA judged by an independent implementation: OpenSSL's CLI verifies the
// chains, name constraints, CRLs and OCSP answers the CA makes, decrypts its keys, makes
// the CSRs it signs (a corrupted one included), and completes TLS handshakes with its
// certificates. The library is imported from src (no build needed).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:tls';
import { CertificateAuthority, type KeyAlgorithm, initCa } from '../../src/ca/index.ts';
import { pem } from '../../src/ca/der-writer.ts';
import { openCaStore } from '../../src/store/index.ts';
import { exec, execOk } from '../helpers/exec.ts';

const PASSPHRASE = 'correct horse battery staple';
const scratch = mkdtempSync(join(tmpdir(), 'wiretight-ca-openssl-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const file = (name: string): string => join(scratch, name);
const openssl = (args: readonly string[], input?: string) =>
  exec('openssl', args, { timeoutMs: 20_000, ...(input === undefined ? {} : { input }) });

interface Ca {
  readonly dir: string;
  readonly ca: CertificateAuthority;
  /** root.pem and intermediate.pem paths. */
  readonly root: string;
  readonly intermediate: string;
}

async function makeCa(
  name: string,
  keyType: KeyAlgorithm,
  permitDns = ['.svc.internal'],
): Promise<Ca> {
  const dir = file(name);
  await initCa({
    dir,
    passphrase: PASSPHRASE,
    keyType,
    permitDns,
    permitIp: ['10.0.0.0/8'],
    publicUrl: 'http://127.0.0.1:9',
  });
  const ca = await CertificateAuthority.open({
    dir,
    passphrase: PASSPHRASE,
    store: openCaStore(join(dir, 'ca.db')),
  });
  return { dir, ca, root: join(dir, 'root.pem'), intermediate: join(dir, 'intermediate.pem') };
}

/** Issues a leaf for a fresh P-256 key; writes leaf, key and chain files named after `stem`. */
async function leaf(
  ca: Ca,
  stem: string,
  dns: string,
  usage: 'server' | 'client' | 'both' = 'server',
) {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await ca.ca.issue({
    publicKey: keys.publicKey,
    identifiers: [
      { type: 'dns', value: dns },
      { type: 'ip', value: '10.2.3.4' },
    ],
    usage,
    provisioner: 'library',
  });
  writeFileSync(file(`${stem}.pem`), issued.certificatePem);
  writeFileSync(file(`${stem}-chain.pem`), issued.chainPem);
  writeFileSync(
    file(`${stem}.key`),
    keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  );
  return { path: file(`${stem}.pem`), serial: issued.record.serial, issued };
}

describe('chains', () => {
  const cas: Ca[] = [];
  after(async () => {
    for (const c of cas) await c.ca.close();
  });

  for (const keyType of ['ecdsa-p256', 'ecdsa-p384', 'ed25519', 'rsa-2048'] as const) {
    test(`a ${keyType} CA: openssl verifies leaf → intermediate → root, for the purpose of the usage`, async () => {
      const ca = await makeCa(`chain-${keyType}`, keyType);
      cas.push(ca);
      const server = await leaf(ca, `server-${keyType}`, 'api.svc.internal', 'server');
      const client = await leaf(ca, `client-${keyType}`, 'worker.svc.internal', 'client');
      const verify = (cert: string, purpose: string) =>
        openssl([
          'verify',
          '-CAfile',
          ca.root,
          '-untrusted',
          ca.intermediate,
          '-purpose',
          purpose,
          cert,
        ]);
      const ok = await verify(server.path, 'sslserver');
      assert.equal(ok.code, 0, ok.stderr + ok.stdout);
      assert.match(ok.stdout, /: OK\n$/);
      assert.equal((await verify(client.path, 'sslclient')).code, 0);
      assert.notEqual(
        (await verify(client.path, 'sslserver')).code,
        0,
        'a client certificate is no server certificate',
      );
      assert.notEqual(
        (await openssl(['verify', '-CAfile', ca.root, server.path])).code,
        0,
        'not without the intermediate',
      );
      const text = (await execOk('openssl', ['x509', '-in', server.path, '-noout', '-text']))
        .stdout;
      assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
      assert.match(text, /DNS:api\.svc\.internal, IP Address:10\.2\.3\.4/);
      assert.match(text, /OCSP - URI:http:\/\/127\.0\.0\.1:9\/ocsp/);
      assert.match(text, /URI:http:\/\/127\.0\.0\.1:9\/crl/);
      const root = (await execOk('openssl', ['x509', '-in', ca.root, '-noout', '-text'])).stdout;
      assert.match(root, /Certificate Sign, CRL Sign/);
    });
  }
});

describe('name constraints, keys, CSRs, CRL, OCSP and TLS', () => {
  let c: Ca;
  before(async () => {
    c = await makeCa('main', 'ecdsa-p256');
  });
  after(async () => {
    await c.ca.close();
  });

  test('openssl enforces the intermediate’s name constraints on a name the policy was edited to allow', async () => {
    const dir = file('constrained');
    await initCa({ dir, passphrase: PASSPHRASE, permitDns: ['.svc.internal'] });
    writeFileSync(join(dir, 'policy.yaml'), 'dns: [".svc.internal", "evil.example.com"]\n');
    const ca = await CertificateAuthority.open({
      dir,
      passphrase: PASSPHRASE,
      store: openCaStore(join(dir, 'ca.db')),
    });
    try {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const evil = await ca.issue({
        publicKey,
        identifiers: [{ type: 'dns', value: 'evil.example.com' }],
        usage: 'server',
        provisioner: 'library',
      });
      writeFileSync(file('evil.pem'), evil.certificatePem);
      const r = await openssl([
        'verify',
        '-CAfile',
        join(dir, 'root.pem'),
        '-untrusted',
        join(dir, 'intermediate.pem'),
        file('evil.pem'),
      ]);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout + r.stderr, /permitted subtree violation/);
    } finally {
      await ca.close();
    }
  });

  test('openssl decrypts the CA keys with the passphrase, and only with it', async () => {
    writeFileSync(file('pass.txt'), `${PASSPHRASE}\n`);
    for (const key of ['root.key', 'intermediate.key', 'ocsp.pem']) {
      const ok = await openssl([
        'pkey',
        '-in',
        join(c.dir, key),
        '-passin',
        `file:${file('pass.txt')}`,
        '-noout',
      ]);
      assert.equal(ok.code, 0, `${key}: ${ok.stderr}`);
      const bad = await openssl([
        'pkey',
        '-in',
        join(c.dir, key),
        '-passin',
        'pass:wrong horse',
        '-noout',
      ]);
      assert.notEqual(bad.code, 0, key);
    }
    const asn1 = (await execOk('openssl', ['asn1parse', '-in', join(c.dir, 'intermediate.key')]))
      .stdout;
    assert.match(asn1, /:PBES2\n[^]*:id-scrypt|:scrypt/);
  });

  test('CSRs made by openssl req (ECDSA, RSA-PSS, Ed25519) are signed; a corrupted one is refused', async () => {
    const cases = [
      ['ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
      [
        'pss',
        ['-newkey', 'rsa:2048', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'],
      ],
      ['ed25519', ['-newkey', 'ed25519']],
    ] as const;
    for (const [stem, keyArgs] of cases) {
      await execOk('openssl', [
        'req',
        '-new',
        ...keyArgs,
        '-nodes',
        '-keyout',
        file(`${stem}-csr.key`),
        '-out',
        file(`${stem}.csr`),
        '-outform',
        'DER',
        '-subj',
        '/CN=csr.svc.internal',
        '-addext',
        'subjectAltName=DNS:csr.svc.internal,IP:10.9.9.9',
      ]);
      const der = new Uint8Array(readFileSync(file(`${stem}.csr`)));
      const issued = await c.ca.issueFromCsr(der, { usage: 'server', provisioner: 'cli' });
      assert.deepEqual(issued.record.identifiers, [
        { type: 'dns', value: 'csr.svc.internal' },
        { type: 'ip', value: '10.9.9.9' },
      ]);
      writeFileSync(file(`${stem}-csr.pem`), issued.certificatePem);
      const r = await openssl([
        'verify',
        '-CAfile',
        c.root,
        '-untrusted',
        c.intermediate,
        file(`${stem}-csr.pem`),
      ]);
      assert.equal(r.code, 0, `${stem}: ${r.stderr}`);
      const matches = await openssl(['x509', '-in', file(`${stem}-csr.pem`), '-noout', '-pubkey']);
      const expected = await openssl(['pkey', '-in', file(`${stem}-csr.key`), '-pubout']);
      assert.equal(
        matches.stdout,
        expected.stdout,
        `${stem}: the certificate certifies the CSR's key`,
      );

      const corrupted = Uint8Array.from(der);
      corrupted[corrupted.length - 8]! ^= 0x40;
      await assert.rejects(
        c.ca.issueFromCsr(corrupted, { usage: 'server', provisioner: 'cli' }),
        (err: { code?: string }) => err.code === 'WT_ERR_CA_CSR',
        stem,
      );
    }
  });

  test('the CRL reads in openssl with its number and reasons, and -crl_check rejects the revoked', async () => {
    const good = await leaf(c, 'crl-good', 'good.svc.internal');
    const bad = await leaf(c, 'crl-bad', 'bad.svc.internal');
    await c.ca.revoke(bad.serial, 'keyCompromise');
    const crl = await c.ca.currentCrl();
    writeFileSync(file('ca.crl'), crl.der);
    writeFileSync(file('ca.crl.pem'), pem('X509 CRL', crl.der));
    const text = (
      await execOk('openssl', ['crl', '-inform', 'DER', '-in', file('ca.crl'), '-noout', '-text'])
    ).stdout;
    assert.match(text, new RegExp(`X509v3 CRL Number: \\n\\s+${crl.number}\\n`));
    assert.match(
      text,
      new RegExp(
        `Serial Number: ${bad.serial.toUpperCase()}\\n\\s+Revocation Date: .*\\n\\s+CRL entry extensions:\\n\\s+X509v3 CRL Reason Code: \\n\\s+Key Compromise`,
      ),
    );
    assert.match(text, /X509v3 Authority Key Identifier/);
    const verified = await openssl([
      'crl',
      '-in',
      file('ca.crl.pem'),
      '-CAfile',
      c.intermediate,
      '-noout',
    ]);
    assert.match(verified.stderr + verified.stdout, /verify OK/);
    const check = (cert: string) =>
      openssl([
        'verify',
        '-crl_check',
        '-CRLfile',
        file('ca.crl.pem'),
        '-CAfile',
        c.root,
        '-untrusted',
        c.intermediate,
        cert,
      ]);
    assert.equal((await check(good.path)).code, 0);
    const revoked = await check(bad.path);
    assert.notEqual(revoked.code, 0);
    assert.match(revoked.stdout + revoked.stderr, /certificate revoked/);
  });

  test('OCSP: openssl’s own requests (with nonce) get answers it verifies: good, revoked, unknown', async () => {
    const good = await leaf(c, 'ocsp-good', 'ocsp-good.svc.internal');
    const bad = await leaf(c, 'ocsp-bad', 'ocsp-bad.svc.internal');
    await c.ca.revoke(bad.serial, 'superseded');
    // openssl ocsp builds a fresh request (and nonce) whenever -cert is given, so the nonce
    // is checked against the saved request (-reqin, no -cert) and the status with -no_nonce.
    const ask = async (cert: string, stem: string) => {
      await execOk('openssl', [
        'ocsp',
        '-issuer',
        c.intermediate,
        '-cert',
        cert,
        '-reqout',
        file(`${stem}.req`),
      ]);
      const answer = await c.ca.ocsp(new Uint8Array(readFileSync(file(`${stem}.req`))));
      writeFileSync(file(`${stem}.resp`), answer.der);
      const trust = ['-CAfile', c.root, '-verify_other', c.intermediate];
      const nonce = await openssl([
        'ocsp',
        '-respin',
        file(`${stem}.resp`),
        '-reqin',
        file(`${stem}.req`),
        ...trust,
        '-resp_text',
      ]);
      const status = await openssl([
        'ocsp',
        '-respin',
        file(`${stem}.resp`),
        '-issuer',
        c.intermediate,
        '-cert',
        cert,
        '-no_nonce',
        ...trust,
      ]);
      return { answer, out: nonce.stdout + nonce.stderr + status.stdout + status.stderr };
    };
    const g = await ask(good.path, 'good');
    assert.equal(g.answer.status, 'good');
    assert.match(g.out, /Response verify OK/);
    assert.match(g.out, /ocsp-good\.pem: good/);
    assert.match(g.out, /Responder Id: [0-9A-F]{40}/, 'responderID byKey');
    assert.match(g.out, /OCSP Nonce: \n\s+0410[0-9A-F]{32}\n/);
    assert.doesNotMatch(g.out, /WARNING: no nonce in response|nonce verify error/i);
    const b = await ask(bad.path, 'bad');
    assert.equal(b.answer.status, 'revoked');
    assert.match(b.out, /ocsp-bad\.pem: revoked/);
    assert.match(b.out, /Reason: superseded/);

    const other = await makeCa('other', 'ecdsa-p256');
    try {
      const stranger = await leaf(other, 'stranger', 'stranger.svc.internal');
      await execOk('openssl', [
        'ocsp',
        '-issuer',
        other.intermediate,
        '-cert',
        stranger.path,
        '-reqout',
        file('stranger.req'),
      ]);
      assert.equal(
        (await c.ca.ocsp(new Uint8Array(readFileSync(file('stranger.req'))))).status,
        'unauthorized',
      );
    } finally {
      await other.ca.close();
    }
    // An unknown serial under our own name and key.
    await execOk('openssl', [
      'ocsp',
      '-issuer',
      c.intermediate,
      '-serial',
      '0x0102030405',
      '-reqout',
      file('unknown.req'),
    ]);
    const unknown = await c.ca.ocsp(new Uint8Array(readFileSync(file('unknown.req'))));
    assert.equal(unknown.status, 'unknown');
    writeFileSync(file('unknown.resp'), unknown.der);
    const u = await openssl([
      'ocsp',
      '-respin',
      file('unknown.resp'),
      '-issuer',
      c.intermediate,
      '-serial',
      '0x0102030405',
      '-no_nonce',
      '-CAfile',
      c.root,
      '-verify_other',
      c.intermediate,
    ]);
    assert.match(u.stderr, /Response verify OK/);
    assert.match(u.stdout, /0x0102030405: unknown/);
  });

  test('a TLS server with an issued chain passes openssl s_client’s verification of name and chain', async () => {
    const srv = await leaf(c, 'tls', 'tls.svc.internal', 'both');
    const server = createServer(
      {
        key: readFileSync(file('tls.key')),
        cert: readFileSync(file('tls-chain.pem')),
      },
      (socket) => socket.end('hello\n'),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const r = await openssl(
        [
          's_client',
          '-connect',
          `127.0.0.1:${port}`,
          '-CAfile',
          c.root,
          '-verify_return_error',
          '-verify_hostname',
          'tls.svc.internal',
          '-verify_ip',
          '10.2.3.4',
          '-servername',
          'tls.svc.internal',
        ],
        '',
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
      const wrong = await openssl(
        [
          's_client',
          '-connect',
          `127.0.0.1:${port}`,
          '-CAfile',
          c.root,
          '-verify_return_error',
          '-verify_hostname',
          'other.svc.internal',
        ],
        '',
      );
      assert.notEqual(wrong.code, 0);
      assert.ok(srv.serial);
    } finally {
      server.close();
    }
  });
});
