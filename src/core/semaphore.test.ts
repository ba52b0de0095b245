import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'node:test';
import fc from 'fast-check';
import { Semaphore } from './semaphore.ts';

test('permits must be a positive integer', () => {
  assert.throws(() => new Semaphore(0), RangeError);
  assert.throws(() => new Semaphore(-1), RangeError);
  assert.throws(() => new Semaphore(1.5), RangeError);
  assert.throws(() => new Semaphore(Number.NaN), RangeError);
  assert.doesNotThrow(() => new Semaphore(1));
});

test('never more than N operations run at once, and all of them run', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 25 }),
      async (permits, delays) => {
        const sem = new Semaphore(permits);
        let running = 0;
        let peak = 0;
        let done = 0;
        await Promise.all(
          delays.map((ms) =>
            sem.run(async () => {
              running++;
              peak = Math.max(peak, running);
              await sleep(ms);
              running--;
              done++;
            }),
          ),
        );
        assert.ok(peak <= permits, `peak ${peak} > ${permits}`);
        assert.equal(peak, Math.min(permits, delays.length));
        assert.equal(done, delays.length);
      },
    ),
    { numRuns: 40 },
  );
});

test('waiters are served in arrival order (FIFO)', async () => {
  const sem = new Semaphore(2);
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const tasks = Array.from({ length: 8 }, (_, i) =>
    sem.run(async () => {
      started.push(i);
      await new Promise<void>((resolve) => releases.push(resolve));
    }),
  );
  await sleep(5);
  assert.deepEqual(started, [0, 1]);
  // Finish the running tasks in reverse order: waiters must still start in arrival order.
  for (let release = releases.pop(); release !== undefined; release = releases.pop()) {
    release();
    await sleep(2);
  }
  await Promise.all(tasks);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('acquire/release hand the permit to the oldest waiter', async () => {
  const sem = new Semaphore(1);
  await sem.acquire();
  const order: string[] = [];
  const a = sem.acquire().then(() => order.push('a'));
  const b = sem.acquire().then(() => order.push('b'));
  await sleep(1);
  assert.deepEqual(order, []);
  sem.release();
  await a;
  assert.deepEqual(order, ['a']);
  sem.release();
  await b;
  assert.deepEqual(order, ['a', 'b']);
});

test('a failing operation releases its permit and propagates its error', async () => {
  const sem = new Semaphore(1);
  await assert.rejects(
    sem.run(async () => {
      throw new RangeError('boom');
    }),
    RangeError,
  );
  // If the permit leaked, this would never resolve.
  const value = await Promise.race([sem.run(async () => 42), sleep(500).then(() => -1)]);
  assert.equal(value, 42);
});
