import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import tls from 'node:tls';
import { WiretightError } from '../errors.ts';
import { certificateParts } from './certificate-parts.ts';
import { parseCertificate } from './parsed-certificate.ts';
import { pemCertificates } from './pem.ts';
import { issue } from './testdata/certificates.ts';
import { TrustStore, readCaFile } from './trust-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'wt-trust-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const caFileError = (pattern: RegExp) => (err: unknown) =>
  err instanceof WiretightError && err.code === 'WT_ERR_PKI_CA_FILE' && pattern.test(err.message);

test('a PEM CA file with several certificates: each one is an anchor from that file', async () => {
  const a = issue({ cn: 'File Root A', ca: true });
  const b = issue({ cn: 'File Root B', ca: true });
  const path = file('two.pem', `# comment\n${a.pem}${b.pem}`);
  const ca = await readCaFile(path);
  assert.equal(ca.certificates.length, 2);
  const store = new TrustStore({ mozilla: false, system: false, files: [ca] });
  const found = store.anchorFor(parseCertificate(b.der));
  assert.equal(found?.source, `file:${path}`);
  assert.equal(store.hasDeferred, false);
});

test('a DER CA file holds one certificate', async () => {
  const a = issue({ cn: 'DER Root', ca: true });
  const ca = await readCaFile(file('root.der', a.der));
  assert.deepEqual(ca.certificates, [a.der]);
});

test('garbage, empty, key-only, broken and missing CA files are WT_ERR_PKI_CA_FILE', async () => {
  const good = issue({ cn: 'Good' }).pem;
  const broken = good.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
  await assert.rejects(
    readCaFile(file('junk.bin', Buffer.from('not a certificate at all'))),
    caFileError(/certificate #1 cannot be parsed/),
  );
  await assert.rejects(readCaFile(file('empty.pem', '')), caFileError(/empty/));
  await assert.rejects(
    readCaFile(file('key.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')),
    caFileError(/no PEM certificate/),
  );
  await assert.rejects(
    readCaFile(file('broken.pem', good + broken)),
    caFileError(/certificate #2 cannot be parsed/),
  );
  await assert.rejects(
    readCaFile(file('unterminated.pem', '-----BEGIN CERTIFICATE-----\nAAAA')),
    caFileError(/no END line/),
  );
  await assert.rejects(readCaFile(join(dir, 'missing.pem')), caFileError(/ENOENT/));
});

test('a CA file over the cap is refused without reading it all', async () => {
  const path = file('big.pem', Buffer.alloc(2048, 0x41));
  await assert.rejects(readCaFile(path, 1024), caFileError(/larger than 1024 bytes/));
});

test('anchors are found by subject; another key under the same name is not the anchor', () => {
  const root = issue({ cn: 'Same Name Root', ca: true });
  const impostor = issue({ cn: 'Same Name Root', ca: true });
  const store = new TrustStore({
    mozilla: false,
    system: false,
    files: [{ path: 'f', certificates: [root.der] }],
  });
  assert.equal([...store.named(certificateParts(impostor.der).subject)].length, 1);
  assert.equal(store.anchorFor(parseCertificate(impostor.der)), undefined);
  // the same key and name re-issued (a cross-signed copy) is the anchor
  const copy = issue({ cn: 'Same Name Root', ca: true, key: root.key });
  assert.ok(store.anchorFor(parseCertificate(copy.der)) !== undefined);
});

test('Mozilla roots are indexed; the OS store is only looked at when asked', () => {
  const mozillaRoot = parseCertificate(
    pemCertificates(tls.rootCertificates[0] ?? '')[0] ?? new Uint8Array(),
  );
  const mozilla = new TrustStore({ system: false });
  assert.equal(mozilla.anchorFor(mozillaRoot)?.source, 'mozilla');
  const systemOnly = new TrustStore({ mozilla: false });
  assert.equal(systemOnly.hasDeferred, true);
  assert.equal(systemOnly.anchorFor(mozillaRoot), undefined);
});
