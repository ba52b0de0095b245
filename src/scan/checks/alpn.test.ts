import assert from 'node:assert/strict';
import test from 'node:test';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { parseAlert } from '../../wire/alert.ts';
import { encodeAlpn } from '../../wire/extensions/alpn.ts';
import type { HelloOptions } from '../../wire/client-hello.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import type { Job } from '../job.ts';
import { ALPN_CANDIDATES, AlpnCheck } from './alpn.ts';
import { helloOutcome, legacyServerHello } from './testdata/outcomes.ts';

type HelloJob = Extract<Job, { kind: 'tls-hello' }>;

function helloWithAlpn(protocol: string | undefined): HelloOutcome {
  const alpn =
    protocol === undefined
      ? []
      : [{ type: X.application_layer_protocol_negotiation, data: encodeAlpn([protocol]) }];
  return helloOutcome(legacyServerHello(0x0303, 0xc02f, alpn));
}

const BASE: HelloOptions = { version: 0x0303, cipherSuites: [0xc02f], serverName: 'example.com' };

function drive(check: AlpnCheck, answer: (job: HelloJob) => HelloOutcome): string[][] {
  const offers: string[][] = [];
  for (let job = check.next(); job !== undefined; job = check.next()) {
    offers.push([...(job.hello.alpn ?? [])]);
    check.absorb(job, answer(job));
    assert.ok(offers.length < 1000, 'the check never stops');
  }
  return offers;
}

/** A server picking by its own preference among what was offered. */
function server(protocols: readonly string[]) {
  return (job: HelloJob): HelloOutcome =>
    helloWithAlpn(protocols.find((p) => job.hello.alpn?.includes(p) === true));
}

test('each selected protocol is removed from the next offer until the server selects none', () => {
  const check = new AlpnCheck(BASE);
  const offers = drive(check, server(['http/1.1', 'h2']));
  assert.equal(offers.length, 3);
  assert.deepEqual(offers[0], ALPN_CANDIDATES);
  assert.deepEqual(
    offers[1],
    ALPN_CANDIDATES.filter((p) => p !== 'http/1.1'),
  );
  assert.deepEqual(
    offers[2],
    ALPN_CANDIDATES.filter((p) => p !== 'http/1.1' && p !== 'h2'),
  );
  assert.deepEqual(check.conclude(), { protocols: ['http/1.1', 'h2'] });
});

test('jobs keep the base hello and read only the ServerHello', () => {
  const job = new AlpnCheck(BASE, ['h2']).next();
  assert.equal(job?.until, 'server-hello');
  assert.equal(job?.hello.serverName, 'example.com');
  assert.deepEqual(job?.hello.cipherSuites, [0xc02f]);
  assert.deepEqual(job?.hello.alpn, ['h2']);
});

test('a server without ALPN, an alert, or a protocol never offered end the check', () => {
  const refusals: HelloOutcome[] = [
    helloWithAlpn(undefined),
    { kind: 'alert', alert: parseAlert(Uint8Array.of(2, 120)) },
    { kind: 'closed' },
    helloWithAlpn('not-offered'),
  ];
  for (const answer of refusals) {
    const check = new AlpnCheck(BASE, ['h2', 'http/1.1']);
    assert.equal(drive(check, () => answer).length, 1);
    assert.deepEqual(check.conclude(), { protocols: [] });
  }
});

test('a server accepting every candidate ends when none is left', () => {
  const check = new AlpnCheck(BASE, ['a', 'b', 'c']);
  const offers = drive(check, (job) => helloWithAlpn(job.hello.alpn?.at(-1)));
  assert.equal(offers.length, 3);
  assert.deepEqual(check.conclude(), { protocols: ['c', 'b', 'a'] });
});

test('no candidates: no connection', () => {
  assert.equal(new AlpnCheck(BASE, []).next(), undefined);
});
