import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import test from 'node:test';
import fc from 'fast-check';
import { WiretightError } from '../errors.ts';
import {
  DEFAULT_PORT,
  defaultAddressLookup,
  defaultResolver,
  defaultSni,
  formatTarget,
  ipVersion,
  parseTarget,
  parseTargetSpec,
} from './target.ts';

const invalidTarget = (err: unknown): boolean =>
  err instanceof WiretightError && err.code === 'WT_ERR_TARGET_INVALID';

test('valid targets', () => {
  const cases: [string, string, number][] = [
    ['host', 'host', DEFAULT_PORT],
    ['host:8443', 'host', 8443],
    ['example.com', 'example.com', 443],
    ['  example.com:25  ', 'example.com', 25],
    ['192.0.2.1', '192.0.2.1', 443],
    ['192.0.2.1:8443', '192.0.2.1', 8443],
    ['[::1]:443', '::1', 443],
    ['[::1]', '::1', 443],
    ['[2001:db8::1]:8443', '2001:db8::1', 8443],
    ['::1', '::1', 443],
    ['2001:db8::1', '2001:db8::1', 443],
    ['https://example.com/x', 'example.com', 443],
    ['https://example.com:8443/path?q=1', 'example.com', 8443],
    ['https://[::1]:9443/', '::1', 9443],
    ['host:1', 'host', 1],
    ['host:65535', 'host', 65535],
    ['under_score-host.example', 'under_score-host.example', 443],
  ];
  for (const [input, host, port] of cases) {
    assert.deepEqual(parseTarget(input), { host, port }, input);
  }
});

test('the default port can be chosen', () => {
  assert.deepEqual(parseTarget('mail.example.com', 465), { host: 'mail.example.com', port: 465 });
  assert.deepEqual(parseTarget('mail.example.com:587', 465), {
    host: 'mail.example.com',
    port: 587,
  });
});

test('invalid targets are WT_ERR_TARGET_INVALID', () => {
  for (const input of [
    'host:0',
    'host:99999',
    'host:65536',
    'host:',
    'host:-1',
    'host:+80',
    'host:8o',
    'host:80.5',
    'a b',
    '',
    '   ',
    ':443',
    '[::1',
    '[::1]:0',
    'exa$mple.com',
    'https:///x',
    'a'.repeat(254),
  ]) {
    assert.throws(() => parseTarget(input), invalidTarget, JSON.stringify(input));
  }
});

test('SNI is derived from names only', () => {
  assert.equal(defaultSni('example.com'), 'example.com');
  assert.equal(defaultSni('192.0.2.1'), null);
  assert.equal(defaultSni('::1'), null);
});

test('the default resolver passes IP literals through without a lookup', async () => {
  assert.equal(await defaultResolver('192.0.2.1'), '192.0.2.1');
  assert.equal(await defaultResolver('::1'), '::1');
});

test('the default resolver reports a name that does not resolve as WT_ERR_PROBE_DNS', async () => {
  // .invalid never resolves (RFC 6761); no query leaves the machine for it on a sane resolver.
  await assert.rejects(
    defaultResolver('no-such-host.invalid'),
    (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_PROBE_DNS',
  );
});

test('a spec leaves the port out unless the text names one', () => {
  assert.deepEqual(parseTargetSpec('example.com'), { host: 'example.com' });
  assert.deepEqual(parseTargetSpec('example.com:8443'), { host: 'example.com', port: 8443 });
  assert.deepEqual(parseTargetSpec('[::1]'), { host: '::1' });
  assert.deepEqual(parseTargetSpec('https://example.com/'), { host: 'example.com' });
  assert.throws(() => parseTargetSpec('example.com:'), invalidTarget);
});

test('targets print with IPv6 addresses in brackets', () => {
  assert.equal(formatTarget({ host: '2001:db8::1', port: 443 }), '[2001:db8::1]:443');
  assert.equal(formatTarget({ host: '192.0.2.1', port: 25 }), '192.0.2.1:25');
  assert.equal(formatTarget({ host: 'example.com', port: 443 }), 'example.com:443');
});

test('the address lookup answers every address of a name, and an address as itself', async () => {
  assert.deepEqual(await defaultAddressLookup('192.0.2.1'), ['192.0.2.1']);
  assert.deepEqual(await defaultAddressLookup('2001:db8::1'), ['2001:db8::1']);
  // localhost comes from the hosts file: no query leaves the machine.
  const local = await defaultAddressLookup('localhost');
  assert.ok(
    local.length >= 1 && local.every((a) => a === '127.0.0.1' || a === '::1'),
    local.join(),
  );
  assert.equal(new Set(local).size, local.length);
  assert.equal(await defaultResolver('localhost'), local[0]);
  await assert.rejects(
    defaultAddressLookup('no-such-host.invalid'),
    (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_PROBE_DNS',
  );
});

test('ipVersion answers as net.isIP does, for addresses, names and near misses', () => {
  for (const text of [
    '192.0.2.1',
    '192.0.2.1:443',
    '::1',
    '::',
    '[::1]',
    '2001:db8::1',
    '::ffff:192.0.2.1',
    'fe80::1%eth0',
    'fe80::1%',
    '1:2',
    ':1',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:8:9',
    'example.com',
    'example.com:443',
    '',
    '256.0.0.1',
  ]) {
    assert.equal(ipVersion(text), isIP(text), text);
  }
  const piece = fc.constantFrom(':', '::', '.', '%', '0', '1', 'a', 'f', 'ff', '255', '192', 'g');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
      const text = pieces.join('');
      assert.equal(ipVersion(text), isIP(text), text);
    }),
  );
});
