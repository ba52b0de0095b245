import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestCa, makeTestCa } from '../ca/testdata/ca.ts';
import { recordingLogger } from '../core/logger.ts';
import { loadCredentials } from './credentials.ts';
import { type ReloadResult, startReloader } from './reloader.ts';

let t: TestCa;
const at = (): Date => new Date('2030-03-01T13:00:00Z');

async function leaf(name: string): Promise<{ cert: string; key: string; serial: string }> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await t.ca.issue({
    publicKey,
    identifiers: [{ type: 'dns', value: `${name}.svc.internal` }],
    usage: 'server',
    provisioner: 'library',
  });
  return {
    cert: issued.chainPem,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    serial: issued.record.serial,
  };
}

before(async () => {
  t = await makeTestCa();
});
after(() => t.close());

test('a burst of file changes is one reload; the new set is applied once, whole', async () => {
  const paths = {
    cert: join(t.dir, 'r.pem'),
    key: join(t.dir, 'r.key'),
    ca: join(t.dir, 'r-root.pem'),
  };
  const first = await leaf('first');
  writeFileSync(paths.cert, first.cert);
  writeFileSync(paths.key, first.key);
  writeFileSync(paths.ca, t.ca.rootPem);
  const applied: string[] = [];
  const results: ReloadResult[] = [];
  const reloader = startReloader({
    paths,
    initial: await loadCredentials(paths, at()),
    apply: (c) => applied.push(c.leaf.serialNumber.toLowerCase()),
    logger: recordingLogger(),
    clock: at,
    intervalMs: 0,
    debounceMs: 200,
    onResult: (r) => results.push(r),
  });
  try {
    const second = await leaf('second');
    // Written the way cert-manager and kubelet do: a temp file renamed into place, key first.
    for (const [path, text] of [
      [paths.key, second.key],
      [paths.cert, second.cert],
    ] as const) {
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    }
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(results, ['reloaded']);
    assert.deepEqual(applied, [second.serial]);
    assert.equal(reloader.current().leaf.serialNumber.toLowerCase(), second.serial);
    assert.equal(readFileSync(paths.cert, 'utf8'), second.cert);
  } finally {
    reloader.close();
  }
});

test('reloads run one at a time and a half-written pair (new cert, old key) is refused', async () => {
  const paths = {
    cert: join(t.dir, 's.pem'),
    key: join(t.dir, 's.key'),
    ca: join(t.dir, 's-root.pem'),
  };
  const first = await leaf('one');
  writeFileSync(paths.cert, first.cert);
  writeFileSync(paths.key, first.key);
  writeFileSync(paths.ca, t.ca.rootPem);
  const logger = recordingLogger();
  const reloader = startReloader({
    paths,
    initial: await loadCredentials(paths, at()),
    apply: () => undefined,
    logger,
    clock: at,
    intervalMs: 0,
    watch: false,
  });
  try {
    const next = await leaf('two');
    writeFileSync(paths.cert, next.cert);
    assert.deepEqual(await Promise.all([reloader.reload('signal'), reloader.reload('timer')]), [
      'failed',
      'failed',
    ]);
    assert.equal(reloader.current().leaf.serialNumber.toLowerCase(), first.serial);
    writeFileSync(paths.key, next.key);
    assert.deepEqual(await Promise.all([reloader.reload('signal'), reloader.reload('timer')]), [
      'reloaded',
      'unchanged',
    ]);
    assert.equal(logger.records.filter((r) => r.level === 'error').length, 2);
  } finally {
    reloader.close();
  }
});
