import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { integer, octetString, oid, pem, sequence } from './der-writer.ts';
import { decryptPrivateKey, encryptPrivateKey } from './key-file.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const code = (c: string) => (err: unknown) => (err as { code?: string }).code === c;

test('an encrypted key decrypts with its passphrase, and only with it', async () => {
  const text = await encryptPrivateKey(privateKey, 'correct horse battery');
  assert.match(text, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
  assert.doesNotMatch(text, /BEGIN PRIVATE KEY/);
  const key = decryptPrivateKey(text, 'correct horse battery', 'k.pem');
  assert.ok(createPublicKey(key).equals(createPublicKey(privateKey)));
  assert.throws(
    () => decryptPrivateKey(text, 'wrong horse', 'k.pem'),
    code('WT_ERR_CA_PASSPHRASE'),
  );
  assert.throws(() => decryptPrivateKey(text, '', 'k.pem'), code('WT_ERR_CA_PASSPHRASE'));
  await assert.rejects(encryptPrivateKey(privateKey, ''), code('WT_ERR_CA_PASSPHRASE'));
});

test('two encryptions of one key differ (fresh salt and IV)', async () => {
  const a = await encryptPrivateKey(privateKey, 'correct horse battery');
  const b = await encryptPrivateKey(privateKey, 'correct horse battery');
  assert.notEqual(a, b);
});

test('a file that is not an encrypted key is WT_ERR_CA_DIR, naming the file', () => {
  const plain = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  assert.throws(
    () => decryptPrivateKey(plain, 'x', 'plain.key'),
    (err: Error) =>
      code('WT_ERR_CA_DIR')(err) &&
      /plain\.key: the private key is not encrypted/.test(err.message),
  );
  assert.throws(() => decryptPrivateKey('garbage', 'x', 'g.key'), code('WT_ERR_CA_DIR'));
  assert.throws(
    () => decryptPrivateKey(pem('ENCRYPTED PRIVATE KEY', new Uint8Array([1, 2, 3])), 'x', 'b.key'),
    code('WT_ERR_CA_DIR'),
  );
  assert.throws(
    () => decryptPrivateKey('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA', 'x', 't.key'),
    code('WT_ERR_CA_DIR'),
  );
});

test('a hostile key asking for ruinous scrypt or PBKDF2 work is refused before any is done', () => {
  const scryptKey = (n: number, r: number, p: number) =>
    pem(
      'ENCRYPTED PRIVATE KEY',
      sequence(
        sequence(
          oid('1.2.840.113549.1.5.13'),
          sequence(
            sequence(
              oid('1.3.6.1.4.1.11591.4.11'),
              sequence(octetString(new Uint8Array(16)), integer(n), integer(r), integer(p)),
            ),
            sequence(oid('2.16.840.1.101.3.4.1.42'), octetString(new Uint8Array(16))),
          ),
        ),
        octetString(new Uint8Array(48)),
      ),
    );
  const started = Date.now();
  assert.throws(
    () => decryptPrivateKey(scryptKey(2 ** 30, 8, 1), 'x', 'n.key'),
    code('WT_ERR_CA_DIR'),
  );
  assert.throws(
    () => decryptPrivateKey(scryptKey(2 ** 14, 8, 2 ** 20), 'x', 'p.key'),
    code('WT_ERR_CA_DIR'),
  );
  const pbkdf2 = pem(
    'ENCRYPTED PRIVATE KEY',
    sequence(
      sequence(
        oid('1.2.840.113549.1.5.13'),
        sequence(
          sequence(
            oid('1.2.840.113549.1.5.12'),
            sequence(octetString(new Uint8Array(8)), integer(2 ** 40)),
          ),
          sequence(oid('2.16.840.1.101.3.4.1.42'), octetString(new Uint8Array(16))),
        ),
      ),
      octetString(new Uint8Array(48)),
    ),
  );
  assert.throws(() => decryptPrivateKey(pbkdf2, 'x', 'i.key'), code('WT_ERR_CA_DIR'));
  assert.ok(Date.now() - started < 2000);
});
