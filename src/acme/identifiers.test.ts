import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorizationTarget, parseOrderIdentifiers } from './identifiers.ts';
import { AcmeProblem } from './problems.ts';
import { reverseDnsName, ipBytes } from './challenges/ip-address.ts';

const problem = (fn: () => unknown, type: string): void =>
  assert.throws(fn, (e: unknown) => e instanceof AcmeProblem && e.problemType === type);

test('identifiers are canonical: lower-case names, RFC 5952 IPv6, duplicates dropped', () => {
  assert.deepEqual(
    parseOrderIdentifiers([
      { type: 'dns', value: 'WWW.Example.TEST' },
      { type: 'dns', value: 'www.example.test' },
      { type: 'ip', value: '2001:DB8:0:0:0:0:0:1' },
      { type: 'ip', value: '192.0.2.1' },
      { type: 'dns', value: '*.example.test' },
    ]),
    [
      { type: 'dns', value: 'www.example.test' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'ip', value: '192.0.2.1' },
      { type: 'dns', value: '*.example.test' },
    ],
  );
  assert.deepEqual(authorizationTarget({ type: 'dns', value: '*.example.test' }), {
    identifier: { type: 'dns', value: 'example.test' },
    wildcard: true,
  });
});

test('bad names and addresses are rejectedIdentifier with one subproblem each', () => {
  for (const value of [
    '',
    'a..b',
    '-a.test',
    'a-.test',
    'a b.test',
    'ex*.test',
    '*.*.test',
    'a.test.',
    `${'a'.repeat(64)}.test`,
    `${'a.'.repeat(127)}test`,
    'é.test',
  ]) {
    problem(() => parseOrderIdentifiers([{ type: 'dns', value }]), 'rejectedIdentifier');
  }
  for (const value of ['1.2.3', '01.2.3.4', '::g', 'fe80::1%eth0', '']) {
    problem(() => parseOrderIdentifiers([{ type: 'ip', value }]), 'rejectedIdentifier');
  }
  problem(
    () => parseOrderIdentifiers([{ type: 'uri', value: 'spiffe://x' }]),
    'unsupportedIdentifier',
  );
  problem(() => parseOrderIdentifiers([null]), 'malformed');
  problem(() => parseOrderIdentifiers({}), 'malformed');
});

test('IP bytes and reverse names for tls-alpn-01', () => {
  assert.deepEqual([...ipBytes('10.1.2.3')!], [10, 1, 2, 3]);
  assert.deepEqual(
    [...ipBytes('2001:db8::1')!],
    [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  );
  assert.deepEqual([...ipBytes('::')!], new Array(16).fill(0));
  assert.equal(ipBytes('nope'), undefined);
  assert.equal(reverseDnsName('10.1.2.3'), '3.2.1.10.in-addr.arpa');
  assert.equal(
    reverseDnsName('2001:db8::567:89ab'),
    'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
  );
});
