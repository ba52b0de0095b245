import assert from 'node:assert/strict';
import test from 'node:test';
import type { Tls13FlightOutcome } from '../../probe/tls13-flight-exchange.ts';
import type { ServerHelloFacts } from '../../wire/server-hello.ts';
import type { Tls13ServerFlightResult } from '../../wire/tls13/server-flight.ts';
import { Tls13FlightCheck } from './tls13-flight.ts';

const facts: ServerHelloFacts = {
  isHelloRetryRequest: false,
  version: 0x0304,
  cipherSuite: 0x1301,
  compressionMethod: 0,
  keyShareGroup: 0x001d,
  serverKeyShare: new Uint8Array(32),
  alpn: undefined,
  extensionTypes: [43, 51],
};

function flight(alpn: string | undefined, requested = false): Tls13FlightOutcome {
  const result: Tls13ServerFlightResult = {
    encryptedExtensions: { extensions: [], ...(alpn === undefined ? {} : { alpn }) },
    ...(requested ? { certificateRequest: { context: new Uint8Array(0), extensions: [] } } : {}),
    certificate: {
      context: new Uint8Array(0),
      entries: [{ der: Uint8Array.of(1), extensions: [] }],
    },
    messages: [],
  };
  return { kind: 'flight', facts, flight: result, complete: true };
}

test('without ALPN candidates: one connection gives chain and certificate request', () => {
  const check = new Tls13FlightCheck([0x1301], 0x001d, 'example.com');
  const job = check.next();
  assert.equal(job?.kind, 'tls13-flight');
  assert.deepEqual(job?.hello.supportedGroups, [0x001d]);
  assert.equal(job?.hello.alpn, undefined);
  check.absorb(job!, flight(undefined, true));
  assert.equal(check.next(), undefined);
  const f = check.conclude();
  assert.deepEqual(f.chain, [Uint8Array.of(1)]);
  assert.equal(f.certificateRequested, true);
  assert.equal(f.complete, true);
});

test('with ALPN candidates: each selected protocol is removed until none is selected', () => {
  const check = new Tls13FlightCheck([0x1301], 0x001d, undefined, ['h2', 'http/1.1', 'imap']);
  const offers: string[][] = [];
  const picks = ['http/1.1', 'h2', undefined];
  for (let job = check.next(); job !== undefined; job = check.next()) {
    offers.push([...(job.hello.alpn ?? [])]);
    check.absorb(job, flight(picks[offers.length - 1]));
  }
  assert.deepEqual(offers, [['h2', 'http/1.1', 'imap'], ['h2', 'imap'], ['imap']]);
  assert.deepEqual(check.conclude().alpn, ['http/1.1', 'h2']);
});

test('a refusal or an answer without a flight ends the check with what was seen', () => {
  const check = new Tls13FlightCheck([0x1301], 0x001d, undefined, ['h2']);
  check.absorb(check.next()!, { kind: 'no-flight', facts });
  assert.equal(check.next(), undefined);
  assert.deepEqual(check.conclude(), {
    chain: [],
    certificateRequested: false,
    alpn: [],
    complete: false,
  });
});
