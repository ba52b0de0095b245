import assert from 'node:assert/strict';
import test from 'node:test';
import type { ActiveVulnerabilityFacts } from '../checks/active-vulnerabilities.ts';
import { FINDING_CATALOGUE } from '../findings/index.ts';
import { activeVulnerabilityFindings } from './vulnerabilities-active.ts';

const CLEAN: ActiveVulnerabilityFacts = {
  heartbleed: { verdict: 'not-vulnerable', reason: 'ignored it', version: 'TLSv1.2' },
  ccsInjection: { verdict: 'not-vulnerable', reason: 'refused it', version: 'TLSv1.2' },
  robot: { verdict: 'not-vulnerable', reason: 'alike', version: 'TLSv1.2', connections: 5 },
  compression: { verdict: 'not-vulnerable', reason: 'null', version: 'TLSv1.2', method: 0 },
  fallbackScsv: {
    verdict: 'not-vulnerable',
    reason: 'refused',
    version: 'TLSv1.2',
    highest: 'TLSv1.3',
  },
  renegotiation: { verdict: 'not-vulnerable', reason: 'acknowledged', version: 'TLSv1.2' },
};

const FLAWED: ActiveVulnerabilityFacts = {
  heartbleed: {
    verdict: 'vulnerable',
    reason: 'a heartbeat request carrying 16 bytes got 1024',
    version: 'TLSv1.1',
    heartbeatExtension: true,
    request: { carried: 16, claimed: 1024 },
    response: { announced: 1024, carried: 1024 },
  },
  ccsInjection: {
    verdict: 'vulnerable',
    reason: 'the server accepted an early ChangeCipherSpec',
    version: 'TLSv1.2',
    reactions: ['silence', 'alert bad_record_mac'],
  },
  robot: {
    verdict: 'vulnerable',
    reason: 'the server answered differently',
    version: 'TLSv1.2',
    oracle: 'weak',
    suite: '0x009c',
    connections: 10,
  },
  compression: {
    verdict: 'vulnerable',
    reason: 'the server chose DEFLATE',
    version: 'TLSv1.2',
    method: 1,
  },
  fallbackScsv: {
    verdict: 'vulnerable',
    reason: 'accepted',
    version: 'TLSv1.1',
    highest: 'TLSv1.2',
  },
  renegotiation: { verdict: 'vulnerable', reason: 'no renegotiation_info', version: 'TLSv1.2' },
};

test('no facts, or nothing vulnerable: no finding', () => {
  assert.deepEqual(activeVulnerabilityFindings(undefined), []);
  assert.deepEqual(activeVulnerabilityFindings(CLEAN), []);
});

test('each vulnerable probe is its finding, with the catalogue entry and the evidence seen', () => {
  const findings = activeVulnerabilityFindings(FLAWED);
  assert.deepEqual(
    findings.map((f) => f.id),
    [
      'vuln.heartbleed',
      'vuln.ccs-injection',
      'vuln.robot',
      'vuln.compression',
      'vuln.no-fallback-scsv',
      'vuln.insecure-renegotiation',
    ],
  );
  for (const f of findings) {
    assert.equal(f.severity, FINDING_CATALOGUE[f.id].severity, f.id);
    assert.equal(f.title, FINDING_CATALOGUE[f.id].title);
    assert.match(f.evidence, /^[A-Z].*\.$/, 'a sentence');
  }
  const [heartbleed, ccs, robot, compression, fallback, renegotiation] = findings;
  assert.equal(heartbleed?.evidence, 'A heartbeat request carrying 16 bytes got 1024.');
  assert.deepEqual(heartbleed?.details, {
    version: 'TLSv1.1',
    requestCarried: 16,
    requestClaimed: 1024,
    responseCarried: 1024,
  });
  assert.deepEqual(ccs?.details, {
    version: 'TLSv1.2',
    reactions: ['silence', 'alert bad_record_mac'],
  });
  assert.deepEqual(robot?.details, { version: 'TLSv1.2', oracle: 'weak', suite: '0x009c' });
  assert.deepEqual(compression?.details, { version: 'TLSv1.2', method: 1 });
  assert.deepEqual(fallback?.details, { version: 'TLSv1.1', highest: 'TLSv1.2' });
  assert.deepEqual(renegotiation?.details, { version: 'TLSv1.2' });
});

test('inconclusive and not-applicable probes make no finding', () => {
  const unsure: ActiveVulnerabilityFacts = {
    ...FLAWED,
    heartbleed: { verdict: 'inconclusive', reason: 'timeout' },
    ccsInjection: { verdict: 'not-applicable', reason: 'TLS 1.3 only' },
    robot: { verdict: 'inconclusive', reason: 'inconsistent', connections: 10 },
    compression: { verdict: 'not-applicable', reason: 'TLS 1.3 only' },
    fallbackScsv: { verdict: 'not-applicable', reason: 'one version' },
  };
  assert.deepEqual(
    activeVulnerabilityFindings(unsure).map((f) => f.id),
    ['vuln.insecure-renegotiation'],
  );
});
