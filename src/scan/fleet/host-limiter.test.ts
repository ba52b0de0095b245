import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import type { Dialer, Endpoint } from '../../probe/connection.ts';
import { HostLimiter } from './host-limiter.ts';

/** Just enough of a socket for the limiter: it closes when destroyed. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    queueMicrotask(() => this.emit('close'));
  }
}

const at = (address: string, port = 443): Endpoint => ({ host: address, address, port });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const never = () => new AbortController().signal;

/** A dialer that counts open sockets per address and keeps each open for `holdMs`. */
function countingDialer(holdMs: number) {
  const open = new Map<string, number>();
  const peak = new Map<string, number>();
  let peakAll = 0;
  let openAll = 0;
  const dialer: Dialer = async (endpoint) => {
    await sleep(1);
    const n = (open.get(endpoint.address) ?? 0) + 1;
    open.set(endpoint.address, n);
    peak.set(endpoint.address, Math.max(peak.get(endpoint.address) ?? 0, n));
    peakAll = Math.max(peakAll, ++openAll);
    const socket = new FakeSocket();
    socket.once('close', () => {
      open.set(endpoint.address, (open.get(endpoint.address) ?? 1) - 1);
      openAll--;
    });
    setTimeout(() => socket.destroy(), holdMs);
    return socket as unknown as Socket;
  };
  return { dialer, peak, peakAll: () => peakAll };
}

const refused = (endpoint: Endpoint) =>
  new WiretightError('WT_ERR_PROBE_CONNECT', `cannot connect to ${endpoint.address}`, {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });

test('the cap per address holds under many concurrent dials; other addresses are not held back', async () => {
  const limiter = new HostLimiter({ perHost: 3 });
  const fake = countingDialer(15);
  const dial = limiter.wrap(fake.dialer);
  const dials = [];
  for (let i = 0; i < 12; i++) dials.push(dial(at('10.0.0.1', 443 + i), never()));
  for (let i = 0; i < 12; i++) dials.push(dial(at('10.0.0.2'), never()));
  await Promise.all(dials);
  await sleep(40);
  assert.equal(fake.peak.get('10.0.0.1'), 3, 'the cap is reached, never passed');
  assert.equal(fake.peak.get('10.0.0.2'), 3);
  assert.ok(fake.peakAll() > 3, 'two hosts run side by side');
  assert.equal(limiter.hosts, 0, 'idle, unpenalised hosts are forgotten at once');
});

test('a slot is held until the socket closes, and waiters go first come first served', async () => {
  const limiter = new HostLimiter({ perHost: 1 });
  const sockets: FakeSocket[] = [];
  const dial = limiter.wrap(async () => {
    const s = new FakeSocket();
    sockets.push(s);
    return s as unknown as Socket;
  });
  await dial(at('10.0.0.1', 1), never());
  const order: number[] = [];
  const second = dial(at('10.0.0.1', 2), never()).then(() => order.push(2));
  const third = dial(at('10.0.0.1', 3), never()).then(() => order.push(3));
  await sleep(10);
  assert.deepEqual(order, []);
  assert.deepEqual(limiter.snapshot('10.0.0.1'), { open: 1, waiting: 2, cap: 1, notBefore: 0 });
  sockets[0]?.destroy();
  await second;
  assert.deepEqual(order, [2]);
  sockets[1]?.destroy();
  await third;
  assert.deepEqual(order, [2, 3]);
  sockets[2]?.destroy();
  await sleep(1);
  assert.equal(limiter.hosts, 0);
});

