import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { CertificateAuthority } from '../../ca/authority.ts';
import { initCa } from '../../ca/init.ts';
import { b64u } from '../../acme/testdata/client.ts';
import { buildCsr } from '../../acme/testdata/csr.ts';
import { startAcmeOn } from '../../acme/testdata/harness.ts';
import { type HttpResponder, startHttpResponder } from '../../acme/testdata/responders.ts';
import { account, storeContract } from '../../acme/testdata/store-contract.ts';
import { WiretightError } from '../../errors.ts';
import { openAcmeStore } from './acme-store.ts';
import { openCaStore } from './ca-store.ts';

/** The DER of each certificate of a PEM chain (src/store may not import src/pki). */
const pemCertificates = (pem: string): Buffer[] =>
  [...pem.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from(m[1]!, 'base64'),
  );

const dir = mkdtempSync(join(tmpdir(), 'wiretight-acme-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeContract('sqlite store', () => openAcmeStore(join(dir, `contract-${++n}.db`)));

test('what was written survives closing and reopening the file', async () => {
  const path = join(dir, 'reopen.db');
  const store = openAcmeStore(path);
  const a = account();
  await store.createAccount(a);
  await store.close();
  const again = openAcmeStore(path);
  assert.deepEqual(await again.getAccount(a.id), a);
  await again.close();
});

test('a database of a newer schema is refused; a failing database is WT_ERR_STORE_FAILED', async () => {
  const path = join(dir, 'newer.db');
  openAcmeStore(path).close();
  const db = new DatabaseSync(path);
  db.prepare("UPDATE schema_versions SET version = 99 WHERE component = 'acme'").run();
  db.close();
  assert.throws(
    () => openAcmeStore(path),
    (e: unknown) => e instanceof WiretightError && e.code === 'WT_ERR_STORE_FAILED',
  );
  const closed = openAcmeStore(join(dir, 'closed.db'));
  await closed.close();
  await assert.rejects(
    closed.getAccount('x'),
    (e: unknown) => e instanceof WiretightError && e.code === 'WT_ERR_STORE_FAILED',
  );
});

// End to end on one ca.db shared by the real CA's store and the ACME store, with a restart
// of the whole service between validation and finalization.
let http: HttpResponder;
before(async () => {
  http = await startHttpResponder();
});
after(() => http.close());

test('the ACME server on SQLite with the real CA: a restart between validation and finalize loses nothing', async () => {
  const caDir = join(dir, 'ca');
  const passphrase = 'correct horse battery staple';
  await initCa({ dir: caDir, passphrase, permitDns: ['.test'] });
  const dbPath = join(caDir, 'ca.db');
  const open = async () => {
    const caStore = openCaStore(dbPath);
    const ca = await CertificateAuthority.open({ dir: caDir, passphrase, store: caStore });
    const store = openAcmeStore(dbPath);
    const acme = await startAcmeOn(ca, store, {
      validation: { connectHost: '127.0.0.1', http01Port: http.port, timeoutMs: 3000 },
    });
    return {
      acme,
      close: async () => {
        await acme.close();
        await store.close();
        await ca.close();
      },
    };
  };

  const first = await open();
  const client = await first.acme.account();
  const created = await client.newOrder([{ type: 'dns', value: 'sqlite.e2e.test' }]);
  const authz = await client.get(created.json.authorizations![0]!);
  const challenge = authz.json.challenges!.find((c) => c.type === 'http-01')!;
  http.routes.set(challenge.token!, `${challenge.token}.${await client.thumbprint()}`);
  assert.equal((await client.post(challenge.url!, {})).json.status, 'valid');
  await first.close();

  const second = await open();
  try {
    const again = await second.acme.client();
    again.key = client.key;
    again.kid = client.kid;
    const order = await again.get(client.location(created));
    assert.equal(order.json.status, 'ready');
    const csr = buildCsr({ identifiers: [{ type: 'dns', value: 'sqlite.e2e.test' }] });
    const finalized = await again.post(order.json.finalize!, { csr: b64u(csr) });
    assert.equal(finalized.json.status, 'valid', finalized.body);
    const chain = await again.get(finalized.json.certificate!);
    assert.equal(pemCertificates(chain.body).length, 2);
    const revoked = await again.post(again.endpoint('revokeCert'), {
      certificate: b64u(pemCertificates(chain.body)[0]!),
      reason: 4,
    });
    assert.equal(revoked.status, 200, revoked.body);
    const listed = await again.get(`${client.kid}/orders`);
    assert.deepEqual(listed.json.orders, [client.location(created)]);
  } finally {
    await second.close();
  }
});
