import assert from 'node:assert/strict';
import test from 'node:test';
import { encodePadding } from './padding.ts';

test('padding is the requested number of zero bytes', () => {
  assert.deepEqual(encodePadding(0), new Uint8Array(0));
  const p = encodePadding(300);
  assert.equal(p.length, 300);
  assert.ok(p.every((b) => b === 0));
  assert.equal(encodePadding(0xffff).length, 0xffff);
});

test('lengths outside 0..65535 are RangeErrors', () => {
  for (const n of [-1, 0x10000, 1.5, Number.NaN]) {
    assert.throws(() => encodePadding(n), RangeError, String(n));
  }
});
