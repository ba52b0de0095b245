// Test helpers for SARIF output: the official OASIS schema (vendored in test/fixtures),
// and the rules GitHub code scanning adds on top of it (docs.github.com, "SARIF support
// for code scanning": required properties, one physical location per result…).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';

const official = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

// The schema is draft-04 (`id`, draft-04 `$schema`) and ajv 8 reads draft-06 and later.
// The only draft-04 construct it uses is the root `id`, whose draft-07 name is `$id`.
// strictRequired is a lint of the schema's own style (`anyOf: [{required: [x]}]` with x
// declared one level up), not of the documents it validates.
const schema: Record<string, unknown> = { ...official, $id: official['id'] };
delete schema['id'];
delete schema['$schema'];
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
});
(createRequire(import.meta.url)('ajv-formats') as FormatsPlugin)(ajv);
const validate = ajv.compile(schema);

/** Throws with every violation when `log` is not valid SARIF 2.1.0. */
export function assertValidSarif(log: unknown): void {
  if (!validate(log)) {
    assert.fail(`not valid SARIF 2.1.0:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  }
}

interface Loose {
  [key: string]: unknown;
}

const text = (v: unknown, what: string): string => {
  assert.equal(typeof v, 'string', `${what} is missing`);
  assert.notEqual(v, '', `${what} is empty`);
  return v as string;
};

/** The properties GitHub marks "required" (the empty string is not accepted either). */
export function assertGithubSarif(log: unknown): void {
  const l = log as Loose;
  text(l['$schema'], '$schema');
  assert.equal(l['version'], '2.1.0');
  const runs = l['runs'] as Loose[];
  assert.ok(Array.isArray(runs) && runs.length > 0, 'runs[]');
  for (const run of runs) {
    const driver = (run['tool'] as Loose)['driver'] as Loose;
    text(driver['name'], 'tool.driver.name');
    const rules = driver['rules'] as Loose[];
    assert.ok(Array.isArray(rules), 'tool.driver.rules[]');
    for (const r of rules) {
      const rid = text(r['id'], 'rule id');
      for (const key of ['shortDescription', 'fullDescription']) {
        const t = text((r[key] as Loose | undefined)?.['text'], `${rid} ${key}.text`);
        assert.ok(t.length <= 1024, `${rid} ${key} over 1024 characters`);
      }
      text((r['help'] as Loose | undefined)?.['text'], `${rid} help.text`);
      const score = Number((r['properties'] as Loose)['security-severity']);
      assert.ok(score >= 0 && score <= 10, `${rid} security-severity`);
    }
    const results = run['results'] as Loose[];
    assert.ok(Array.isArray(results), 'results[]');
    for (const res of results) {
      const rid = text(res['ruleId'], 'result ruleId');
      assert.equal(rules[res['ruleIndex'] as number]?.['id'], rid, `${rid} ruleIndex`);
      text((res['message'] as Loose)['text'], `${rid} message.text`);
      const locations = res['locations'] as Loose[];
      assert.ok(locations.length >= 1 && locations.length <= 10, `${rid} locations[]`);
      const physical = (locations[0] as Loose)['physicalLocation'] as Loose;
      const uri = text((physical['artifactLocation'] as Loose)['uri'], `${rid} artifact uri`);
      // An absolute URI with another scheme than the checkout's file:// gets the upload rejected.
      assert.doesNotMatch(uri, /^[a-z][a-z0-9+.-]*:/i, `${rid} artifact uri must be relative`);
      const region = physical['region'] as Loose;
      for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) {
        assert.ok(Number.isInteger(region[key]) && (region[key] as number) >= 1, `${rid} ${key}`);
      }
      const fp = res['partialFingerprints'] as Loose;
      assert.match(
        text(fp['primaryLocationLineHash'], 'primaryLocationLineHash'),
        /^[0-9a-f]+:\d+$/,
      );
    }
  }
}
