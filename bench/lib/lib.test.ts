// The shared bench helpers: statistics, formatting, the bounded pool.
//   node_modules/.bin/node --test bench/lib/**/*.test.ts
import assert from 'node:assert/strict';
import test from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatMs, ratio, tableLines } from './format.ts';
import { mapBounded } from './pool.ts';
import { median, percentile } from './stats.ts';

test('median and percentile', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(percentile([5, 1, 4, 2, 3], 90), 5);
  assert.equal(percentile([5, 1, 4, 2, 3], 40), 2);
  assert.equal(percentile([7], 100), 7);
  assert.throws(() => median([]), RangeError);
  assert.throws(() => percentile([1], 0), RangeError);
});

test('durations, ratios and tables', () => {
  assert.equal(formatMs(undefined), '-');
  assert.equal(formatMs(999.4), '999 ms');
  assert.equal(formatMs(1234), '1.23 s');
  assert.equal(ratio(30, 10), '3.0x');
  assert.equal(ratio(30, 10, 0), '3x');
  assert.equal(ratio(undefined, 10), '-');
  assert.equal(ratio(5, 0), '-');
  assert.deepEqual(tableLines(['a', 'bb'], [['ccc', 'd']]), ['a    bb', 'ccc  d']);
});

test('mapBounded keeps the order and never runs more than asked', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapBounded([30, 10, 20, 0, 5], 2, async (ms, i) => {
    running++;
    peak = Math.max(peak, running);
    await sleep(ms);
    running--;
    return i * 10;
  });
  assert.deepEqual(out, [0, 10, 20, 30, 40]);
  assert.equal(peak, 2);
  assert.deepEqual(await mapBounded([], 3, async () => 1), []);
  await assert.rejects(
    mapBounded([1], 0, async () => 1),
    RangeError,
  );
});
