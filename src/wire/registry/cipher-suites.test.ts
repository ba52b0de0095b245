import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CIPHER_SUITES,
  type CipherSuite,
  cipherSuite,
  cipherSuiteByHex,
  isSslv2Suite,
  suiteIdHex,
  suitesForProtocol,
} from './cipher-suites.ts';
import { PROTOCOL_NAMES, protocolRank } from './versions.ts';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function byName(name: string): CipherSuite {
  const s = CIPHER_SUITES.find((x) => x.name === name);
  assert.ok(s !== undefined, name);
  return s;
}

test('370 suites are loaded: 357 TLS suites and 13 SSLv2 specs', () => {
  assert.equal(CIPHER_SUITES.length, 370);
  assert.equal(CIPHER_SUITES.filter(isSslv2Suite).length, 13);
});

test('ids are unique within TLS and within SSLv2, and fit their width', () => {
  const tls = CIPHER_SUITES.filter((s) => !isSslv2Suite(s)).map((s) => s.id);
  const v2 = CIPHER_SUITES.filter(isSslv2Suite).map((s) => s.id);
  assert.equal(new Set(tls).size, tls.length);
  assert.equal(new Set(v2).size, v2.length);
  for (const id of tls) assert.ok(Number.isInteger(id) && id >= 0 && id <= 0xffff, String(id));
  for (const id of v2) assert.ok(Number.isInteger(id) && id >= 0 && id <= 0xffffff, String(id));
});

