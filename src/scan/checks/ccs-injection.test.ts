import assert from 'node:assert/strict';
import test from 'node:test';
import type { FollowUpOutcome } from '../../probe/followup-exchange.ts';
import { CcsInjectionCheck } from './ccs-injection.ts';
import { alertRecord, driveCheck, flightOf, reacted, reaction } from './testdata/reactions.ts';

const INPUT = {
  sni: 'example.com',
  accepted: { 'TLSv1.1': [0x002f], 'TLSv1.0': [0x002f, 0x000a] },
};
const FLIGHT = flightOf();

function conclude(outcome: FollowUpOutcome) {
  const check = new CcsInjectionCheck(INPUT);
  const jobs = driveCheck(check, () => outcome);
  assert.equal(jobs.length, 1);
  return check.conclude();
}

test('one job: the best TLS ≤ 1.2 hello, then an early CCS', () => {
  const job = new CcsInjectionCheck(INPUT, 900).next();
  assert.equal(job?.hello.version, 0x0302);
  assert.deepEqual(job?.followUp, { kind: 'early-ccs' });
  assert.equal(job?.quietMs, 900);
});

test('vulnerable: silence at the CCS, then a decryption failure at the next record', () => {
  for (const description of [20, 21]) {
    const facts = conclude(
      reacted(FLIGHT, reaction('quiet'), reaction('stopped', alertRecord(description))),
    );
    assert.equal(facts.verdict, 'vulnerable');
    assert.match(facts.reason, /accepted an early ChangeCipherSpec/);
    assert.equal(facts.reactions?.[0], 'silence');
    assert.equal(facts.version, 'TLSv1.1');
  }
});

test('not vulnerable: an alert or a hang-up at the CCS, or a cleartext complaint afterwards', () => {
  const cases: [FollowUpOutcome, RegExp][] = [
    [
      reacted(FLIGHT, reaction('stopped', alertRecord(10))),
      /refused .* with alert unexpected_message/,
    ],
    [reacted(FLIGHT, reaction('stopped', alertRecord(40))), /alert handshake_failure/],
    [reacted(FLIGHT, reaction('closed', alertRecord(10, 1))), /alert unexpected_message/],
    [reacted(FLIGHT, reaction('closed')), /refused the early ChangeCipherSpec: connection closed/],
    [reacted(FLIGHT, reaction('reset')), /connection reset/],
    [
      reacted(FLIGHT, reaction('quiet'), reaction('stopped', alertRecord(50))),
      /had not switched keys/,
    ],
  ];
  for (const [outcome, why] of cases) {
    const facts = conclude(outcome);
    assert.equal(facts.verdict, 'not-vulnerable', why.source);
    assert.match(facts.reason, why);
  }
});

test('inconclusive: silence throughout, a hang-up at the second record, a malformed answer, a deadline', () => {
  const cases: [FollowUpOutcome, RegExp][] = [
    [
      reacted(FLIGHT, reaction('quiet'), reaction('quiet')),
      /stayed silent .* at the next record: silence/,
    ],
    [reacted(FLIGHT, reaction('quiet'), reaction('closed')), /connection closed/],
    [reacted(FLIGHT, reaction('quiet'), reaction('timeout')), /no answer before the deadline/],
    [reacted(FLIGHT, reaction('malformed')), /malformed answer/],
    [reacted(FLIGHT, reaction('timeout')), /no answer before the deadline/],
    [{ kind: 'timeout' }, /the hello got no usable answer: timeout/],
    [
      {
        kind: 'no-flight',
        facts: FLIGHT.facts,
        reason: 'the server stopped before ServerHelloDone',
      },
      /before ServerHelloDone/,
    ],
  ];
  for (const [outcome, why] of cases) {
    const facts = conclude(outcome);
    assert.equal(facts.verdict, 'inconclusive', why.source);
    assert.match(facts.reason, why);
  }
});

test('not applicable to a TLS 1.3-only server', () => {
  const check = new CcsInjectionCheck({ sni: undefined, accepted: { 'TLSv1.3': [0x1301] } });
  assert.equal(check.next(), undefined);
  assert.equal(check.conclude().verdict, 'not-applicable');
});
