import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { storeConformance, storedRecord } from '../../ca/testdata/store-conformance.ts';
import { openCaStore } from './ca-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'wiretight-ca-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeConformance('sqlite', () => openCaStore(join(dir, `conformance-${++n}.db`)));

const storeFailed = (err: unknown): boolean =>
  (err as { code?: string }).code === 'WT_ERR_STORE_FAILED';

test('sqlite: records persist across connections, and CRL numbers are shared by them', async () => {
  const path = join(dir, 'shared.db');
  const a = openCaStore(path);
  const b = openCaStore(path);
  const r = storedRecord('cafe', 24);
  await a.insert(r);
  assert.deepEqual(await b.get('cafe'), r);
  assert.deepEqual(
    [await a.nextCrlNumber(), await b.nextCrlNumber(), await a.nextCrlNumber()],
    [1n, 2n, 3n],
  );
  await b.revoke('cafe', new Date('2030-01-01T00:00:00Z'), 'keyCompromise');
  assert.equal(await a.countRevoked(), 1);
  await a.close();
  await b.close();
  const again = openCaStore(path);
  assert.equal((await again.get('cafe'))?.status, 'revoked', 'persisted; migrations ran once');
  await again.close();
});

test('sqlite: a database from a newer wiretight, or a file that is not one, is WT_ERR_STORE_FAILED', async () => {
  const newer = join(dir, 'newer.db');
  await openCaStore(newer).close();
  const db = new DatabaseSync(newer);
  db.prepare("UPDATE schema_versions SET version = 99 WHERE component = 'ca'").run();
  db.close();
  assert.throws(
    () => openCaStore(newer),
    (err: Error) => storeFailed(err) && /newer than this wiretight knows/.test(err.message),
  );
  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'this is not a database'.repeat(100));
  assert.throws(() => openCaStore(junk), storeFailed);
});

test('sqlite: a corrupt row is a typed error, not a crash', async () => {
  const path = join(dir, 'corrupt.db');
  const store = openCaStore(path);
  await store.insert(storedRecord('beef', 24));
  const db = new DatabaseSync(path);
  db.prepare("UPDATE ca_certificates SET identifiers = '{not json' WHERE serial = 'beef'").run();
  db.close();
  await assert.rejects(store.get('beef'), storeFailed);
  await store.close();
});