test('a burst of refusals pauses the host, halves its cap, and the next dial waits out the pause', async () => {
  let refuse = true;
  const dialledAt: number[] = [];
  const limiter = new HostLimiter({
    perHost: 8,
    backoff: { burst: 3, baseMs: 60, maxMs: 1000 },
    random: () => 1, // no jitter: the pause is exactly baseMs
  });
  const dial = limiter.wrap(async (endpoint) => {
    dialledAt.push(Date.now());
    if (refuse) throw refused(endpoint);
    const s = new FakeSocket();
    setTimeout(() => s.destroy(), 1);
    return s as unknown as Socket;
  });
  for (let i = 0; i < 2; i++) await assert.rejects(dial(at('10.0.0.9'), never()));
  assert.equal(limiter.snapshot('10.0.0.9')?.cap, 8, 'two refusals are not a burst');
  await assert.rejects(dial(at('10.0.0.9'), never()), /cannot connect/);
  const penalty = limiter.snapshot('10.0.0.9');
  assert.equal(penalty?.cap, 4);
  assert.ok(penalty !== undefined && penalty.notBefore > Date.now());
  refuse = false;
  await dial(at('10.0.0.9'), never());
  assert.ok((dialledAt.at(-1) ?? 0) >= penalty.notBefore - 1, 'the dial came after the pause');
  assert.equal(limiter.hosts, 1, 'a penalised host is remembered while its cap is low');
});

test('pauses double per burst up to maxMs, and successes win the cap back', async () => {
  let clock = 1_000_000;
  const limiter = new HostLimiter({
    perHost: 4,
    backoff: { burst: 1, baseMs: 100, maxMs: 300 },
    now: () => clock,
    random: () => 1,
  });
  let refuse = true;
  const dial = limiter.wrap(async (endpoint) => {
    if (refuse) throw refused(endpoint);
    const s = new FakeSocket();
    queueMicrotask(() => s.destroy());
    return s as unknown as Socket;
  });
  const pauses: number[] = [];
  for (let i = 0; i < 4; i++) {
    await assert.rejects(dial(at('10.0.0.3'), never()));
    const s = limiter.snapshot('10.0.0.3');
    pauses.push((s?.notBefore ?? 0) - clock);
    clock = s?.notBefore ?? clock; // the pause is over
  }
  assert.deepEqual(pauses, [100, 200, 300, 300]);
  assert.equal(limiter.snapshot('10.0.0.3')?.cap, 1);
  refuse = false;
  const caps: number[] = [];
  for (let i = 0; i < 10; i++) {
    await dial(at('10.0.0.3'), never());
    await sleep(1);
    caps.push(limiter.snapshot('10.0.0.3')?.cap ?? 4);
  }
  assert.equal(caps.at(-1), 4, 'back to the full cap');
  assert.ok(caps[0] !== undefined && caps[0] <= 2, 'one step at a time');
});

test('jitter spreads the pause between half and all of it', async () => {
  for (const [random, expected] of [
    [0, 50],
    [0.5, 75],
  ] as const) {
    const limiter = new HostLimiter({
      perHost: 2,
      backoff: { burst: 1, baseMs: 100 },
      now: () => 0,
      random: () => random,
    });
    await assert.rejects(limiter.wrap(async (e) => Promise.reject(refused(e)))(at('h'), never()));
    assert.equal(limiter.snapshot('h')?.notBefore, expected);
  }
});

