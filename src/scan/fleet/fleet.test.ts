import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { isWiretightError } from '../../errors.ts';
import { judge } from '../judge.ts';
import { sketchReport } from '../testdata/reports.ts';
import { runBounded } from './run-fleet.ts';
import { FleetTally } from './summary.ts';
import { parseTargetList } from './target-list.ts';

test('a targets file: hosts, ports, options, comments and blank lines', () => {
  const text = [
    '# production edge',
    'api.example.com',
    'mail.example.com:587 starttls=smtp   # submission',
    '',
    '[2001:db8::1]:8443 sni=www.example.com profile=intermediate',
    '10.0.0.5:443 sni=-',
    '10.1.0.0/30 starttls=none',
    '[fd00::/126]:8443',
  ].join('\n');
  const entries = parseTargetList(text, 'fleet.txt');
  assert.deepEqual(entries.slice(0, 4), [
    { host: 'api.example.com', source: 'fleet.txt:2' },
    { host: 'mail.example.com', port: 587, starttls: 'smtp', source: 'fleet.txt:3' },
    {
      host: '2001:db8::1',
      port: 8443,
      sni: 'www.example.com',
      profile: 'intermediate',
      source: 'fleet.txt:5',
    },
    { host: '10.0.0.5', port: 443, sni: null, source: 'fleet.txt:6' },
  ]);
  assert.deepEqual(
    entries.slice(4).map((e) => [e.host, e.range?.prefix, e.port, e.starttls, e.source]),
    [
      ['10.1.0.0/30', 30, undefined, null, 'fleet.txt:7'],
      ['fd00::/126', 126, 8443, undefined, 'fleet.txt:8'],
    ],
  );
});

test('targets file errors name the file and line', () => {
  const cases: [string, RegExp][] = [
    ['ok.example\nbad host!', /^fleet\.txt:2: unexpected "host!" after the target/],
    ['ok.example\nbad!host', /^fleet\.txt:2: not a valid host/],
    ['a.example:99999', /^fleet\.txt:1: not a valid port/],
    ['a.example colour=red', /^fleet\.txt:1: unknown option "colour"/],
    ['a.example profile=paranoid', /^fleet\.txt:1: profile must be/],
    ['a.example sni=', /^fleet\.txt:1: sni needs a value/],
    ['a.example sni=a sni=b', /^fleet\.txt:1: sni= given twice/],
    [`a.example ${'x'.repeat(2000)}`, /^fleet\.txt:1: line longer than/],
    [
      '10.0.0.0/33',
      /^fleet\.txt:1: not a valid range "10\.0\.0\.0\/33": the prefix length must be 0\.\.32/,
    ],
    ['10.0.0.0/24:0', /^fleet\.txt:1: not a valid port in "10\.0\.0\.0\/24:0"/],
    ['10.0.0.0/24:x', /^fleet\.txt:1: not a valid port/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseTargetList(text, 'fleet.txt'),
      (e) => isWiretightError(e) && e.code === 'WT_ERR_TARGET_INVALID' && message.test(e.message),
      text.slice(0, 40),
    );
  }
});

test('any text parses to targets or a typed error, never anything else', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      try {
        parseTargetList(text, 'f');
      } catch (e) {
        assert.ok(isWiretightError(e));
      }
    }),
  );
});

test('runBounded keeps at most N scans in flight and yields as they finish', async () => {
  let inFlight = 0;
  let peak = 0;
  const report = judge(sketchReport({ suites: { 'TLSv1.3': [0x1301] } }));
  const delays = [30, 5, 20, 1, 10, 2, 15];
  const order: number[] = [];
  for await (const { item } of runBounded(delays.keys(), 3, async (i) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, delays[i]));
    inFlight--;
    return report;
  })) {
    order.push(item);
  }
  assert.equal(peak, 3);
  assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5, 6]);
  assert.notDeepEqual(order, [0, 1, 2, 3, 4, 5, 6], 'completion order, not input order');
  await assert.rejects(async () => {
    for await (const _ of runBounded([1], 0, async () => report)) void _;
  }, RangeError);
});

