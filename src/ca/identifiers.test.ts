import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatDuration, parseDuration } from './duration.ts';
import {
  MAX_IDENTIFIERS,
  ipBytes,
  ipText,
  normalizeIdentifier,
  normalizeIdentifiers,
  sameIdentifiers,
} from './identifiers.ts';
import { parseIpRange, rangeContains } from './ip-range.ts';
import { normalizeSerial, randomSerial, serialHex } from './serial.ts';

const policyError = (err: unknown) => (err as { code?: string }).code === 'WT_ERR_CA_POLICY';

test('DNS names are lower-cased, a trailing dot dropped; invalid names are refused by name', () => {
  assert.equal(
    normalizeIdentifier({ type: 'dns', value: 'API.Svc.Internal.' }).value,
    'api.svc.internal',
  );
  assert.equal(
    normalizeIdentifier({ type: 'dns', value: '*.svc.internal' }).value,
    '*.svc.internal',
  );
  assert.equal(
    normalizeIdentifier({ type: 'dns', value: 'xn--bcher-kva.example' }).value,
    'xn--bcher-kva.example',
  );
  for (const bad of [
    '',
    'a..b',
    '-a.b',
    'a-.b',
    'a_b.c',
    'bücher.example',
    '*.com',
    'a.*.b',
    `${'a'.repeat(64)}.b`,
    'a b',
    '10.0.0.1',
    `${'a.'.repeat(127)}a`,
  ]) {
    assert.throws(() => normalizeIdentifier({ type: 'dns', value: bad }), policyError, bad);
  }
  assert.throws(
    () => normalizeIdentifier({ type: 'dns', value: 'bad_name.internal' }),
    /dns:"bad_name.internal" is not a valid DNS name/,
  );
});

test('IP addresses take their canonical text (RFC 5952 for IPv6), and bytes round-trip', () => {
  assert.equal(
    normalizeIdentifier({ type: 'ip', value: '2001:DB8:0:0:0:0:0:1' }).value,
    '2001:db8::1',
  );
  assert.equal(normalizeIdentifier({ type: 'ip', value: '::ffff:10.0.0.1' }).value, '::ffff:a00:1');
  for (const bad of ['10.0.0.256', '010.0.0.1', '1.2.3', 'fe80::1%eth0', 'example.com', '']) {
    assert.throws(() => normalizeIdentifier({ type: 'ip', value: bad }), policyError, bad);
  }
  fc.assert(
    fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => {
      const canonical = normalizeIdentifier({ type: 'ip', value: ip }).value;
      assert.equal(ipText(ipBytes(canonical)), canonical);
    }),
  );
  assert.equal(ipText(new Uint8Array(5)), undefined);
});

test('URIs are kept as given but must be absolute printable ASCII and not huge', () => {
  assert.equal(
    normalizeIdentifier({ type: 'uri', value: 'spiffe://example.org/a' }).value,
    'spiffe://example.org/a',
  );
  for (const bad of [
    'not a uri',
    '/relative',
    'spiffe://x/\u0000',
    `spiffe://x/${'a'.repeat(2100)}`,
  ]) {
    assert.throws(() => normalizeIdentifier({ type: 'uri', value: bad }), policyError);
  }
  assert.throws(() => normalizeIdentifier({ type: 'email', value: 'a@b' } as never), TypeError);
  assert.throws(() => normalizeIdentifier(null as never), TypeError);
});

test('lists: duplicates dropped, empty and over-long lists refused; sets compare order-free', () => {
  const list = normalizeIdentifiers([
    { type: 'dns', value: 'A.x.internal' },
    { type: 'dns', value: 'a.x.internal' },
    { type: 'ip', value: '10.0.0.1' },
  ]);
  assert.equal(list.length, 2);
  assert.throws(() => normalizeIdentifiers([]), policyError);
  const many = Array.from({ length: MAX_IDENTIFIERS + 1 }, (_, i) => ({
    type: 'dns' as const,
    value: `h${i}.x.internal`,
  }));
  assert.throws(() => normalizeIdentifiers(many), policyError);
  assert.ok(sameIdentifiers(list, [...list].reverse()));
  assert.ok(!sameIdentifiers(list, list.slice(1)));
});

test('IP ranges: host bits cleared, families kept apart, bad prefixes refused', () => {
  const v4 = parseIpRange('10.1.2.3/8');
  assert.equal(v4.text, '10.0.0.0/8');
  assert.ok(rangeContains(v4, ipBytes('10.255.0.1')));
  assert.ok(!rangeContains(v4, ipBytes('11.0.0.1')));
  assert.ok(!rangeContains(v4, ipBytes('::ffff:a00:1')));
  const v6 = parseIpRange('FD00::1/8');
  assert.equal(v6.text, 'fd00::/8');
  assert.ok(rangeContains(v6, ipBytes('fdff::1')));
  assert.equal(parseIpRange('192.168.1.7').text, '192.168.1.7/32');
  assert.equal(parseIpRange('0.0.0.0/0').text, '0.0.0.0/0');
  for (const bad of [
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/08',
    'fd00::/129',
    'x/8',
    '10.0.0.0/-1',
  ]) {
    assert.throws(() => parseIpRange(bad), RangeError, bad);
  }
});

test('durations: the units people write, capped; formatting picks the largest exact unit', () => {
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('24h'), 86_400);
  assert.equal(parseDuration('10y'), 315_360_000);
  for (const bad of ['', '24', 'h', '0h', '1.5h', '-1d', '101y', '24 h h'])
    assert.throws(() => parseDuration(bad), RangeError, bad);
  assert.equal(formatDuration(86_400), '1d');
  assert.equal(formatDuration(5400), '90m');
  assert.equal(formatDuration(7 * 86_400), '1w');
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3_000_000_000 }), (s) =>
      assert.equal(parseDuration(formatDuration(s)), s),
    ),
  );
});

test('serials: 16 bytes, positive, first byte non-zero; typed forms normalise to the stored one', () => {
  for (const first of [0x00, 0x80, 0xff, 0x7f]) {
    const serial = randomSerial((n) => new Uint8Array(n).fill(first));
    assert.equal(serial.length, 16);
    assert.ok(serial[0]! > 0 && serial[0]! < 0x80);
  }
  const hex = serialHex(randomSerial());
  assert.match(hex, /^[0-7][0-9a-f]{31}$/);
  const colons = hex.toUpperCase().match(/../g)!.join(':');
  assert.equal(normalizeSerial(colons), hex);
  assert.equal(normalizeSerial(`serial=${hex.toUpperCase()}`), hex);
  assert.equal(normalizeSerial(`00${hex}`), hex);
  assert.equal(normalizeSerial('0x7'), '07');
  for (const bad of ['', 'xyz', '12:zz', 'a'.repeat(65)])
    assert.throws(() => normalizeSerial(bad), RangeError);
});
