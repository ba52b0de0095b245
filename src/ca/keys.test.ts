import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { describeSignatureAlgorithm, verifySignature } from '../pki/signature-algorithms.ts';
import { describePublicKey, encodePublicKey, generateKeyPair } from './keys.ts';
import { createSigner } from './signer.ts';
import { KEY_ALGORITHMS } from './types.ts';

test('every KeyAlgorithm generates a key the CA describes by the same name', async () => {
  for (const algorithm of KEY_ALGORITHMS.filter((a) => a !== 'rsa-4096')) {
    const { publicKey, privateKey } = await generateKeyPair(algorithm);
    assert.equal(privateKey.type, 'private');
    assert.equal(describePublicKey(publicKey).name, algorithm);
  }
  await assert.rejects(generateKeyPair('dsa-1024' as never), RangeError);
});

test('encodePublicKey writes the SPKI OpenSSL writes, for every key type it shortcuts', () => {
  const keys = [
    generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    generateKeyPairSync('ec', { namedCurve: 'P-521' }),
    generateKeyPairSync('ed25519'),
    generateKeyPairSync('rsa', { modulusLength: 1024 }),
    generateKeyPairSync('ed448'),
  ];
  for (const { publicKey } of keys) {
    const encoded = encodePublicKey(publicKey);
    assert.deepEqual(
      encoded.spki,
      new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
      publicKey.asymmetricKeyType,
    );
    assert.ok(
      createPublicKey({ key: Buffer.from(encoded.spki), format: 'der', type: 'spki' }).equals(
        publicKey,
      ),
    );
  }
  assert.throws(() => encodePublicKey(keys[0]!.privateKey), TypeError);
});

test('describePublicKey names families the policy judges, and refuses odd keys by name', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  assert.deepEqual(describePublicKey(rsa.publicKey), { type: 'rsa', bits: 1024, name: 'rsa-1024' });
  const e3 = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 });
  assert.equal(describePublicKey(e3.publicKey).type, null);
  assert.match(describePublicKey(e3.publicKey).name, /exponent 3/);
  assert.equal(
    describePublicKey(generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey).type,
    'ecdsa-p521',
  );
  assert.equal(
    describePublicKey(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey).type,
    null,
  );
  assert.equal(describePublicKey(generateKeyPairSync('ed448').publicKey).type, null);
});

test('a signer uses the digest that matches its key and its AlgorithmIdentifier says so', () => {
  const cases = [
    [generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ecdsa-with-SHA256', 'sha256'],
    [generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'ecdsa-with-SHA384', 'sha384'],
    [generateKeyPairSync('ed25519'), 'Ed25519', null],
    [generateKeyPairSync('rsa', { modulusLength: 1024 }), 'sha256WithRSAEncryption', 'sha256'],
  ] as const;
  const data = new TextEncoder().encode('tbs');
  for (const [pair, name, hash] of cases) {
    const signer = createSigner(pair.privateKey);
    const algorithm = describeSignatureAlgorithm(signer.algorithm);
    assert.equal(algorithm.name, name);
    assert.equal(algorithm.hash, hash);
    const signature = signer.sign(data);
    assert.equal(verifySignature(algorithm, data, signature, pair.publicKey), 'valid');
    assert.ok(verify(hash, data, pair.publicKey, signature));
  }
  assert.throws(
    () => createSigner(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey),
    RangeError,
  );
  assert.throws(() => createSigner(generateKeyPairSync('ed25519').publicKey), TypeError);
});