test('runBounded pulls an asynchronous source only as slots free up', async () => {
  let pulled = 0;
  async function* source() {
    for (let i = 0; i < 6; i++) {
      pulled++;
      await new Promise((r) => setTimeout(r, 1));
      yield i;
    }
  }
  let inFlight = 0;
  const seen: number[] = [];
  for await (const { item, report } of runBounded(source(), 2, async (i) => {
    inFlight++;
    // Never more pulled than finished plus the two slots (and the one being pulled).
    assert.ok(pulled <= seen.length + 3, `pulled ${pulled} with ${seen.length} done`);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return i * 10;
  })) {
    assert.equal(report, item * 10);
    assert.ok(inFlight <= 2);
    seen.push(item);
  }
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5]);
});

test('runBounded starts nothing once its signal fires, and lets the running ones finish', async () => {
  const controller = new AbortController();
  const started: number[] = [];
  const results: number[] = [];
  for await (const { item } of runBounded(
    Array.from({ length: 100 }, (_, i) => i),
    3,
    async (i) => {
      started.push(i);
      if (i === 4) controller.abort();
      await new Promise((r) => setTimeout(r, 5));
      return i;
    },
    controller.signal,
  )) {
    results.push(item);
  }
  assert.ok(started.length <= 7, `started ${started.length}`);
  assert.ok(started.includes(4));
  assert.deepEqual(
    [...results].sort((a, b) => a - b),
    [...started].sort((a, b) => a - b),
  );
});

test('runBounded stops waiting on a slow asynchronous source when its signal fires', async () => {
  const controller = new AbortController();
  async function* stuck() {
    yield 1;
    await new Promise(() => undefined); // a lookup that never answers
  }
  setTimeout(() => controller.abort(), 20);
  const items: number[] = [];
  for await (const { item } of runBounded(stuck(), 2, async (i) => i, controller.signal)) {
    items.push(item);
  }
  assert.deepEqual(items, [1]);
});

test('a failing scan surfaces from the generator', async () => {
  const report = judge(sketchReport({ suites: { 'TLSv1.3': [0x1301] } }));
  await assert.rejects(async () => {
    for await (const _ of runBounded([1, 2, 3], 2, async (i) => {
      if (i === 2) throw new TypeError('boom');
      await new Promise((r) => setTimeout(r, 20));
      return report;
    }))
      void _;
  }, /boom/);
});

test('the tally counts grades, serious findings per target, and failures', () => {
  const tally = new FleetTally();
  const good = judge(sketchReport({ suites: { 'TLSv1.2': [0xc02f], 'TLSv1.3': [0x1301] } }));
  const sslv3 = judge(sketchReport({ suites: { SSLv3: [0x002f], 'TLSv1.2': [0xc02f] } }));
  tally.add(good);
  tally.add(sslv3);
  tally.add(sslv3);
  tally.add({
    ...good,
    tls: false,
    error: { code: 'WT_ERR_SCAN_UNREACHABLE', message: 'refused' },
    grade: { letter: null, score: null, caps: [], criteria: null, withheld: 'no TLS' },
  });
  const s = tally.summary();
  assert.equal(s.targets, 4);
  assert.equal(s.notScanned, 0);
  assert.equal(s.tls, 3);
  assert.equal(s.grades['withheld'], 1);
  assert.equal(s.grades['C'], 2);
  assert.deepEqual(
    s.worstFindings.find((f) => f.id === 'protocol.sslv3'),
    {
      id: 'protocol.sslv3',
      severity: 'high',
      targets: 2,
    },
  );
  assert.deepEqual(s.failed, [
    // The address goes with a name, since --all-ips scans one name on several.
    { target: 'localhost:443 (127.0.0.1)', code: 'WT_ERR_SCAN_UNREACHABLE', message: 'refused' },
  ]);
});
