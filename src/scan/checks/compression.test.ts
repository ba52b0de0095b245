import assert from 'node:assert/strict';
import test from 'node:test';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { COMPRESSION_DEFLATE, CompressionCheck } from './compression.ts';
import { driveCheck } from './testdata/reactions.ts';
import { handshakeFailure, helloOutcome, legacyServerHello } from './testdata/outcomes.ts';

const INPUT = { sni: 'example.com', accepted: { 'TLSv1.3': [0x1301], 'TLSv1.2': [0xc02f] } };

function withMethod(method: number): HelloOutcome {
  return helloOutcome({ ...legacyServerHello(0x0303, 0xc02f), compressionMethod: method });
}

function conclude(outcome: HelloOutcome, input = INPUT) {
  const check = new CompressionCheck(input);
  assert.equal(driveCheck(check, () => outcome).length, 1);
  return check.conclude();
}

test('one hello in the best TLS ≤ 1.2 version, DEFLATE offered before null', () => {
  const job = new CompressionCheck(INPUT).next();
  assert.equal(job?.hello.version, 0x0303);
  assert.deepEqual(job?.hello.compressionMethods, [COMPRESSION_DEFLATE, 0]);
  assert.equal(job?.until, 'server-hello');
});

test('DEFLATE chosen is vulnerable; null is not; anything else is an anomaly', () => {
  const vulnerable = conclude(withMethod(1));
  assert.equal(vulnerable.verdict, 'vulnerable');
  assert.equal(vulnerable.method, 1);
  assert.match(vulnerable.reason, /DEFLATE compression in TLSv1\.2/);
  assert.equal(conclude(withMethod(0)).verdict, 'not-vulnerable');
  const odd = conclude(withMethod(64));
  assert.equal(odd.verdict, 'inconclusive');
  assert.match(odd.reason, /method 64, which was not offered/);
});

test('a refused hello is inconclusive, with the refusal', () => {
  const facts = conclude(handshakeFailure);
  assert.equal(facts.verdict, 'inconclusive');
  assert.match(facts.reason, /alert handshake_failure/);
  assert.equal(conclude({ kind: 'reset' }).verdict, 'inconclusive');
});

test('not applicable to a TLS 1.3-only server', () => {
  const check = new CompressionCheck({ sni: undefined, accepted: { 'TLSv1.3': [0x1301] } });
  assert.equal(check.next(), undefined);
  assert.equal(check.conclude().verdict, 'not-applicable');
});
