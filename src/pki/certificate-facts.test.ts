import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import fc from 'fast-check';
import { describeCertificate, isUnparsed } from './certificate-facts.ts';

function makeCertificate(args: string[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'wt-pki-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-nodes',
        '-keyout',
        join(dir, 'k'),
        '-out',
        join(dir, 'c'),
        '-outform',
        'DER',
        '-days',
        '10',
        ...args,
      ],
      {
        stdio: 'ignore',
      },
    );
    return readFileSync(join(dir, 'c'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an RSA certificate: names, validity, key size, signature algorithm, PEM', () => {
  const der = makeCertificate([
    '-newkey',
    'rsa:2048',
    '-subj',
    '/CN=db.internal/O=Example',
    '-addext',
    'subjectAltName=DNS:db.internal,IP:10.0.0.5',
  ]);
  const r = describeCertificate(der);
  assert.ok(r.ok);
  assert.equal(r.facts.subject, 'CN=db.internal, O=Example');
  assert.deepEqual(r.facts.subjectAltNames, ['DNS:db.internal', 'IP:10.0.0.5']);
  assert.deepEqual(r.facts.publicKey, { type: 'rsa', bits: 2048 });
  assert.equal(r.facts.signatureAlgorithm, 'sha256WithRSAEncryption');
  assert.equal(r.facts.selfIssued, true);
  assert.match(
    r.facts.pem,
    /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/,
  );
  const days = (Date.parse(r.facts.notAfter) - Date.parse(r.facts.notBefore)) / 86_400_000;
  assert.equal(Math.round(days), 10);
});

test('an EC certificate reports its curve and size', () => {
  const der = makeCertificate([
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-384',
    '-subj',
    '/CN=ec.example',
  ]);
  const r = describeCertificate(der);
  assert.ok(r.ok);
  assert.deepEqual(r.facts.publicKey, { type: 'ec', bits: 384, curve: 'secp384r1' });
});

test('garbage is an unparsed entry with its fingerprint, never an exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = describeCertificate(bytes);
      if (!r.ok) {
        assert.ok(isUnparsed(r.certificate));
        assert.match(r.certificate.sha256, /^[0-9a-f]{64}$/);
      }
    }),
    { numRuns: 300 },
  );
});

test('a certificate with an empty subject (an IP-only leaf) is described, not a crash', () => {
  const der = makeCertificate([
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-subj',
    '/',
    '-addext',
    'subjectAltName=critical,IP:10.0.0.7',
  ]);
  const r = describeCertificate(der);
  assert.ok(r.ok);
  assert.equal(r.facts.subject, '');
  assert.deepEqual(r.facts.subjectAltNames, ['IP:10.0.0.7']);
});
