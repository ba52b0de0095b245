// The policy docs and examples are checked against the code, so they cannot drift.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import test from 'node:test';
import { CIPHER_KEYWORDS } from './cipher-keywords.ts';
import { loadPolicyFile } from './load.ts';
import { POLICY_KEYS } from './schema.ts';

const root = new URL('../../../', import.meta.url);
const docs = await readFile(new URL('docs/policy.md', root), 'utf8');

test('every example policy validates', async () => {
  const dir = new URL('examples/policies/', root);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
  assert.deepEqual(files.sort(), ['baseline.yaml', 'strict.yaml']);
  for (const file of files) {
    // A fixed date: the examples' suppressions must not expire under the test.
    const policy = await loadPolicyFile(new URL(file, dir).pathname, {
      now: new Date('2026-07-01T00:00:00Z'),
    });
    assert.equal(policy.version, 1, file);
  }
});

test('docs/policy.md documents every key, with a heading for each top-level one', () => {
  for (const key of POLICY_KEYS) {
    assert.ok(docs.includes(`\`${key}\``), key);
    if (!key.includes('.')) assert.match(docs, new RegExp(`^### \`${key}\`$`, 'm'), key);
  }
  const documentedHeadings = [...docs.matchAll(/^### `([A-Za-z.[\]]+)`$/gm)].map((m) => m[1]);
  assert.deepEqual(
    documentedHeadings,
    POLICY_KEYS.filter((k) => !k.includes('.')),
  );
});

test('docs/policy.md lists every cipher-string keyword', () => {
  const section = docs.slice(docs.indexOf('### Keywords'), docs.indexOf('## Examples'));
  for (const word of CIPHER_KEYWORDS) assert.ok(section.includes(`\`${word}\``), word);
});