test('only pushback counts: resets and connect timeouts do, our own cancels and other errors do not', async () => {
  const limiter = new HostLimiter({ perHost: 4, backoff: { burst: 1, baseMs: 10 } });
  const failWith = (err: unknown) => limiter.wrap(async () => Promise.reject(err));
  const errno = (code: string) =>
    new WiretightError('WT_ERR_PROBE_CONNECT', code, {
      cause: Object.assign(new Error(code), { code }),
    });

  await assert.rejects(failWith(errno('EHOSTUNREACH'))(at('10.1.0.1'), never()));
  assert.equal(limiter.snapshot('10.1.0.1'), undefined, 'an unreachable host is not pushing back');

  // A dialer that connects only when told, and gives up when its signal fires.
  const hanging = limiter.wrap(
    (_e, signal) =>
      new Promise<Socket>((_resolve, reject) => {
        const fail = () =>
          reject(new WiretightError('WT_ERR_PROBE_ABORTED', 'gave up', { cause: signal.reason }));
        if (signal.aborted) fail();
        else signal.addEventListener('abort', fail, { once: true });
      }),
  );
  const cancel = new AbortController();
  const cancelled = hanging(at('10.1.0.2'), cancel.signal);
  await sleep(1);
  cancel.abort(new WiretightError('WT_ERR_SCAN_DEADLINE', 'run over'));
  await assert.rejects(cancelled, /gave up/);
  assert.equal(limiter.snapshot('10.1.0.2'), undefined, 'a cancel from our side is not pushback');

  await assert.rejects(failWith(errno('ECONNRESET'))(at('10.1.0.3'), never()));
  assert.equal(limiter.snapshot('10.1.0.3')?.cap, 2);

  const timedOut = new AbortController();
  const dialing = hanging(at('10.1.0.4'), timedOut.signal);
  await sleep(1);
  timedOut.abort(new DOMException('deadline reached', 'TimeoutError'));
  await assert.rejects(dialing, /gave up/);
  assert.equal(limiter.snapshot('10.1.0.4')?.cap, 2, 'a SYN left unanswered until the deadline');
});

test('a dial cancelled while it waits for a slot leaves the queue and rejects with the reason', async () => {
  const limiter = new HostLimiter({ perHost: 1 });
  const first = new FakeSocket();
  const dial = limiter.wrap(async () => first as unknown as Socket);
  await dial(at('10.2.0.1'), never());
  const controller = new AbortController();
  const waiting = dial(at('10.2.0.1'), controller.signal);
  await sleep(1);
  assert.equal(limiter.snapshot('10.2.0.1')?.waiting, 1);
  controller.abort(new WiretightError('WT_ERR_SCAN_DEADLINE', 'stopped'));
  await assert.rejects(waiting, /stopped/);
  assert.deepEqual(limiter.snapshot('10.2.0.1'), { open: 1, waiting: 0, cap: 1, notBefore: 0 });
  first.destroy();
  await sleep(1);
  assert.equal(limiter.hosts, 0);
  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(dial(at('10.2.0.1'), aborted.signal), { code: 'WT_ERR_PROBE_ABORTED' });
});

test('memory stays bounded: penalised idle hosts beyond the limit are forgotten, and old ones start afresh', async () => {
  let clock = 0;
  const limiter = new HostLimiter({
    perHost: 2,
    backoff: { burst: 1, baseMs: 5 },
    maxIdleHosts: 8,
    forgetAfterMs: 1000,
    now: () => clock,
  });
  const dial = limiter.wrap(async (e) => Promise.reject(refused(e)));
  for (let i = 0; i < 100; i++) await assert.rejects(dial(at(`10.3.0.${i}`), never()));
  assert.ok(limiter.hosts <= 8, `${limiter.hosts} hosts held`);
  assert.equal(limiter.snapshot('10.3.0.99')?.cap, 1, 'the newest penalties are kept');
  clock += 5000;
  const ok = limiter.wrap(async () => {
    const s = new FakeSocket();
    queueMicrotask(() => s.destroy());
    return s as unknown as Socket;
  });
  await ok(at('10.3.0.99'), never());
  await sleep(1);
  assert.equal(limiter.snapshot('10.3.0.99'), undefined, 'forgotten after a long idle spell');
});

test("a scan's share of a host is its own cap, never more than the host's", () => {
  const limiter = new HostLimiter({ perHost: 4 });
  assert.equal(limiter.connectionsFor(8), 4);
  assert.equal(limiter.connectionsFor(2), 2);
});

test('bad options are RangeErrors', () => {
  assert.throws(() => new HostLimiter({ perHost: 0 }), RangeError);
  assert.throws(() => new HostLimiter({ perHost: 1.5 }), RangeError);
  assert.throws(() => new HostLimiter({ perHost: 1, backoff: { burst: 0 } }), RangeError);
  assert.throws(() => new HostLimiter({ perHost: 1, backoff: { maxMs: -1 } }), RangeError);
});
