import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NonceStore } from './nonces.ts';

test('a nonce is good once, and only if this store issued it', () => {
  const nonces = new NonceStore();
  const n = nonces.issue();
  assert.match(n, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(nonces.consume('A'.repeat(22)), false);
  assert.equal(nonces.consume(n), true);
  assert.equal(nonces.consume(n), false);
  assert.equal(nonces.consume(''), false);
  assert.equal(nonces.consume('x'.repeat(10_000)), false);
});

test('nonces expire after their TTL and are dropped oldest first at capacity', () => {
  let now = 0;
  const nonces = new NonceStore({ capacity: 3, ttlMs: 1000, now: () => now });
  const [a, b, c, d] = [nonces.issue(), nonces.issue(), nonces.issue(), nonces.issue()];
  assert.equal(nonces.size, 3);
  assert.equal(nonces.consume(a), false);
  assert.equal(nonces.consume(b), true);
  now = 1000;
  assert.equal(nonces.consume(c), false);
  const e = nonces.issue();
  // Issuing prunes what expired: d is gone, e is the only one left.
  assert.equal(nonces.size, 1);
  assert.equal(nonces.consume(d), false);
  assert.equal(nonces.consume(e), true);
  assert.throws(() => new NonceStore({ capacity: 0 }), RangeError);
});
