import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { certificateParts, findExtension } from '../pki/certificate-parts.ts';
import { CertificateAuthority } from './authority.ts';
import { initCa } from './init.ts';
import { PASSPHRASE, TEST_INIT } from './testdata/ca.ts';
import { memoryCaStore } from './testdata/memory-store.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wiretight-ca-init-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(scratch, `ca${++n}`);

const code =
  (c: string, pattern = /./) =>
  (err: unknown) =>
    (err as { code?: string }).code === c && pattern.test((err as Error).message);

const open = (dir: string, passphrase = PASSPHRASE) =>
  CertificateAuthority.open({ dir, passphrase, store: memoryCaStore() });

test('init writes the CA files with their modes; the intermediate carries the name constraints', async () => {
  const dir = freshDir();
  const result = await initCa({
    ...TEST_INIT,
    dir,
    passphrase: PASSPHRASE,
    name: 'Example CA',
    keyType: 'ecdsa-p384',
  });
  assert.deepEqual(readdirSync(dir).sort(), [
    'ca.json',
    'intermediate.key',
    'intermediate.pem',
    'ocsp.pem',
    'policy.yaml',
    'root.key',
    'root.pem',
  ]);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const secret of ['root.key', 'intermediate.key', 'ocsp.pem'])
    assert.equal(statSync(join(dir, secret)).mode & 0o777, 0o600, secret);
  for (const file of ['root.pem', 'intermediate.pem', 'ca.json', 'policy.yaml'])
    assert.equal(statSync(join(dir, file)).mode & 0o777, 0o644, file);
  const root = new X509Certificate(result.rootPem);
  const intermediate = new X509Certificate(result.intermediatePem);
  assert.equal(root.subject, 'O=Example CA\nCN=Example CA Root');
  assert.equal(intermediate.subject, 'O=Example CA\nCN=Example CA Intermediate');
  assert.ok(root.ca && intermediate.ca);
  assert.ok(intermediate.verify(root.publicKey));
  assert.equal(root.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  assert.equal(result.rootFingerprint, root.fingerprint256);
  const constraints = findExtension(
    certificateParts(new Uint8Array(intermediate.raw)),
    '2.5.29.30',
  );
  assert.equal(constraints?.critical, true);
  assert.equal(findExtension(certificateParts(new Uint8Array(root.raw)), '2.5.29.30'), undefined);
  assert.match(
    readFileSync(join(dir, 'policy.yaml'), 'utf8'),
    /dns: \["\.svc\.internal", "exact\.example\.com"\]/,
  );
  assert.equal(
    JSON.parse(readFileSync(join(dir, 'ca.json'), 'utf8')).publicUrl,
    'http://127.0.0.1:9/ca',
  );
  const lifetimeYears =
    (root.validToDate.getTime() - root.validFromDate.getTime()) / (365 * 86_400_000);
  assert.ok(lifetimeYears > 9.99 && lifetimeYears < 10.01);
});

test('init never overwrites a CA, and leaves nothing behind when it fails', async () => {
  const dir = freshDir();
  await initCa({ dir, passphrase: PASSPHRASE });
  const before = readFileSync(join(dir, 'root.pem'), 'utf8');
  await assert.rejects(
    initCa({ dir, passphrase: PASSPHRASE }),
    code('WT_ERR_CA_DIR', /holds a CA already/),
  );
  assert.equal(readFileSync(join(dir, 'root.pem'), 'utf8'), before);

  const failing = freshDir();
  await assert.rejects(
    initCa({
      dir: failing,
      passphrase: PASSPHRASE,
      rootKeyOut: join(scratch, 'no-such-dir', 'root.key'),
    }),
    code('WT_ERR_CA_DIR', /cannot be written/),
  );
  assert.equal(existsSync(failing), false, 'the directory init created is removed again');
  await assert.rejects(
    initCa({ dir: freshDir(), passphrase: 'short' }),
    code('WT_ERR_CA_PASSPHRASE', /at least 8/),
  );
  await assert.rejects(
    initCa({
      dir: freshDir(),
      passphrase: PASSPHRASE,
      rootLifetimeSeconds: 86_400 * 10,
      intermediateLifetimeSeconds: 86_400 * 20,
    }),
    RangeError,
  );
  await assert.rejects(
    initCa({ dir: freshDir(), passphrase: PASSPHRASE, name: 'x'.repeat(60) }),
    RangeError,
  );
  await assert.rejects(
    initCa({ dir: freshDir(), passphrase: PASSPHRASE, permitIp: ['10.0.0.0/40'] }),
    RangeError,
  );
  await assert.rejects(
    initCa({ dir: freshDir(), passphrase: PASSPHRASE, publicUrl: 'ftp://x' }),
    RangeError,
  );
  await assert.rejects(
    initCa({ dir: freshDir(), passphrase: PASSPHRASE, spiffeTrustDomain: 'Bad Domain' }),
    RangeError,
  );
});

