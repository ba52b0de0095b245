import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issue, newKey, sharedKey } from '../../pki/testdata/certificates.ts';
import { serverCertificate } from './server-answer.ts';

const root = issue({ cn: 'Root', ca: true, key: sharedKey('rsa2048'), digest: 'sha1' });
const ca = issue({ cn: 'Intermediate', ca: true, key: sharedKey('rsa2048'), issuer: root });

test("the leaf's key, and the weakest hash among the signatures a client checks", () => {
  const leaf = issue({ cn: 'a.example', key: sharedKey('rsa1024'), issuer: ca });
  assert.deepEqual(serverCertificate([leaf.der, ca.der]), { keyType: 'rsa', keyBits: 1024 });
  const ec = issue({ cn: 'b.example', key: newKey('p384'), issuer: ca });
  assert.deepEqual(serverCertificate([ec.der]), { keyType: 'ec', keyBits: 384 });
  const sha1 = issue({ cn: 'c.example', key: sharedKey('rsa2048'), issuer: ca, digest: 'sha1' });
  assert.deepEqual(serverCertificate([sha1.der, ca.der]), {
    keyType: 'rsa',
    keyBits: 2048,
    weakSignatureHash: 'sha1',
  });
  // A SHA-1 self-signed root sent along is a trust anchor: its signature is never checked.
  assert.deepEqual(serverCertificate([leaf.der, ca.der, root.der]), {
    keyType: 'rsa',
    keyBits: 1024,
  });
});

test('nothing to judge from an empty or unreadable chain', () => {
  assert.equal(serverCertificate([]), undefined);
  assert.equal(serverCertificate([Uint8Array.of(0x30, 0x03, 1, 2, 3)]), undefined);
  // A garbage certificate after a good leaf does not hide the leaf.
  const leaf = issue({ cn: 'a.example', key: sharedKey('rsa2048'), issuer: ca });
  assert.deepEqual(serverCertificate([leaf.der, Uint8Array.of(0x30, 0x00)]), {
    keyType: 'rsa',
    keyBits: 2048,
  });
});

test('a chain read once is remembered by its certificates, not by their concatenation', () => {
  const weakCa = issue({
    cn: 'SHA-1 CA',
    ca: true,
    key: sharedKey('rsa2048'),
    issuer: root,
    digest: 'sha1',
  });
  const leaf = issue({ cn: 'd.example', key: sharedKey('rsa2048'), issuer: weakCa });
  // The same bytes as one "certificate": OpenSSL reads the leaf and ignores the rest.
  const joined = new Uint8Array([...leaf.der, ...weakCa.der]);
  assert.deepEqual(serverCertificate([joined]), { keyType: 'rsa', keyBits: 2048 });
  // Read after it, the real chain still shows the SHA-1 signature of its intermediate.
  assert.deepEqual(serverCertificate([leaf.der, weakCa.der]), {
    keyType: 'rsa',
    keyBits: 2048,
    weakSignatureHash: 'sha1',
  });
});
