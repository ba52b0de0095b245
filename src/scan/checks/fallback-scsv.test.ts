import assert from 'node:assert/strict';
import test from 'node:test';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { TLS_FALLBACK_SCSV } from '../../wire/registry/cipher-suites.ts';
import { FallbackScsvCheck } from './fallback-scsv.ts';
import { driveCheck } from './testdata/reactions.ts';
import { alertOutcome, helloOutcome, legacyServerHello } from './testdata/outcomes.ts';

const INPUT = {
  sni: 'example.com',
  accepted: { 'TLSv1.3': [0x1301], 'TLSv1.2': [0xc02f, 0x009c], 'TLSv1.0': [0x002f] },
};

function conclude(outcome: HelloOutcome, input = INPUT) {
  const check = new FallbackScsvCheck(input);
  assert.equal(driveCheck(check, () => outcome).length, 1);
  return check.conclude();
}

test('one hello for the second-highest version, its suites plus TLS_FALLBACK_SCSV', () => {
  const job = new FallbackScsvCheck(INPUT).next();
  assert.equal(job?.hello.version, 0x0303);
  assert.deepEqual(job?.hello.cipherSuites, [0xc02f, 0x009c, TLS_FALLBACK_SCSV]);
  assert.equal(job?.hello.supportedVersions, undefined, 'no way up to TLS 1.3');
  const older = new FallbackScsvCheck({
    sni: undefined,
    accepted: { 'TLSv1.2': [1], 'TLSv1.0': [0x002f] },
  });
  assert.equal(older.next()?.hello.version, 0x0301);
});

test('inappropriate_fallback is the protection; a ServerHello in the lower version is not', () => {
  const protectedFacts = conclude(alertOutcome(86));
  assert.equal(protectedFacts.verdict, 'not-vulnerable');
  assert.equal(protectedFacts.version, 'TLSv1.2');
  assert.equal(protectedFacts.highest, 'TLSv1.3');
  const accepted = conclude(helloOutcome(legacyServerHello(0x0303, 0xc02f)));
  assert.equal(accepted.verdict, 'vulnerable');
  assert.match(
    accepted.reason,
    /accepted a TLSv1\.2 hello carrying TLS_FALLBACK_SCSV although it supports TLSv1\.3/,
  );
});

test('any other answer is inconclusive', () => {
  for (const outcome of [
    alertOutcome(40),
    helloOutcome(legacyServerHello(0x0301, 0x002f)),
    { kind: 'closed' },
    { kind: 'timeout' },
  ] as HelloOutcome[]) {
    assert.equal(conclude(outcome).verdict, 'inconclusive', outcome.kind);
  }
});

test('one supported version: not applicable, no connection', () => {
  for (const accepted of [{ 'TLSv1.3': [0x1301] }, { 'TLSv1.2': [0xc02f], 'TLSv1.1': [] }, {}]) {
    const check = new FallbackScsvCheck({ sni: undefined, accepted });
    assert.equal(check.next(), undefined);
    assert.equal(check.conclude().verdict, 'not-applicable');
  }
});
