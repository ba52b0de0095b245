import assert from 'node:assert/strict';
import test from 'node:test';
import type { EarlyDataFacts } from '../checks/early-data.ts';
import { earlyDataFindings } from './early-data.ts';

const accepted: EarlyDataFacts = {
  ticketIssued: true,
  ticketLifetimeSec: 7200,
  maxEarlyDataSize: 16384,
  resumed: true,
  earlyDataAccepted: true,
};

test('accepted early data is vuln.early-data, with max_early_data_size in the evidence', () => {
  const [f, ...rest] = earlyDataFindings(accepted);
  assert.equal(rest.length, 0);
  assert.equal(f?.id, 'vuln.early-data');
  assert.equal(f?.severity, 'medium');
  assert.equal(f?.confidence, 'confirmed');
  assert.match(f?.evidence ?? '', /accepted/);
  assert.match(f?.evidence ?? '', /max_early_data_size 16384/);
  assert.match(f?.evidence ?? '', /replayed/);
  assert.deepEqual(f?.details, {
    earlyDataAccepted: true,
    maxEarlyDataSize: 16384,
    ticketLifetimeSec: 7200,
  });
});

test('accepted without the ticket advertising early data says so', () => {
  const withoutSize: EarlyDataFacts = {
    ticketIssued: true,
    resumed: true,
    earlyDataAccepted: true,
  };
  const [f] = earlyDataFindings(withoutSize);
  assert.match(f?.evidence ?? '', /did not advertise early data/);
  assert.equal(f?.details?.maxEarlyDataSize, undefined);
});

test('rejected, unknown or not probed: no finding', () => {
  const cases: (EarlyDataFacts | undefined)[] = [
    undefined,
    { ...accepted, earlyDataAccepted: false },
    { ...accepted, earlyDataAccepted: null, reason: 'timeout' },
    { ticketIssued: false, resumed: null, earlyDataAccepted: null, reason: 'no ticket' },
  ];
  for (const facts of cases) assert.deepEqual(earlyDataFindings(facts), [], JSON.stringify(facts));
});
