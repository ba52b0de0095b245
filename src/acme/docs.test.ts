// docs/acme.md describes the problem types, algorithms and revocation reasons the code has:
// a test keeps them equal (docs/metrics.md has its own, metrics-doc.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ACCOUNT_ALGORITHM_NAMES } from './jws/algorithms.ts';
import { PROBLEM_TYPES } from './problems.ts';
import { ACME_REVOCATION_REASONS } from './handlers/revoke-cert.ts';
import { REVOCATION_REASONS } from '../ca/types.ts';

const doc = readFileSync(new URL('../../docs/acme.md', import.meta.url), 'utf8');

test('docs/acme.md lists every problem type with its status, and no other', () => {
  const rows = [...doc.matchAll(/^\| `([A-Za-z]+)` +\| (\d{3}) +\|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  assert.deepEqual(
    rows,
    Object.entries(PROBLEM_TYPES).sort(([a], [b]) => a.localeCompare(b)),
  );
});

test('docs/acme.md names the accepted algorithms and revocation reasons', () => {
  for (const alg of ACCOUNT_ALGORITHM_NAMES) assert.match(doc, new RegExp(`\`${alg}\``));
  for (const reason of ACME_REVOCATION_REASONS) {
    assert.match(doc, new RegExp(`${REVOCATION_REASONS[reason]} ${reason}`));
  }
});
