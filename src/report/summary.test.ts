import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atOrAbove, gradeText, severityCounts } from './summary.ts';
import { strongReport, unreachableReport, weakReport } from './testdata/reports.ts';

test('grade text: letter and score, or why it is withheld', () => {
  assert.match(gradeText(strongReport().grade), /^A \(score \d+\)$/);
  assert.equal(gradeText(unreachableReport().grade), 'withheld: the endpoint does not speak TLS');
  const t = { ...weakReport().grade, letter: 'T' as const, letterIgnoringTrust: 'B' as const };
  assert.match(gradeText(t), /^T \(score \d+; B if the certificate were trusted and matching\)$/);
});

test('findings at or above a threshold, and counts per severity', () => {
  const findings = weakReport().findings;
  assert.deepEqual(
    atOrAbove(findings, 'high').map((f) => f.id),
    ['cert.hostname-mismatch'],
  );
  assert.equal(atOrAbove(findings, 'info').length, findings.length);
  assert.equal(severityCounts(findings), '1 high, 3 medium, 4 low');
  assert.equal(severityCounts([]), 'none');
});
