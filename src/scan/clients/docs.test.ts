import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  CONSTRAINT_NAMES,
  type ClientConstraints,
  type ClientProfile,
  loadProfiles,
} from './profile.ts';
import { CLIENT_RESULT_FIELDS } from './result.ts';

const doc = readFileSync(new URL('../../../docs/clients.md', import.meta.url), 'utf8');
/** The generated profile list, between its markers. */
const list = doc.slice(doc.indexOf('<!-- profiles:start'), doc.indexOf('<!-- profiles:end -->'));
const profiles: ClientProfile[] = loadProfiles(
  JSON.parse(readFileSync(new URL('./profiles.json', import.meta.url), 'utf8')),
).map((l) => l.profile);

/** The profile table's rows, by id: `| \`id\` | name | family | source, date | limits |`. */
function documentedRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const m of list.matchAll(/^\| `([a-z0-9.-]+)` +\|(.*)\|$/gm)) {
    const cells = (m[2] as string).split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
    assert.ok(!rows.has(m[1] as string), `${m[1]} listed twice`);
    rows.set(m[1] as string, cells);
  }
  return rows;
}

/** Every limit the profile has, as the docs must name it. */
function limitWords(c: ClientConstraints | undefined): string[] {
  if (c === undefined) return [];
  return [
    c.minDhBits === undefined ? '' : `DH ≥ ${c.minDhBits}`,
    c.maxDhBits === undefined ? '' : `DH ≤ ${c.maxDhBits}`,
    c.minRsaBits === undefined ? '' : `RSA ≥ ${c.minRsaBits}`,
    c.maxRsaBits === undefined ? '' : `RSA ≤ ${c.maxRsaBits}`,
    c.minEcdsaBits === undefined ? '' : `ECDSA ≥ ${c.minEcdsaBits}`,
    c.requiresSha2 === true ? 'SHA-2 only' : '',
  ].filter((s) => s !== '');
}

test('docs/clients.md lists exactly the profiles, in their order', () => {
  assert.deepEqual(
    [...documentedRows().keys()],
    profiles.map((p) => p.id),
  );
});

test('each row gives the name, family, source, date and limits of its profile', () => {
  const rows = documentedRows();
  for (const p of profiles) {
    const [name, family, source, limits] = rows.get(p.id) ?? [];
    assert.equal(name, p.name, p.id);
    assert.equal(family, p.family, p.id);
    const kind = p.source.kind === 'recorded' ? 'recorded here' : 'SSL Labs';
    assert.equal(source, `${kind}, ${p.source.recordedOn}`, p.id);
    const words = limitWords(p.constraints);
    assert.deepEqual(
      limits?.split(', ').filter((w) => w !== '—'),
      words,
      p.id,
    );
  }
});

test('the docs say exactly how each hello was obtained, and where its limits come from', () => {
  for (const p of profiles) {
    const line = list.split('\n').find((l) => l.startsWith(`- \`${p.id}\`: `));
    assert.ok(line, `no source line for ${p.id}`);
    assert.ok(line.includes(`\`${p.source.how}\``), `${p.id}: how`);
    if (p.source.kind === 'recorded')
      assert.ok(line.includes(p.source.program), `${p.id}: program`);
    if (p.source.constraintsFrom !== undefined) {
      assert.ok(line.includes(p.source.constraintsFrom), `${p.id}: where its limits come from`);
    }
  }
});

test('the docs explain every result field and every limit the code has', () => {
  for (const field of CLIENT_RESULT_FIELDS) {
    assert.match(doc, new RegExp(`^\\| \`${field}\` +\\|`, 'm'), field);
  }
  for (const limit of CONSTRAINT_NAMES) {
    assert.match(doc, new RegExp(`^\\| \`${limit}\` +\\|`, 'm'), limit);
  }
});
