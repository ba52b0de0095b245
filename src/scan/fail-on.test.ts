import assert from 'node:assert/strict';
import test from 'node:test';
import { isWiretightError } from '../errors.ts';
import { failOnReasons, parseFailOn } from './fail-on.ts';
import { judge } from './judge.ts';
import { sketchReport } from './testdata/reports.ts';

test('fail-on thresholds parse, case-insensitively; anything else is a usage error', () => {
  assert.deepEqual(parseFailOn('grade:b'), { kind: 'grade', grade: 'B' });
  assert.deepEqual(parseFailOn('grade:A+'), { kind: 'grade', grade: 'A+' });
  assert.deepEqual(parseFailOn('severity:HIGH'), { kind: 'severity', severity: 'high' });
  for (const bad of ['grade:T', 'grade:Z', 'severity:urgent', 'grade', 'x:y', '']) {
    assert.throws(
      () => parseFailOn(bad),
      (e) => isWiretightError(e) && e.code === 'WT_ERR_CLI_USAGE',
      bad,
    );
  }
});

test('a B fails grade:A and passes grade:B; severity gates count findings at or above', () => {
  // TLS 1.0 enabled: capped at B, one medium finding (protocol.tls10).
  const report = judge(
    sketchReport({ suites: { 'TLSv1.0': [0xc013], 'TLSv1.2': [0xc02f], 'TLSv1.3': [0x1301] } }),
  );
  assert.equal(report.grade.letter, 'B');
  assert.deepEqual(failOnReasons(report, [parseFailOn('grade:B')]), []);
  assert.deepEqual(failOnReasons(report, [parseFailOn('grade:A')]), ['grade B is worse than A']);
  assert.deepEqual(failOnReasons(report, [parseFailOn('severity:high')]), []);
  const [reason] = failOnReasons(report, [parseFailOn('severity:medium')]);
  assert.match(reason ?? '', /at medium or worse: .*protocol\.tls10/);
});

test('T and a withheld grade fail any grade gate', () => {
  const report = judge(sketchReport({ suites: { 'TLSv1.3': [0x1301] } }));
  const trust = { ...report, grade: { ...report.grade, letter: 'T' as const } };
  assert.equal(failOnReasons(trust, [parseFailOn('grade:F')]).length, 1);
  const withheld = {
    ...report,
    grade: { letter: null, score: null, caps: [], criteria: null, withheld: 'no TLS' },
  };
  assert.match(failOnReasons(withheld, [parseFailOn('grade:F')])[0] ?? '', /withheld \(no TLS\)/);
});
