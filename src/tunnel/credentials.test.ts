import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestCa, makeTestCa } from '../ca/testdata/ca.ts';
import { MAX_CREDENTIAL_FILE_BYTES, loadCredentials } from './credentials.ts';

let t: TestCa;
let paths: { cert: string; key: string; ca: string };
const at = new Date('2030-03-01T13:00:00Z');

before(async () => {
  t = await makeTestCa();
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await t.ca.issue({
    publicKey,
    identifiers: [{ type: 'dns', value: 'api.svc.internal' }],
    usage: 'server',
    provisioner: 'library',
  });
  paths = {
    cert: join(t.dir, 'leaf.pem'),
    key: join(t.dir, 'leaf.key'),
    ca: join(t.dir, 'root.pem'),
  };
  writeFileSync(paths.cert, issued.chainPem);
  writeFileSync(paths.key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(paths.ca, t.ca.rootPem);
});
after(() => t.close());

test('a good set loads, with a digest that changes only with the bytes', async () => {
  const a = await loadCredentials(paths, at);
  const b = await loadCredentials(paths, at);
  assert.equal(a.digest, b.digest);
  assert.match(a.leaf.subjectAltName ?? '', /api\.svc\.internal/);
});

test('hostile or wrong files are WT_ERR_TUNNEL_CREDENTIALS naming the flag', async () => {
  const bad = (name: string, content: string | Buffer): string => {
    const p = join(t.dir, name);
    writeFileSync(p, content);
    return p;
  };
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const cases: [Partial<typeof paths>, RegExp, Date?][] = [
    [{ cert: join(t.dir, 'missing.pem') }, /--cert .*ENOENT/],
    [{ cert: bad('empty.pem', '') }, /--cert .*no PEM certificate/],
    [
      { cert: bad('garbage.pem', '-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n') },
      /--cert .*not a valid PEM/,
    ],
    [
      { cert: bad('notder.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n') },
      /--cert .*not a valid PEM/,
    ],
    [
      { key: bad('huge.key', Buffer.alloc(MAX_CREDENTIAL_FILE_BYTES + 1, 0x41)) },
      /--key .*larger than/,
    ],
    [{ key: bad('junk.key', 'junk') }, /--key .*not an unencrypted PEM private key/],
    [{ key: bad('other.key', other.export({ type: 'pkcs8', format: 'pem' })) }, /does not belong/],
    [{ ca: bad('noca.pem', 'nothing here') }, /--ca .*no PEM certificate/],
    [{}, /expired at 2030-03-02/, new Date('2030-03-03T00:00:00Z')],
  ];
  for (const [override, message, now] of cases) {
    await assert.rejects(
      loadCredentials({ ...paths, ...override }, now ?? at),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'WT_ERR_TUNNEL_CREDENTIALS', err.message);
        assert.match(err.message, message);
        return true;
      },
    );
  }
});
