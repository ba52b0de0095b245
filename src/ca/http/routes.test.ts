import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fastify, { type FastifyInstance } from 'fastify';
import { memoryCaStore } from '../testdata/memory-store.ts';
import { CertificateAuthority } from '../authority.ts';
import { initCa } from '../init.ts';
import { decodeGetRequest, registerCaRoutes } from './index.ts';

const passphrase = 'route tests passphrase';
let dir: string;
let ca: CertificateAuthority;
let app: FastifyInstance;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wt-ca-http-'));
  await initCa({ dir: join(dir, 'ca'), passphrase, permitDns: ['.wiretight.test'] });
  ca = await CertificateAuthority.open({
    dir: join(dir, 'ca'),
    passphrase,
    store: memoryCaStore(),
  });
  app = fastify();
  registerCaRoutes(app, ca);
  await app.ready();
});

after(async () => {
  await app.close();
  await ca.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An OCSP request for `leafPem` made by the openssl CLI, DER. */
function ocspRequest(leafPem: string): Buffer {
  const leaf = join(dir, `leaf-${Math.random().toString(16).slice(2)}.pem`);
  const issuer = join(dir, 'intermediate.pem');
  const out = `${leaf}.req`;
  writeFileSync(leaf, leafPem);
  writeFileSync(issuer, ca.intermediatePem);
  execFileSync('openssl', ['ocsp', '-issuer', issuer, '-cert', leaf, '-no_nonce', '-reqout', out]);
  return execFileSync('cat', [out]);
}

/** The cert status line `openssl ocsp -respin` prints for a response. */
function ocspStatus(response: Buffer, leafPem: string): string {
  const file = join(dir, `resp-${Math.random().toString(16).slice(2)}.der`);
  const leaf = `${file}.pem`;
  writeFileSync(file, response);
  writeFileSync(leaf, leafPem);
  writeFileSync(join(dir, 'root.pem'), ca.rootPem);
  writeFileSync(join(dir, 'intermediate.pem'), ca.intermediatePem);
  return execFileSync(
    'openssl',
    [
      'ocsp',
      '-respin',
      file,
      '-issuer',
      join(dir, 'intermediate.pem'),
      '-cert',
      leaf,
      '-CAfile',
      join(dir, 'root.pem'),
      '-verify_other',
      join(dir, 'intermediate.pem'),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

async function issue(name: string) {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return ca.issue({
    publicKey,
    identifiers: [{ type: 'dns', value: name }],
    usage: 'server',
    provisioner: 'library',
  });
}

test('OCSP over POST and GET answers good, then revoked, as openssl reads it', async () => {
  const leaf = await issue('ocsp.wiretight.test');
  const request = ocspRequest(leaf.certificatePem);
  const post = await app.inject({
    method: 'POST',
    url: '/ocsp',
    headers: { 'content-type': 'application/ocsp-request' },
    payload: request,
  });
  assert.equal(post.statusCode, 200);
  assert.equal(post.headers['content-type'], 'application/ocsp-response');
  assert.match(ocspStatus(post.rawPayload, leaf.certificatePem), /: good/);

  await ca.revoke(leaf.record.serial, 'keyCompromise');
  const get = await app.inject({
    method: 'GET',
    url: `/ocsp/${encodeURIComponent(request.toString('base64'))}`,
  });
  assert.equal(get.statusCode, 200);
  assert.match(get.headers['cache-control'] as string, /max-age/);
  const status = ocspStatus(get.rawPayload, leaf.certificatePem);
  assert.match(status, /: revoked/);
  assert.match(status, /Reason: keyCompromise/);
});

test('garbage sent to the responder gets an OCSP malformedRequest answer, not an HTTP error', async () => {
  for (const payload of [
    Buffer.alloc(0),
    Buffer.from('not der at all'),
    Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
  ]) {
    const res = await app.inject({
      method: 'POST',
      url: '/ocsp',
      headers: { 'content-type': 'application/ocsp-request' },
      payload,
    });
    assert.equal(res.statusCode, 200);
    // OCSPResponse { responseStatus ENUMERATED malformedRequest (1) } and nothing else.
    assert.deepEqual([...res.rawPayload], [0x30, 0x03, 0x0a, 0x01, 0x01]);
    assert.equal(res.headers['cache-control'], 'no-store');
  }
  const bad = await app.inject({ method: 'GET', url: '/ocsp/not*base64!' });
  assert.equal(bad.statusCode, 200);
  assert.deepEqual([...bad.rawPayload], [0x30, 0x03, 0x0a, 0x01, 0x01]);
});

test('an OCSP body over the cap is refused before it is read', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/ocsp',
    headers: { 'content-type': 'application/ocsp-request' },
    payload: Buffer.alloc(17 * 1024, 0x30),
  });
  assert.equal(res.statusCode, 413);
});

test('the CRL is DER openssl parses, with its number as ETag and a 304 for a client that has it', async () => {
  const res = await app.inject({ method: 'GET', url: '/crl' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pkix-crl');
  const file = join(dir, 'crl.der');
  writeFileSync(file, res.rawPayload);
  const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text'], {
    encoding: 'utf8',
  });
  assert.match(text, /Certificate Revocation List/);
  const etag = res.headers['etag'] as string;
  assert.match(etag, /^"crl-[0-9a-f]+"$/);
  const again = await app.inject({
    method: 'GET',
    url: '/crl',
    headers: { 'if-none-match': etag },
  });
  assert.equal(again.statusCode, 304);
});

test('root and intermediate are served as PEM', async () => {
  assert.equal((await app.inject({ method: 'GET', url: '/root.pem' })).body, ca.rootPem);
  assert.equal(
    (await app.inject({ method: 'GET', url: '/intermediate.pem' })).body,
    ca.intermediatePem,
  );
});

test('renewal without TLS (no client certificate) is refused with a typed error', async () => {
  const res = await app.inject({ method: 'POST', url: '/renew' });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'WT_ERR_CA_RENEW');
});

test('GET request decoding refuses what is not base64 or too long', () => {
  assert.deepEqual([...decodeGetRequest('MAM%3D')], [0x30, 0x03]);
  assert.equal(decodeGetRequest('a b').length, 0);
  assert.equal(decodeGetRequest('%E0%A4%A').length, 0);
  assert.equal(decodeGetRequest('A'.repeat(40_000)).length, 0);
});
