import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import type { Dialer } from '../../probe/connection.ts';
import { deadlineReport } from './deadline-report.ts';
import { type FleetRunOptions, type FleetScanOptions, FleetRun } from './fleet-run.ts';
import { HostLimiter } from './host-limiter.ts';
import { planFleet } from './plan.ts';
import type { ResolvedTarget } from './resolve.ts';
import { parseFleetEntry } from './target-list.ts';

const plan = (...texts: string[]) =>
  planFleet(texts.map((t, i) => parseFleetEntry(t, `argument ${i + 1}`)));

type Result =
  | { kind: 'scanned'; address: string }
  | { kind: 'stopped'; code: string; message: string; handshakes: number };

function options(overrides: Partial<FleetRunOptions<Result>> = {}): FleetRunOptions<Result> {
  return {
    concurrency: 4,
    maxConnections: 8,
    limiter: new HostLimiter({ perHost: 8 }),
    lookupTimeoutMs: 1000,
    interrupted: (_t, how) => ({
      kind: 'stopped',
      code: how.error.code,
      message: how.error.message,
      handshakes: how.handshakes,
    }),
    ...overrides,
  };
}

/** A scan that takes `ms`, or until its signal fires (then it lingers a moment, as a real one does). */
const scanTaking =
  (ms: number) =>
  async (target: ResolvedTarget, fleet: FleetScanOptions): Promise<Result> => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      fleet.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        setTimeout(resolve, 5);
      });
    });
    return { kind: 'scanned', address: await fleet.resolver(target.host) };
  };

async function drain<R>(run: FleetRun<R>) {
  const out: { target: ResolvedTarget; report: R }[] = [];
  for await (const x of run) out.push(x);
  return out;
}

test('a scan over its time limit is reported stopped with WT_ERR_SCAN_DEADLINE, not with what it saw', async () => {
  const run = new FleetRun(
    plan('192.0.2.1:443', '192.0.2.2:443'),
    async (target, fleet) =>
      target.host === '192.0.2.1' ? scanTaking(5_000)(target, fleet) : scanTaking(1)(target, fleet),
    options({ targetTimeoutMs: 50 }),
  );
  const out = await drain(run);
  const byHost = new Map(out.map((x) => [x.target.host, x.report]));
  assert.deepEqual(byHost.get('192.0.2.2'), { kind: 'scanned', address: '192.0.2.2' });
  const stopped = byHost.get('192.0.2.1');
  assert.equal(stopped?.kind, 'stopped');
  assert.ok(stopped?.kind === 'stopped');
  assert.equal(stopped.code, 'WT_ERR_SCAN_DEADLINE');
  assert.match(stopped.message, /192\.0\.2\.1:443 did not finish within its time limit of 0\.05 s/);
  assert.deepEqual([run.done, run.stopped, run.notScanned], [2, 1, 0]);
});

test("the run's deadline stops the scans in flight and starts no more", async () => {
  const deadline = new AbortController();
  let started = 0;
  const run = new FleetRun(
    plan('192.0.2.0/28'),
    async (target, fleet) => {
      if (++started === 2)
        setTimeout(() => deadline.abort(new WiretightError('WT_ERR_SCAN_DEADLINE', 'over')), 10);
      return scanTaking(5_000)(target, fleet);
    },
    options({ concurrency: 2, signal: deadline.signal }),
  );
  const out = await drain(run);
  assert.equal(started, 2);
  assert.equal(out.length, 2);
  for (const { report } of out) {
    assert.equal(report.kind, 'stopped');
    assert.match(
      report.kind === 'stopped' ? report.message : '',
      /stopped: the run's deadline was reached/,
    );
  }
  assert.deepEqual([run.total, run.done, run.stopped, run.notScanned], [14, 2, 2, 12]);
});

test('targets sharing an address take turns; the time limit starts when a target gets its turn', async () => {
  let inFlight = 0;
  let peak = 0;
  const shares: number[] = [];
  const run = new FleetRun(
    plan('192.0.2.9:1', '192.0.2.9:2', '192.0.2.9:3', '192.0.2.10:1'),
    async (target, fleet) => {
      shares.push(fleet.maxConnections);
      const same = target.host === '192.0.2.9';
      if (same) peak = Math.max(peak, ++inFlight);
      const report = await scanTaking(60)(target, fleet);
      if (same) inFlight--;
      return report;
    },
    // Three turns of 60 ms in a row: over 150 ms in all, but each within its own limit.
    options({ concurrency: 4, targetTimeoutMs: 150 }),
  );
  const out = await drain(run);
  assert.equal(peak, 1, 'perHost 8 / maxConnections 8: one target per address at a time');
  assert.ok(out.every((x) => x.report.kind === 'scanned'));
  assert.deepEqual(shares, [8, 8, 8, 8]);

  peak = 0;
  shares.length = 0;
  const wider = new FleetRun(
    plan('192.0.2.9:1', '192.0.2.9:2', '192.0.2.9:3'),
    async (target, fleet) => {
      shares.push(fleet.maxConnections);
      peak = Math.max(peak, ++inFlight);
      const report = await scanTaking(20)(target, fleet);
      inFlight--;
      return report;
    },
    options({ maxConnections: 4, limiter: new HostLimiter({ perHost: 8 }) }),
  );
  await drain(wider);
  assert.equal(peak, 2, 'perHost 8 / maxConnections 4: two at a time');
  const narrow = new FleetRun(
    plan('192.0.2.9:1'),
    async (target, fleet) => {
      shares.push(fleet.maxConnections);
      return scanTaking(1)(target, fleet);
    },
    options({ maxConnections: 8, limiter: new HostLimiter({ perHost: 3 }) }),
  );
  await drain(narrow);
  assert.deepEqual(shares, [4, 4, 4, 3], 'a target never gets more than its host allows');
});

