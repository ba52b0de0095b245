import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finding } from '../scan/findings/index.ts';
import { renderNdjson } from './ndjson.ts';
import { strongReport, unreachableReport, weakReport } from './testdata/reports.ts';

test('exactly one line per report, newline-terminated, that parses back to the report', () => {
  for (const report of [weakReport(), strongReport(), unreachableReport()]) {
    const out = renderNdjson(report);
    assert.ok(out.endsWith('\n'));
    assert.equal(out.indexOf('\n'), out.length - 1);
    assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(report)));
  }
});

test('line separators a server put in its text cannot split the line', () => {
  const evil = finding('cert.hostname-mismatch', {
    evidence: 'a\nb\rc\u2028d\u2029e\u0085f',
  });
  const report = { ...weakReport(), findings: [evil] };
  const out = renderNdjson(report);
  assert.equal(out.split(/\r\n|[\n\r\u2028\u2029\u0085]/).length, 2);
  assert.ok(out.includes('\\u2028') && out.includes('\\u2029'));
  const back = JSON.parse(out) as typeof report;
  assert.equal(back.findings[0]?.evidence, 'a\nb\rc\u2028d\u2029e\u0085f');
});

test('a fleet is the concatenation: one line per endpoint', () => {
  const text = [weakReport(), strongReport()].map(renderNdjson).join('');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { target: { port: number } }).target.port),
    [5433, 8443],
  );
});
