import assert from 'node:assert/strict';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import type { Sslv2Outcome } from '../../probe/sslv2-exchange.ts';
import { parseAlert } from '../../wire/alert.ts';
import { suitesForProtocol } from '../../wire/registry/cipher-suites.ts';
import type { Sslv2ServerHello } from '../../wire/sslv2.ts';
import { Sslv2Check } from './sslv2.ts';

function serverHello(cipherSpecs: number[], certificate: Uint8Array): Sslv2Outcome {
  const sh: Sslv2ServerHello = {
    sessionIdHit: false,
    certificateType: 1,
    version: 2,
    certificate,
    cipherSpecs,
    connectionId: new Uint8Array(16),
  };
  return { kind: 'sslv2-hello', serverHello: sh };
}

test('one connection offering every SSLv2 spec', () => {
  const check = new Sslv2Check();
  const job = check.next();
  assert.ok(job !== undefined);
  assert.equal(job.kind, 'sslv2-hello');
  assert.deepEqual(
    job.cipherSpecs,
    suitesForProtocol('SSLv2').map((s) => s.id),
  );
  assert.equal(job.cipherSpecs.length, 13);
  assert.equal(check.next(), undefined);
});

test('a SERVER-HELLO means SSLv2 is supported, with its specs and certificate', () => {
  const check = new Sslv2Check();
  const job = check.next()!;
  const cert = Uint8Array.of(0x30, 0x82, 1, 2);
  check.absorb(job, serverHello([0x0700c0, 0x010080], cert));
  assert.deepEqual(check.conclude(), {
    supported: true,
    cipherSpecs: [0x0700c0, 0x010080],
    certificate: cert,
  });
});

test('an empty spec list still means SSLv2 is spoken (CVE-2015-3197)', () => {
  const check = new Sslv2Check();
  check.absorb(check.next()!, serverHello([], new Uint8Array(0)));
  assert.deepEqual(check.conclude(), { supported: true, cipherSpecs: [], certificate: undefined });
});

test('any other outcome means SSLv2 is not supported', () => {
  const others: Sslv2Outcome[] = [
    { kind: 'tls-answer', alert: parseAlert(Uint8Array.of(2, 70)) },
    { kind: 'tls-answer' },
    { kind: 'closed' },
    { kind: 'reset' },
    { kind: 'timeout' },
    { kind: 'malformed', error: new WiretightError('WT_ERR_WIRE_DECODE', 'x') },
    { kind: 'connect-failed', error: new WiretightError('WT_ERR_PROBE_CONNECT', 'x') },
  ];
  for (const outcome of others) {
    const check = new Sslv2Check();
    check.absorb(check.next()!, outcome);
    assert.deepEqual(
      check.conclude(),
      { supported: false, cipherSpecs: [], certificate: undefined },
      outcome.kind,
    );
  }
  // And without any outcome at all.
  assert.equal(new Sslv2Check().conclude().supported, false);
});