test('cipherSuite looks suites up by id', () => {
  assert.equal(cipherSuite(0xc02f)?.name, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  assert.equal(cipherSuite(0x1301)?.name, 'TLS_AES_128_GCM_SHA256');
  assert.equal(cipherSuite(0x0700c0, 'sslv2')?.name, 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5');
  assert.equal(cipherSuite(0x0700c0), undefined, 'SSLv2 specs are not TLS suites');
  assert.equal(cipherSuite(0xfafa), undefined);
});

test('TLS 0x0000 and SSLv2 0x000000 share the number 0 but not the lookup (regression)', () => {
  assert.equal(cipherSuite(0)?.name, 'TLS_NULL_WITH_NULL_NULL');
  assert.equal(cipherSuite(0)?.kx, 'NULL');
  assert.equal(cipherSuite(0, 'sslv2')?.name, 'SSL_CK_NULL_WITH_MD5');
  assert.equal(suiteIdHex(0), '0x0000');
  assert.equal(suiteIdHex(0, 'sslv2'), '0x000000');
  assert.equal(cipherSuiteByHex('0x0000')?.name, 'TLS_NULL_WITH_NULL_NULL');
  assert.equal(cipherSuiteByHex('0x000000')?.name, 'SSL_CK_NULL_WITH_MD5');
  assert.equal(cipherSuiteByHex('0xc02f')?.name, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  assert.equal(cipherSuiteByHex('c02f'), undefined);
});

test('derived flags: AEAD and forward secrecy', () => {
  const gcm = byName('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  assert.equal(gcm.id, 0xc02f);
  assert.equal(gcm.aead, true);
  assert.equal(gcm.forwardSecrecy, true);
  assert.equal(gcm.kx, 'ECDHE');
  assert.equal(gcm.auth, 'RSA');
  assert.equal(gcm.minProtocol, 'TLSv1.2');
  assert.equal(gcm.encBits, 128);
  assert.equal(gcm.opensslName, 'ECDHE-RSA-AES128-GCM-SHA256');
  const cbc = byName('TLS_RSA_WITH_AES_128_CBC_SHA');
  assert.equal(cbc.id, 0x002f);
  assert.equal(cbc.aead, false);
  assert.equal(cbc.forwardSecrecy, false);
  assert.equal(cbc.export, false);
  assert.equal(cbc.exportKeyBits, null);
  const dhe = byName('TLS_DHE_RSA_WITH_AES_256_GCM_SHA384');
  assert.equal(dhe.kx, 'DHE');
  assert.equal(dhe.forwardSecrecy, true);
  // Static DH is not forward secret.
  assert.equal(byName('TLS_DH_RSA_WITH_AES_128_CBC_SHA').forwardSecrecy, false);
  for (const s of CIPHER_SUITES) assert.equal(s.aead, s.mac === 'AEAD', s.name);
});

test('export suites carry their key-exchange limit', () => {
  const rc4 = byName('TLS_RSA_EXPORT_WITH_RC4_40_MD5');
  assert.equal(rc4.export, true);
  assert.equal(rc4.exportKeyBits, 512);
  assert.equal(byName('TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA').exportKeyBits, 1024);
  assert.equal(byName('TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA').exportKeyBits, 512);
  for (const s of CIPHER_SUITES) {
    if (s.exportKeyBits !== null) assert.equal(s.export, true, s.name);
    if (s.export) assert.ok(s.encBits <= 56, s.name);
  }
});

test('the five TLS 1.3 suites', () => {
  const tls13 = suitesForProtocol('TLSv1.3');
  assert.deepEqual(
    tls13.map((s) => s.id),
    [0x1301, 0x1302, 0x1303, 0x1304, 0x1305],
  );
  for (const s of tls13) assert.equal(s.aead, true);
});

test('suitesForProtocol never offers a suite newer than the version', () => {
  const tls12 = suitesForProtocol('TLSv1.2');
  assert.ok(tls12.some((s) => s.id === 0xc02f));
  assert.ok(tls12.every((s) => s.minProtocol !== 'TLSv1.3' && s.minProtocol !== 'SSLv2'));
  assert.equal(tls12.length, 370 - 13 - 5);
  const tls10 = suitesForProtocol('TLSv1.0');
  assert.ok(tls10.length > 0);
  assert.ok(tls10.every((s) => s.minProtocol !== 'TLSv1.2'));
  assert.ok(!tls10.some((s) => s.id === 0xc02f));
  assert.ok(tls10.some((s) => s.id === 0x002f));
  assert.deepEqual(suitesForProtocol('TLSv1.1'), tls10);
  const ssl3 = suitesForProtocol('SSLv3');
  assert.ok(ssl3.every((s) => s.minProtocol === 'SSLv3'));
  assert.ok(ssl3.length < tls10.length);
  for (const version of PROTOCOL_NAMES) {
    if (version === 'SSLv2' || version === 'TLSv1.3') continue;
    for (const s of suitesForProtocol(version)) {
      assert.ok(protocolRank(s.minProtocol) <= protocolRank(version), `${s.name} in ${version}`);
    }
  }
});

test('the SSLv2 list has 13 three-byte specs', () => {
  const v2 = suitesForProtocol('SSLv2');
  assert.equal(v2.length, 13);
  assert.ok(v2.every(isSslv2Suite));
  assert.ok(v2.some((s) => s.id === 0x0700c0));
  assert.ok(v2.every((s) => s.name.startsWith('SSL_CK_')));
  assert.ok(v2.every((s) => s.id <= 0xffffff));
});

test('suiteIdHex formats ids as the report contract writes them', () => {
  assert.equal(suiteIdHex(0xc02f), '0xc02f');
  assert.equal(suiteIdHex(0x002f), '0x002f');
  assert.equal(suiteIdHex(0x0700c0), '0x0700c0');
  assert.equal(suiteIdHex(0x010080), '0x010080');
});

test('the generated registry is up to date with data/cipher-suites.csv', async () => {
  const { stderr } = await run(process.execPath, ['scripts/gen-registry.ts', '--check'], {
    cwd: repoRoot,
  });
  assert.equal(stderr, '');
});

test('the staleness check fails on a generated file that differs', async (t) => {
  // A copy of the three files the generator touches, with one row changed.
  const dir = mkdtempSync(join(tmpdir(), 'wt-gen-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ['scripts', 'data', 'src/wire/registry'])
    mkdirSync(join(dir, sub), { recursive: true });
  cpSync(join(repoRoot, 'scripts/gen-registry.ts'), join(dir, 'scripts/gen-registry.ts'));
  cpSync(join(repoRoot, 'data/cipher-suites.csv'), join(dir, 'data/cipher-suites.csv'));
  const generated = 'src/wire/registry/cipher-suites.generated.ts';
  const text = readFileSync(join(repoRoot, generated), 'utf8');
  writeFileSync(join(dir, generated), text);
  await run(process.execPath, [join(dir, 'scripts/gen-registry.ts'), '--check'], { cwd: dir });
  writeFileSync(
    join(dir, generated),
    text.replace('"TLS_RSA_WITH_NULL_MD5"', '"TLS_RSA_WITH_NULL_MD6"'),
  );
  await assert.rejects(
    run(process.execPath, [join(dir, 'scripts/gen-registry.ts'), '--check'], { cwd: dir }),
    (err: unknown) => (err as { code?: number }).code === 1,
  );
});
