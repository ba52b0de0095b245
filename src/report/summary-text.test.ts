import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FAILED_LISTED } from '../scan/fleet/failed-targets.ts';
import { FleetTally } from '../scan/fleet/summary.ts';
import { renderSummary } from './summary-text.ts';
import { strongReport, unreachableReport, weakReport } from './testdata/reports.ts';

test('a fleet summary: grades, serious findings, and who could not be checked', () => {
  const tally = new FleetTally();
  tally.add(strongReport());
  tally.add(weakReport());
  tally.add(unreachableReport());
  const text = renderSummary(tally.summary(), { color: false });
  assert.match(text, /^Summary: 3 targets, 2 speaking TLS\n/);
  assert.match(text, /grades +A 1 {2}.+ 1 {2}withheld 1/);
  assert.match(text, /worst findings\n +1 +high +cert\.hostname-mismatch/);
  assert.match(text, /not checked \(1\)\n +\S+ +WT_ERR_SCAN_/);
  assert.doesNotMatch(text, /not scanned/);
});

test('failures beyond the listed ones are counted, and a deadline’s unscanned targets shown', () => {
  const tally = new FleetTally();
  for (let i = 0; i < MAX_FAILED_LISTED + 30; i++) tally.add(unreachableReport());
  tally.addNotScanned(7);
  const s = tally.summary();
  assert.equal(s.failed.length, MAX_FAILED_LISTED);
  assert.equal(s.failedCount, MAX_FAILED_LISTED + 30);
  const text = renderSummary(s, { color: false });
  assert.match(text, new RegExp(`not checked \\(${MAX_FAILED_LISTED + 30}\\)`));
  assert.match(text, new RegExp(`… and ${MAX_FAILED_LISTED + 10} more`));
  assert.match(text, /not scanned 7 \(the run's --deadline came first\)/);
  assert.throws(() => tally.addNotScanned(-1), RangeError);
  // The unreachable fixture's message carries an escape and a NUL from the "server".
  assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f](?<!\n)/);
});
