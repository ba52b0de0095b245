import assert from 'node:assert/strict';
import test from 'node:test';
import { dnsNameMatches, formatIpAddress, matchHostname } from './hostname.ts';

const names = (dnsNames: string[], ips: number[][] = [], commonNames: string[] = []) => ({
  dnsNames,
  ipAddresses: ips.map((b) => Uint8Array.from(b)),
  commonNames,
});

test('exact names match case-insensitively, with or without the root dot', () => {
  assert.ok(dnsNameMatches('www.example.com', 'WWW.Example.COM'));
  assert.equal(matchHostname('www.example.com.', names(['www.example.com'])).matches, true);
  assert.equal(matchHostname('example.com', names(['www.example.com'])).matches, false);
});

test('a wildcard is the whole left-most label and stands for exactly one label', () => {
  assert.ok(dnsNameMatches('a.example.com', '*.example.com'));
  assert.ok(!dnsNameMatches('example.com', '*.example.com'));
  assert.ok(!dnsNameMatches('a.b.example.com', '*.example.com'));
  assert.ok(!dnsNameMatches('.example.com', '*.example.com'));
});

test('partial, inner, multiple and too-broad wildcards match nothing', () => {
  for (const pattern of [
    'f*.example.com',
    '*o.example.com',
    'a.*.example.com',
    '*.*.com',
    '*.com',
    '*',
  ]) {
    assert.ok(!dnsNameMatches('foo.example.com', pattern), pattern);
    assert.ok(!dnsNameMatches('foo.com', pattern), pattern);
  }
});

test('IDNs are compared as A-labels', () => {
  assert.ok(matchHostname('bücher.example', names(['xn--bcher-kva.example'])).matches);
});

test('addresses match iPAddress SANs only, never DNS names or the CN', () => {
  const v = matchHostname('127.0.0.1', names(['127.0.0.1'], [], ['127.0.0.1']));
  assert.equal(v.kind, 'ip');
  assert.equal(v.matches, false);
  const ok = matchHostname('127.0.0.1', names([], [[127, 0, 0, 1]]));
  assert.deepEqual([ok.matches, ok.matchedBy], [true, 'IP:127.0.0.1']);
});

test('IPv6 addresses compare as bytes, whatever their spelling', () => {
  const loopback = [...new Array<number>(15).fill(0), 1];
  for (const host of ['::1', '[::1]', '0:0:0:0:0:0:0:1', '::0.0.0.1']) {
    assert.ok(matchHostname(host, names([], [loopback])).matches, host);
  }
  assert.equal(formatIpAddress(Uint8Array.from(loopback)), '0:0:0:0:0:0:0:1');
  assert.ok(!matchHostname('::2', names([], [loopback])).matches);
});

test('the CN is checked only when there is no DNS SAN, and the verdict says so', () => {
  const cnOnly = matchHostname('legacy.example', names([], [], ['legacy.example']));
  assert.deepEqual(
    [cnOnly.matches, cnOnly.matchedBy, cnOnly.commonNameChecked],
    [true, 'CN:legacy.example', true],
  );
  const withSan = matchHostname('legacy.example', names(['other.example'], [], ['legacy.example']));
  assert.deepEqual([withSan.matches, withSan.commonNameChecked], [false, false]);
});

test('names with embedded NUL or junk never match', () => {
  assert.ok(!dnsNameMatches('good.example', 'good.example\u0000.evil.example'));
  assert.ok(!dnsNameMatches('', ''));
});
