import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { FINDING_CATALOGUE, FINDING_IDS, isFindingId } from './catalogue.ts';
import { finding } from './finding.ts';

const doc = readFileSync(new URL('../../../docs/findings.md', import.meta.url), 'utf8');

/** `### \`id\`` followed by `severity · confidence — title`. */
function documented(): Map<string, { severity: string; confidence: string; title: string }> {
  const out = new Map<string, { severity: string; confidence: string; title: string }>();
  const re = /^### `([a-z0-9.-]+)`\n\n(\w+) · (\w+) — (.+)$/gm;
  for (const m of doc.matchAll(re)) {
    out.set(m[1] as string, {
      severity: m[2] as string,
      confidence: m[3] as string,
      title: m[4] as string,
    });
  }
  return out;
}

test('docs/findings.md lists exactly the catalogue ids, with their severity, confidence and title', () => {
  const docs = documented();
  assert.deepEqual([...docs.keys()].sort(), [...FINDING_IDS].sort());
  for (const id of FINDING_IDS) {
    const e = FINDING_CATALOGUE[id];
    assert.deepEqual(
      docs.get(id),
      { severity: e.severity, confidence: e.confidence, title: e.title },
      id,
    );
  }
});

test('ids have the area.name form; potential findings are low severity', () => {
  for (const id of FINDING_IDS) {
    assert.match(id, /^[a-z]+\.[a-z0-9-]+$/);
    const e = FINDING_CATALOGUE[id];
    if (e.confidence === 'potential') {
      assert.equal(e.severity, 'low', id);
      assert.match(e.title, /^Potential /, id);
    }
    assert.ok(e.references.length > 0, id);
  }
});

test('finding() fills title, fix and references from the catalogue; overrides win', () => {
  const f = finding('kex.weak-dh', {
    evidence: 'x',
    severity: 'high',
    details: { primeBits: 512 },
  });
  assert.equal(f.title, FINDING_CATALOGUE['kex.weak-dh'].title);
  assert.equal(f.severity, 'high');
  assert.equal(f.fix, FINDING_CATALOGUE['kex.weak-dh'].fix);
  assert.deepEqual(f.details, { primeBits: 512 });
  assert.equal(isFindingId('kex.weak-dh'), true);
  assert.equal(isFindingId('toString'), false);
});

test('the JSON Schema of the report allows exactly the catalogue ids', () => {
  const schema = JSON.parse(
    readFileSync(
      new URL('../../../docs/schema/scan-report.v1.schema.json', import.meta.url),
      'utf8',
    ),
  ) as { $defs: { finding: { properties: { id: { enum: string[] } } } } };
  assert.deepEqual(schema.$defs.finding.properties.id.enum, [...FINDING_IDS]);
});