test('the CA opens and issues without the root key, which --root-key-out keeps elsewhere', async () => {
  const dir = freshDir();
  const offline = join(scratch, `offline-root-${n}.key`);
  await initCa({ ...TEST_INIT, dir, passphrase: PASSPHRASE, rootKeyOut: offline });
  assert.equal(existsSync(join(dir, 'root.key')), false);
  assert.equal(statSync(offline).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(join(dir, 'ca.json'), 'utf8')).rootKey, offline);
  const ca = await open(dir);
  const { publicKey } = await import('node:crypto').then((c) =>
    c.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  );
  const issued = await ca.issue({
    publicKey,
    identifiers: [{ type: 'dns', value: 'a.svc.internal' }],
    usage: 'server',
    provisioner: 'library',
  });
  assert.ok(issued.record.serial);
  await ca.close();
});

test('open: wrong passphrase, missing or broken files are typed errors naming the file', async () => {
  const dir = freshDir();
  await initCa({ ...TEST_INIT, dir, passphrase: PASSPHRASE });
  await assert.rejects(
    open(dir, 'not the passphrase'),
    code('WT_ERR_CA_PASSPHRASE', /intermediate\.key/),
  );
  await assert.rejects(
    open(join(scratch, 'nowhere')),
    code(
      'WT_ERR_CA_DIR',
      /is not a CA directory \(no ca\.json\); create one with wiretight ca init/,
    ),
  );

  const policy = join(dir, 'policy.yaml');
  const policyText = readFileSync(policy, 'utf8');
  writeFileSync(policy, 'dns: [".svc.internal"]\nbogus: 1\n');
  await assert.rejects(open(dir), code('WT_ERR_CA_CONFIG', /policy\.yaml:2:1: bogus: unknown key/));
  writeFileSync(policy, policyText);

  const config = join(dir, 'ca.json');
  const configText = readFileSync(config, 'utf8');
  writeFileSync(config, configText.replace('"ecdsa-p256"', '"dsa"'));
  await assert.rejects(open(dir), code('WT_ERR_CA_CONFIG', /ca\.json: keyType/));
  writeFileSync(config, configText);

  const other = freshDir();
  await initCa({ dir: other, passphrase: PASSPHRASE });
  const intermediate = join(dir, 'intermediate.pem');
  const ours = readFileSync(intermediate, 'utf8');
  writeFileSync(intermediate, readFileSync(join(other, 'intermediate.pem')));
  await assert.rejects(open(dir), code('WT_ERR_CA_DIR', /was not signed by the root/));
  writeFileSync(intermediate, 'not a certificate');
  await assert.rejects(open(dir), code('WT_ERR_CA_DIR', /holds no certificate/));
  writeFileSync(intermediate, ours);

  renameSync(join(dir, 'intermediate.key'), join(dir, 'moved.key'));
  await assert.rejects(open(dir), code('WT_ERR_CA_DIR', /intermediate\.key does not exist/));
  renameSync(join(dir, 'moved.key'), join(dir, 'intermediate.key'));

  // A lost or corrupt responder file is replaced; the CA still opens.
  writeFileSync(join(dir, 'ocsp.pem'), 'garbage');
  const ca = await open(dir);
  assert.match(readFileSync(join(dir, 'ocsp.pem'), 'utf8'), /BEGIN CERTIFICATE/);
  await ca.close();

  writeFileSync(config, Buffer.alloc(70 * 1024, 0x20));
  await assert.rejects(open(dir), code('WT_ERR_CA_DIR', /larger than/));
  writeFileSync(config, configText);
  if (process.getuid?.() !== 0) {
    chmodSync(config, 0);
    await assert.rejects(open(dir), code('WT_ERR_CA_DIR', /cannot be read/));
    chmodSync(config, 0o644);
  }
});
