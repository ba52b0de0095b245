import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import fc from 'fast-check';
import { parseCertificate } from '../parsed-certificate.ts';
import { DAY, NOW, type TestCertificate, issue, makeChain } from '../testdata/certificates.ts';
import { ocspEnvelope, ocspResponse } from '../testdata/revocation.ts';
import { buildOcspRequest } from './ocsp-request.ts';
import { type OcspCheck, checkOcspResponse } from './ocsp-response.ts';

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const { intermediate, leaf } = makeChain('ocsp.example.test');
const check: OcspCheck = {
  cert: parseCertificate(leaf.der),
  issuer: parseCertificate(intermediate.der),
  now: NOW,
  source: 'ocsp',
  url: 'http://ocsp.test',
};

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wt-ocsp-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeCert(dir: string, name: string, c: TestCertificate): string {
  writeFileSync(join(dir, `${name}.pem`), c.pem);
  writeFileSync(
    join(dir, `${name}.key`),
    c.key.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  return join(dir, name);
}

test('the request is byte for byte what `openssl ocsp -no_nonce` sends', () => {
  withTempDir((dir) => {
    const i = writeCert(dir, 'issuer', intermediate);
    const l = writeCert(dir, 'leaf', leaf);
    execFileSync('openssl', [
      'ocsp',
      '-issuer',
      `${i}.pem`,
      '-cert',
      `${l}.pem`,
      '-no_nonce',
      '-reqout',
      join(dir, 'req.der'),
    ]);
    const ours = buildOcspRequest(check.cert, check.issuer);
    assert.deepEqual(ours, new Uint8Array(readFileSync(join(dir, 'req.der'))));
  });
});

test('good, revoked with reason and time, unknown', () => {
  const good = checkOcspResponse(ocspResponse({ cert: leaf, issuer: intermediate }), check);
  assert.deepEqual(good, {
    source: 'ocsp',
    url: 'http://ocsp.test',
    status: 'good',
    signer: 'issuer',
    thisUpdate: new Date(NOW.getTime() - 3600_000).toISOString(),
    nextUpdate: new Date(NOW.getTime() + DAY).toISOString(),
  });
  const revokedAt = new Date('2026-05-20T10:00:00Z');
  const revoked = checkOcspResponse(
    ocspResponse({ cert: leaf, issuer: intermediate, status: 'revoked', reason: 1, revokedAt }),
    check,
  );
  assert.deepEqual(
    [revoked.status, revoked.reason, revoked.revokedAt],
    ['revoked', 'keyCompromise', revokedAt.toISOString()],
  );
  const unknown = checkOcspResponse(
    ocspResponse({ cert: leaf, issuer: intermediate, status: 'unknown', certIdDigest: 'sha256' }),
    check,
  );
  assert.equal(unknown.status, 'unknown');
});

test('a delegated responder must be issued by the issuer for OCSP signing and be valid now', () => {
  const responder = issue({ cn: 'OCSP Responder', issuer: intermediate, eku: [OCSP_SIGNING] });
  const ok = checkOcspResponse(
    ocspResponse({ cert: leaf, issuer: intermediate, signer: responder, certs: [responder] }),
    check,
  );
  assert.deepEqual([ok.status, ok.signer], ['good', 'delegated']);

  const noEku = issue({ cn: 'Not a responder', issuer: intermediate, eku: ['1.3.6.1.5.5.7.3.1'] });
  const expired = issue({
    cn: 'Old responder',
    issuer: intermediate,
    eku: [OCSP_SIGNING],
    notAfter: new Date(NOW.getTime() - DAY),
  });
  const stranger = issue({ cn: 'OCSP Responder', eku: [OCSP_SIGNING] });
  for (const signer of [noEku, expired, stranger]) {
    const r = checkOcspResponse(
      ocspResponse({ cert: leaf, issuer: intermediate, signer, certs: [signer] }),
      check,
    );
    assert.deepEqual([r.status, r.signer], ['unavailable', undefined], signer.entry.subject);
    assert.match(r.error ?? '', /neither the issuer’s nor an authorised responder’s/);
  }
});

test('a corrupt signature, a stale or future answer, an answer about another certificate', () => {
  const cases: [Parameters<typeof ocspResponse>[0], RegExp][] = [
    [{ cert: leaf, issuer: intermediate, corruptSignature: true }, /neither the issuer’s/],
    [{ cert: leaf, issuer: intermediate, nextUpdate: new Date(NOW.getTime() - DAY) }, /stale/],
    [{ cert: leaf, issuer: intermediate, thisUpdate: new Date(NOW.getTime() + DAY) }, /future/],
    [
      { cert: leaf, issuer: intermediate, serial: new Uint8Array([0x7f]).buffer },
      /nothing about this certificate/,
    ],
  ];
  for (const [spec, error] of cases) {
    const r = checkOcspResponse(ocspResponse(spec), check);
    assert.equal(r.status, 'unavailable');
    assert.match(r.error ?? '', error);
  }
  const noNext = checkOcspResponse(
    ocspResponse({ cert: leaf, issuer: intermediate, nextUpdate: null }),
    check,
  );
  assert.equal(noNext.status, 'good');
});

test('responder errors and garbage are unavailable, never a throw', () => {
  assert.match(checkOcspResponse(ocspEnvelope(3), check).error ?? '', /tryLater/);
  assert.match(checkOcspResponse(ocspEnvelope(0), check).error ?? '', /without a response/);
  assert.match(checkOcspResponse(new Uint8Array([1, 2, 3]), check).error ?? '', /malformed/);
  const real = ocspResponse({ cert: leaf, issuer: intermediate });
  fc.assert(
    fc.property(fc.nat(real.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
      const bytes = Uint8Array.from(real);
      bytes[at] = (bytes[at] ?? 0) ^ flip;
      const r = checkOcspResponse(bytes, check);
      // a flipped bit anywhere signed, or structural, never passes as a verified answer
      if (r.status !== 'unavailable') assert.equal(r.status, 'good');
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      assert.equal(checkOcspResponse(bytes, check).status, 'unavailable');
    }),
  );
});

test('an answer made by `openssl ocsp` as a responder (index file, -rsigner) is read', () => {
  withTempDir((dir) => {
    const i = writeCert(dir, 'issuer', intermediate);
    const l = writeCert(dir, 'leaf', leaf);
    const serial = check.cert.facts.serialNumber.toUpperCase();
    writeFileSync(
      join(dir, 'index.txt'),
      `R\t300101000000Z\t260520100000Z,keyCompromise\t${serial.length % 2 === 1 ? `0${serial}` : serial}\tunknown\t/CN=ocsp.example.test\n`,
    );
    execFileSync('openssl', [
      'ocsp',
      '-issuer',
      `${i}.pem`,
      '-cert',
      `${l}.pem`,
      '-no_nonce',
      '-reqout',
      join(dir, 'req.der'),
    ]);
    execFileSync(
      'openssl',
      [
        'ocsp',
        '-index',
        join(dir, 'index.txt'),
        '-rsigner',
        `${i}.pem`,
        '-rkey',
        `${i}.key`,
        '-CA',
        `${i}.pem`,
        '-reqin',
        join(dir, 'req.der'),
        '-respout',
        join(dir, 'resp.der'),
        '-ndays',
        '1',
      ],
      { stdio: 'ignore' },
    );
    const r = checkOcspResponse(new Uint8Array(readFileSync(join(dir, 'resp.der'))), {
      ...check,
      now: new Date(),
    });
    assert.deepEqual(
      [r.status, r.reason, r.revokedAt, r.signer],
      ['revoked', 'keyCompromise', '2026-05-20T10:00:00.000Z', 'issuer'],
    );
  });
});
