import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTestCa } from '../ca/testdata/ca.ts';
import { peerIdentity } from './identity.ts';

test('names from a CA-issued leaf: DNS, IP and SPIFFE URI SANs, serial, expiry', async () => {
  const t = await makeTestCa();
  try {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const issued = await t.ca.issue({
      publicKey,
      identifiers: [
        { type: 'dns', value: 'api.svc.internal' },
        { type: 'ip', value: '10.1.2.3' },
        { type: 'uri', value: 'spiffe://example.org/ns/api' },
      ],
      usage: 'client',
      provisioner: 'library',
    });
    const id = peerIdentity(issued.record.der);
    assert.deepEqual(id.dnsNames, ['api.svc.internal']);
    assert.deepEqual(id.ipAddresses, ['10.1.2.3']);
    assert.deepEqual(id.uris, ['spiffe://example.org/ns/api']);
    assert.deepEqual(id.commonNames, ['api.svc.internal']);
    assert.equal(id.serial, issued.record.serial);
    assert.equal(id.notAfter.getTime(), issued.record.notAfter.getTime());
  } finally {
    await t.close();
  }
});

test('several OUs and a CN from a certificate made by openssl req', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wiretight-identity-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '1',
        '-subj',
        '/O=Example/OU=payments/OU=ops/CN=batch-runner',
        '-addext',
        'subjectAltName=DNS:Batch.Example.COM',
      ],
      { stdio: 'ignore' },
    );
    const id = peerIdentity(new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw);
    assert.deepEqual(id.organizationalUnits, ['payments', 'ops']);
    assert.deepEqual(id.commonNames, ['batch-runner']);
    assert.deepEqual(id.dnsNames, ['batch.example.com']);
    assert.deepEqual(id.uris, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes that are not a certificate are WT_ERR_PKI_DECODE, not a crash', () => {
  for (const der of [
    new Uint8Array(0),
    new Uint8Array([0x30, 0x82, 0xff, 0xff]),
    new Uint8Array(64).fill(0x30),
  ]) {
    assert.throws(() => peerIdentity(der), { code: 'WT_ERR_PKI_DECODE' });
  }
});
