import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readCapped, readCappedText, writeFileAtomic } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'wiretight-ca-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const caDir = (pattern: RegExp) => (err: unknown) =>
  (err as { code?: string }).code === 'WT_ERR_CA_DIR' && pattern.test((err as Error).message);

test('atomic writes create the file with its mode, replace it whole, and leave no temp file', async () => {
  const path = join(dir, 'secret.key');
  await writeFileAtomic(path, 'one', { mode: 0o600 });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  await writeFileAtomic(path, 'two', { mode: 0o600 });
  assert.equal(readFileSync(path, 'utf8'), 'two');
  await assert.rejects(
    writeFileAtomic(path, 'three', { mode: 0o600, exclusive: true }),
    caDir(/secret\.key exists already/),
  );
  assert.equal(readFileSync(path, 'utf8'), 'two');
  await assert.rejects(
    writeFileAtomic(join(dir, 'missing', 'x'), 'x', { mode: 0o600 }),
    caDir(/cannot be written \(ENOENT\)/),
  );
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('reads are capped, refuse symlinks and non-UTF-8, and name the file', async () => {
  const path = join(dir, 'ten');
  writeFileSync(path, '0123456789');
  assert.equal((await readCapped(path, 10)).toString(), '0123456789');
  await assert.rejects(readCapped(path, 9), caDir(/ten is larger than 9 bytes/));
  await assert.rejects(readCapped(join(dir, 'none'), 9), caDir(/none does not exist/));
  const link = join(dir, 'link');
  symlinkSync(path, link);
  await assert.rejects(readCapped(link, 100), caDir(/link cannot be read \(ELOOP\)/));
  writeFileSync(join(dir, 'latin1'), Buffer.from([0xff, 0xfe]));
  await assert.rejects(readCappedText(join(dir, 'latin1'), 10), caDir(/is not UTF-8/));
});
