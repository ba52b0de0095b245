import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WiretightError } from '../../errors.ts';
import { migrate, openDatabase, transaction } from './database.ts';

const steps = [
  { version: 1, sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)' },
  { version: 2, sql: 'ALTER TABLE things ADD COLUMN colour TEXT' },
];

test('migrations apply once, in order, and survive reopening the file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wt-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'sub', 'store.db');
  const db = openDatabase(path);
  migrate(db, 'things', steps.slice(0, 1), path);
  db.prepare('INSERT INTO things (name) VALUES (?)').run('a');
  db.close();

  const again = openDatabase(path);
  migrate(again, 'things', steps, path);
  migrate(again, 'things', steps, path);
  again.prepare('INSERT INTO things (name, colour) VALUES (?, ?)').run('b', 'red');
  const rows = again.prepare('SELECT name, colour FROM things ORDER BY id').all();
  assert.deepEqual(
    rows.map((r) => ({ ...r })),
    [
      { name: 'a', colour: null },
      { name: 'b', colour: 'red' },
    ],
  );
  assert.equal(
    (again.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode,
    'wal',
  );
  again.close();
  assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700);
});

test('a database migrated by a newer wiretight is refused with a typed error', () => {
  const db = openDatabase(':memory:');
  migrate(db, 'things', steps);
  assert.throws(
    () => migrate(db, 'things', steps.slice(0, 1), 'x.db'),
    (e: unknown) =>
      e instanceof WiretightError && e.code === 'WT_ERR_STORE_FAILED' && /newer/.test(e.message),
  );
});

test('components migrate independently in one file', () => {
  const db = openDatabase(':memory:');
  migrate(db, 'things', steps);
  migrate(db, 'others', [{ version: 1, sql: 'CREATE TABLE others (x)' }]);
  const versions = db
    .prepare('SELECT component, version FROM schema_versions ORDER BY component')
    .all();
  assert.deepEqual(
    versions.map((r) => ({ ...r })),
    [
      { component: 'others', version: 1 },
      { component: 'things', version: 2 },
    ],
  );
});

test('a failing transaction leaves nothing behind', () => {
  const db = openDatabase(':memory:');
  migrate(db, 'things', steps);
  assert.throws(() =>
    transaction(db, () => {
      db.prepare('INSERT INTO things (name) VALUES (?)').run('kept?');
      db.prepare('INSERT INTO things (name) VALUES (?)').run(null);
    }),
  );
  assert.equal((db.prepare('SELECT count(*) AS n FROM things').get() as { n: number }).n, 0);
});

test('an unopenable path is a typed store error naming the file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wt-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A regular file where a directory should be: neither mkdir nor open can succeed.
  const blocker = join(dir, 'file');
  writeFileSync(blocker, '');
  const path = join(blocker, 'x.db');
  assert.throws(
    () => openDatabase(path),
    (e: unknown) =>
      e instanceof WiretightError && e.code === 'WT_ERR_STORE_FAILED' && e.message.includes(path),
  );
});