test('allIps scans a name on each address, the total grows, and a name that fails gets its error', async () => {
  const run = new FleetRun(
    plan('api.example:8443', 'nx.example'),
    async (target, fleet): Promise<Result> => {
      try {
        return { kind: 'scanned', address: await fleet.resolver(target.host) };
      } catch (err) {
        return { kind: 'stopped', code: (err as WiretightError).code, message: '', handshakes: 0 };
      }
    },
    options({
      allIps: true,
      lookup: async (host) => {
        if (host === 'nx.example') throw new WiretightError('WT_ERR_PROBE_DNS', 'no such name');
        return ['192.0.2.1', '2001:db8::1'];
      },
    }),
  );
  assert.equal(run.total, 2);
  const out = await drain(run);
  assert.equal(run.total, 3);
  assert.deepEqual(
    out.map((x) => JSON.stringify([x.target.host, x.target.port, x.report])).sort(),
    [
      ['api.example', 8443, { kind: 'scanned', address: '192.0.2.1' }],
      ['api.example', 8443, { kind: 'scanned', address: '2001:db8::1' }],
      [
        'nx.example',
        443,
        { kind: 'stopped', code: 'WT_ERR_PROBE_DNS', message: '', handshakes: 0 },
      ],
    ]
      .map((x) => JSON.stringify(x))
      .sort(),
  );
});

test("every connection goes through the shared limiter, and a stopped scan's report counts them", async () => {
  class FakeSocket extends EventEmitter {
    destroyed = false;
    destroy() {
      this.destroyed = true;
      queueMicrotask(() => this.emit('close'));
    }
  }
  const limiter = new HostLimiter({ perHost: 2 });
  const sockets: FakeSocket[] = [];
  const inner: Dialer = async () => {
    const s = new FakeSocket();
    sockets.push(s);
    return s as unknown as Socket;
  };
  const run = new FleetRun(
    plan('192.0.2.5:443'),
    async (target, fleet): Promise<Result> => {
      const endpoint = { host: target.host, address: '192.0.2.5', port: 443 };
      await fleet.dialer(endpoint, fleet.signal);
      await fleet.dialer(endpoint, fleet.signal);
      assert.equal(limiter.snapshot('192.0.2.5')?.open, 2);
      // A third connection waits for a slot until the time limit ends the scan.
      await fleet.dialer(endpoint, fleet.signal).catch(() => undefined);
      return { kind: 'scanned', address: '192.0.2.5' };
    },
    options({ limiter, maxConnections: 2, dialer: inner, targetTimeoutMs: 30 }),
  );
  const [only] = await drain(run);
  assert.deepEqual(only?.report, {
    kind: 'stopped',
    code: 'WT_ERR_SCAN_DEADLINE',
    message: 'the scan of 192.0.2.5:443 did not finish within its time limit of 0.03 s',
    handshakes: 3,
  });
  assert.equal(sockets.length, 2);
});

test('a stopped scan reads as a failed report: no TLS, the deadline error, a withheld grade', () => {
  const report = deadlineReport(
    { host: 'api.example', port: 443 },
    'api.example',
    {
      error: new WiretightError('WT_ERR_SCAN_DEADLINE', 'the scan of api.example:443 was stopped'),
      address: '192.0.2.1',
      started: 1000,
      handshakes: 7,
    },
    () => 4000,
  );
  assert.equal(report.tls, false);
  assert.deepEqual(report.error, {
    code: 'WT_ERR_SCAN_DEADLINE',
    message: 'the scan of api.example:443 was stopped',
  });
  assert.deepEqual(report.target, {
    host: 'api.example',
    port: 443,
    ip: '192.0.2.1',
    sni: 'api.example',
  });
  assert.equal(report.handshakes, 7);
  assert.equal(report.durationMs, 3000);
  assert.equal(report.grade.letter, null);
  assert.deepEqual(report.cipherSuites, {});
});

test('bad options are RangeErrors', () => {
  assert.throws(
    () => new FleetRun(plan('a.example'), scanTaking(1), options({ targetTimeoutMs: 0 })),
    RangeError,
  );
  assert.throws(
    () => new FleetRun(plan('a.example'), scanTaking(1), options({ maxConnections: 0 })),
    RangeError,
  );
});
