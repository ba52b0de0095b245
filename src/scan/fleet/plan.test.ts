import assert from 'node:assert/strict';
import test from 'node:test';
import { isWiretightError } from '../../errors.ts';
import { formatTarget } from '../target.ts';
import { MAX_FLEET_TARGETS, planFleet } from './plan.ts';
import { parseFleetEntry } from './target-list.ts';

const entries = (...texts: string[]) =>
  texts.map((t, i) => parseFleetEntry(t, `argument ${i + 1}`));
const where = formatTarget;

test('ranges go port by port over every address; a named port is kept', () => {
  const plan = planFleet(entries('127.0.0.4/30', 'db.internal', 'api.internal:8443'), [443, 5432]);
  assert.equal(plan.total, 7);
  assert.deepEqual([...plan.targets()].map(where), [
    '127.0.0.5:443',
    '127.0.0.6:443',
    '127.0.0.5:5432',
    '127.0.0.6:5432',
    'db.internal:443',
    'db.internal:5432',
    'api.internal:8443',
  ]);
  assert.equal([...plan.targets()].length, 7, 'targets() starts afresh each time');
});

test('a range that names its port keeps it, whatever --ports says', () => {
  const plan = planFleet(entries('[fd00::/126]:8443', '10.0.0.0/31:25'), [443, 993]);
  assert.deepEqual([...plan.targets()].map(where), [
    '[fd00::]:8443',
    '[fd00::1]:8443',
    '[fd00::2]:8443',
    '[fd00::3]:8443',
    '10.0.0.0:25',
    '10.0.0.1:25',
  ]);
});

test('per-line options and the source go with every address of a range', () => {
  const [entry] = entries('10.9.0.0/30');
  const plan = planFleet([{ ...entry!, sni: 'internal.example', profile: 'old' }]);
  for (const t of plan.targets()) {
    assert.equal(t.sni, 'internal.example');
    assert.equal(t.profile, 'old');
    assert.equal(t.source, 'argument 1');
    assert.equal(t.port, 443);
    assert.ok(!('range' in t));
  }
});

test('the count is known without expanding, and a /16 on one port fits', () => {
  const plan = planFleet(entries('10.0.0.0/16'), [443]);
  assert.equal(plan.total, 65_534);
  const first = plan.targets()[Symbol.iterator]().next();
  assert.deepEqual(first.value && where(first.value), '10.0.0.1:443');
});

test('a fleet over the cap is refused with its size and the entry that makes it', () => {
  const cases: [string[], number[], RegExp][] = [
    [
      ['10.0.0.0/8'],
      [443, 8443, 5432],
      /the fleet is 50,331,642 targets \(10\.0\.0\.0\/8 is 16,777,214 addresses × 3 ports\), more than the 65,536/,
    ],
    [['0.0.0.0/0'], [443], /4,294,967,294 targets/],
    [['::/0'], [443], /340,282,366,920,938,463,463,374,607,431,768,211,456 targets/],
    [['10.0.0.0/16'], [443, 8443], /the fleet is 131,068 targets/],
    [['a.example', '10.0.0.0/16'], [443], /the fleet is 65,535 targets/],
  ];
  for (const [texts, ports, why] of cases) {
    assert.throws(
      () =>
        planFleet(entries(...texts), ports, texts[0] === 'a.example' ? 65_534 : MAX_FLEET_TARGETS),
      (e) => isWiretightError(e) && e.code === 'WT_ERR_TARGET_INVALID' && why.test(e.message),
      texts.join(' '),
    );
  }
  assert.throws(() => planFleet(entries('a.example'), []), RangeError);
});
