import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { WiretightError } from '../../errors.ts';
import type { FollowUpOutcome, Reaction } from '../../probe/followup-exchange.ts';
import { PREMASTER_VARIANTS, type PremasterVariant } from '../../wire/rsa-premaster.ts';
import type { Job } from '../job.ts';
import { RobotCheck, isPlainRsaKeyExchange } from './robot.ts';
import { alertRecord, driveCheck, flightWith, reacted, reaction } from './testdata/reactions.ts';

type FollowUpJob = Extract<Job, { kind: 'tls-followup' }>;

const INPUT = {
  sni: 'example.com',
  accepted: { 'TLSv1.3': [0x1301], 'TLSv1.2': [0xc02f, 0x009c, 0x0003, 0x002f] },
};
const FLIGHT = flightWith({ legacyVersion: 0x0303, cipherSuite: 0x009c });

const variantOf = (job: FollowUpJob): PremasterVariant => {
  assert.equal(job.followUp.kind, 'rsa-premaster');
  return (job.followUp as { variant: PremasterVariant }).variant;
};

/** A server answering each block with `answers[variant]` (round 2: `again`, when given). */
function oracle(
  answers: Record<PremasterVariant, Reaction>,
  again: Partial<Record<PremasterVariant, Reaction>> = {},
  flight = FLIGHT,
): (job: FollowUpJob, index: number) => FollowUpOutcome {
  return (job, index) => {
    const variant = variantOf(job);
    const r = index >= 5 ? (again[variant] ?? answers[variant]) : answers[variant];
    return reacted(flight, r);
  };
}

const all = (r: Reaction): Record<PremasterVariant, Reaction> =>
  Object.fromEntries(PREMASTER_VARIANTS.map((v) => [v, r])) as Record<PremasterVariant, Reaction>;

const MAC = reaction('stopped', alertRecord(20));
const FAILURE = reaction('stopped', alertRecord(40));
const ILLEGAL = reaction('stopped', alertRecord(47));

function run(answer: (job: FollowUpJob, index: number) => FollowUpOutcome, input = INPUT) {
  const check = new RobotCheck(input);
  const jobs = driveCheck(check, answer);
  return { jobs, facts: check.conclude() };
}

test('jobs: the best version, only plain RSA suites, the five blocks in order', () => {
  const { jobs } = run(oracle(all(MAC)));
  assert.deepEqual(jobs.map(variantOf), PREMASTER_VARIANTS);
  for (const job of jobs) {
    assert.equal(job.hello.version, 0x0303);
    assert.deepEqual(job.hello.cipherSuites, [0x009c, 0x002f]);
  }
  assert.equal(isPlainRsaKeyExchange(0x0003), false, 'export RSA is not the certificate key');
});

test('not vulnerable: five alike answers, five connections', () => {
  const { jobs, facts } = run(oracle(all(MAC)));
  assert.equal(jobs.length, 5);
  assert.equal(facts.verdict, 'not-vulnerable');
  assert.equal(facts.connections, 5);
  assert.equal(facts.suite, '0x009c');
  assert.equal(facts.reactions?.['no-zero-separator'], 'alert bad_record_mac');
  assert.match(facts.reason, /alike: alert bad_record_mac/);
});

test('silence and the deadline are the same answer', () => {
  const answers = { ...all(reaction('quiet')), valid: reaction('timeout') };
  const { facts } = run(oracle(answers));
  assert.equal(facts.verdict, 'not-vulnerable');
});

test('strong oracle: the broken paddings differ among themselves, twice', () => {
  const answers = { ...all(MAC), 'wrong-first-bytes': FAILURE, 'no-zero-separator': ILLEGAL };
  const { jobs, facts } = run(oracle(answers));
  assert.equal(jobs.length, 10);
  assert.deepEqual(jobs.slice(5).map(variantOf), PREMASTER_VARIANTS);
  assert.equal(facts.verdict, 'vulnerable');
  assert.equal(facts.oracle, 'strong');
  assert.equal(facts.connections, 10);
  assert.match(facts.reason, /wrong-first-bytes: alert handshake_failure/);
});

