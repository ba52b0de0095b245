import assert from 'node:assert/strict';
import test from 'node:test';
import type { Check, Job, JobOutcome } from '../job.ts';
import {
  ACTIVE_CHECK_NAMES,
  type ActiveVulnerabilityFacts,
  type CheckDriver,
  gatherActiveVulnerabilities,
  inconclusiveActiveChecks,
} from './active-vulnerabilities.ts';
import { driveCheck } from './testdata/reactions.ts';

/** A driver whose server never answers: every probe that runs ends in a timeout. */
class SilentDriver implements CheckDriver {
  readonly jobs: Job[] = [];
  async drive<J extends Job, F>(check: Check<J, F>): Promise<F> {
    const jobs = driveCheck(check, () => ({ kind: 'timeout' }) as JobOutcome<J>);
    this.jobs.push(...jobs);
    return check.conclude();
  }
}

const INPUT = {
  sni: 'example.com',
  accepted: { 'TLSv1.3': [0x1301], 'TLSv1.2': [0xc02f, 0x009c], 'TLSv1.1': [0x002f] },
};

test('all six probes run, one connection each (ROBOT stops at its first failure)', async () => {
  const driver = new SilentDriver();
  const facts = await gatherActiveVulnerabilities(driver, INPUT, 800);
  assert.deepEqual(Object.keys(facts).sort(), Object.keys(ACTIVE_CHECK_NAMES).sort());
  assert.equal(driver.jobs.length, 6);
  for (const job of driver.jobs) {
    if (job.kind === 'tls-followup') assert.equal(job.quietMs, 800);
  }
  for (const f of Object.values(facts)) assert.equal(f.verdict, 'inconclusive');
  assert.deepEqual(JSON.parse(JSON.stringify(facts)), facts, 'plain JSON');
});

test('inconclusive probes are named with their reason, for the grade', async () => {
  const facts = await gatherActiveVulnerabilities(new SilentDriver(), INPUT);
  const incomplete = inconclusiveActiveChecks(facts);
  assert.equal(incomplete.length, 6);
  assert.match(incomplete[0] ?? '', /^Heartbleed \(the hello got no usable answer: timeout\)$/);
  const clean: ActiveVulnerabilityFacts = {
    ...facts,
    heartbleed: { verdict: 'not-vulnerable', reason: 'x' },
    ccsInjection: { verdict: 'not-applicable', reason: 'x' },
    robot: { verdict: 'vulnerable', reason: 'x', connections: 10 },
    compression: { verdict: 'not-vulnerable', reason: 'x' },
    fallbackScsv: { verdict: 'not-vulnerable', reason: 'x' },
  };
  assert.deepEqual(inconclusiveActiveChecks(clean), [
    'Insecure renegotiation (a TLSv1.2 hello got no ServerHello: timeout)',
  ]);
});

test('a TLS 1.3-only server: nothing to probe in the clear, no connection', async () => {
  const driver = new SilentDriver();
  const facts = await gatherActiveVulnerabilities(driver, {
    sni: undefined,
    accepted: { 'TLSv1.3': [0x1301] },
  });
  assert.equal(driver.jobs.length, 0);
  for (const f of Object.values(facts)) assert.equal(f.verdict, 'not-applicable');
});