test('weak oracle: only the correctly padded blocks stand out', () => {
  const answers = {
    ...all(FAILURE),
    valid: MAC,
    'wrong-version': MAC,
  };
  const { facts } = run(oracle(answers));
  assert.equal(facts.verdict, 'vulnerable');
  assert.equal(facts.oracle, 'weak');
});

test('a connection reset is an answer of its own', () => {
  const { facts } = run(oracle({ ...all(MAC), 'zero-wrong-position': reaction('reset') }));
  assert.equal(facts.verdict, 'vulnerable');
  assert.equal(facts.reactions?.['zero-wrong-position'], 'connection reset');
});

test('inconclusive: differences that do not repeat', () => {
  const answers = { ...all(MAC), valid: FAILURE };
  const { jobs, facts } = run(oracle(answers, { valid: MAC, 'wrong-version': FAILURE }));
  assert.equal(jobs.length, 10);
  assert.equal(facts.verdict, 'inconclusive');
  assert.deepEqual(facts.inconsistent, ['valid', 'wrong-version']);
});

test('inconclusive: a client certificate is requested and every block is refused alike', () => {
  const { facts } = run(
    oracle(all(FAILURE), {}, flightWith({ legacyVersion: 0x0303, cipherSuite: 0x009c }, true)),
  );
  assert.equal(facts.verdict, 'inconclusive');
  assert.match(facts.reason, /client certificate/);
});

test('a probe that cannot run stops the check at once', () => {
  const failures: FollowUpOutcome[] = [
    {
      kind: 'declined',
      flight: FLIGHT,
      reason: 'the server certificate holds a ec key, not an RSA encryption key',
    },
    { kind: 'connect-failed', error: new WiretightError('WT_ERR_PROBE_CONNECT', 'refused') },
    { kind: 'alert', alert: { level: 'fatal', description: 40, name: 'handshake_failure' } },
  ];
  for (const failure of failures) {
    const { jobs, facts } = run(() => failure);
    assert.equal(jobs.length, 1);
    assert.equal(facts.verdict, 'inconclusive');
    assert.match(facts.reason, /^valid block: /);
  }
  const garbled = run(() => reacted(FLIGHT, reaction('malformed')));
  assert.equal(garbled.jobs.length, 1);
  assert.equal(garbled.facts.verdict, 'inconclusive');
  assert.match(garbled.facts.reason, /^valid block: malformed answer/);
  // A failure in the middle keeps what was seen before it.
  const { jobs, facts } = run((job, index) =>
    index === 2 ? { kind: 'timeout' } : oracle(all(MAC))(job, index),
  );
  assert.equal(jobs.length, 3);
  assert.equal(facts.verdict, 'inconclusive');
  assert.match(facts.reason, /zero-wrong-position block: the hello got no usable answer: timeout/);
});

test('not applicable without a plain RSA key-exchange suite', () => {
  for (const accepted of [{ 'TLSv1.3': [0x1301] }, { 'TLSv1.2': [0xc02f, 0x0003] }]) {
    const check = new RobotCheck({ sni: undefined, accepted });
    assert.equal(check.next(), undefined);
    assert.deepEqual(check.conclude(), {
      verdict: 'not-applicable',
      reason: 'no RSA key-exchange suite is accepted in TLS 1.2 or older',
      connections: 0,
    });
  }
});

test('property: never more than ten connections, and a verdict from the four', () => {
  const answers = [MAC, FAILURE, ILLEGAL, reaction('reset'), reaction('quiet'), reaction('closed')];
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: answers.length - 1 }), { minLength: 10, maxLength: 10 }),
      (picks) => {
        const { jobs, facts } = run((_job, i) =>
          reacted(FLIGHT, answers[picks[i] ?? 0] as Reaction),
        );
        assert.ok(jobs.length === 5 || jobs.length === 10);
        assert.ok(['vulnerable', 'not-vulnerable', 'inconclusive'].includes(facts.verdict));
        assert.equal(facts.connections, jobs.length);
        assert.doesNotThrow(() => JSON.stringify(facts));
      },
    ),
  );
});
