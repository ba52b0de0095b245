import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import test from 'node:test';
import fc from 'fast-check';
import { isWiretightError } from '../../errors.ts';
import { cidrAddresses, cidrSize, formatAddress, looksLikeCidr, parseCidr } from './cidr.ts';

const take = <T>(it: Iterable<T>, n: number): T[] => {
  const out: T[] = [];
  for (const x of it) {
    if (out.length >= n) break;
    out.push(x);
  }
  return out;
};

test('IPv4 blocks skip the network and broadcast addresses, except /31 and /32', () => {
  assert.deepEqual([...cidrAddresses(parseCidr('127.0.0.4/30'))], ['127.0.0.5', '127.0.0.6']);
  assert.deepEqual([...cidrAddresses(parseCidr('10.0.0.0/31'))], ['10.0.0.0', '10.0.0.1']);
  assert.deepEqual([...cidrAddresses(parseCidr('10.0.0.7/32'))], ['10.0.0.7']);
  const block = parseCidr('10.0.0.0/28');
  assert.equal(cidrSize(block), 14n);
  const all = [...cidrAddresses(block)];
  assert.equal(all.length, 14);
  assert.equal(all[0], '10.0.0.1');
  assert.equal(all.at(-1), '10.0.0.14');
});

test('a block crossing octets counts and carries correctly', () => {
  const block = parseCidr('192.168.0.0/23');
  assert.equal(cidrSize(block), 510n);
  const all = [...cidrAddresses(block)];
  assert.equal(all[254], '192.168.0.255');
  assert.equal(all[255], '192.168.1.0');
  assert.equal(all.at(-1), '192.168.1.254');
});

test('IPv6 blocks keep every address and print them as RFC 5952', () => {
  assert.deepEqual(take(cidrAddresses(parseCidr('fd00::/120')), 3), [
    'fd00::',
    'fd00::1',
    'fd00::2',
  ]);
  assert.equal(cidrSize(parseCidr('fd00::/120')), 256n);
  // The longest run of zeros is the one shortened; on a tie, the first.
  assert.deepEqual(
    [...cidrAddresses(parseCidr('[2001:DB8:0:0:1::/127]'))],
    ['2001:db8:0:0:1::', '2001:db8::1:0:0:1'],
  );
  assert.equal(parseCidr('::ffff:10.0.0.0/120').text, '::ffff:a00:0/120');
  assert.equal(parseCidr('::/0').text, '::/0');
  assert.equal(cidrSize(parseCidr('::/0')), 1n << 128n);
  assert.equal(cidrSize(parseCidr('0.0.0.0/0')), (1n << 32n) - 2n);
});

test('expansion is lazy: the first addresses of a /8 come at once', () => {
  const first = take(cidrAddresses(parseCidr('10.0.0.0/8')), 2);
  assert.deepEqual(first, ['10.0.0.1', '10.0.0.2']);
  const v6 = take(cidrAddresses(parseCidr('2001:db8::/32')), 1);
  assert.deepEqual(v6, ['2001:db8::']);
});

test('hostile ranges are WT_ERR_TARGET_INVALID with the reason', () => {
  const cases: [string, RegExp][] = [
    ['1.2.3.4/33', /prefix length must be 0\.\.32/],
    ['fd00::/129', /prefix length must be 0\.\.128/],
    ['999.1.1.1/8', /"999\.1\.1\.1" is not an IPv4 or IPv6 address/],
    ['10.0.0.5/24', /host bits are set \(the block is 10\.0\.0\.0\/24\)/],
    ['fd00::1/64', /host bits are set \(the block is fd00::\/64\)/],
    ['/0', /"" is not an IPv4 or IPv6 address/],
    ['10.0.0.0/', /prefix length/],
    ['10.0.0.0/-1', /prefix length/],
    ['10.0.0.0/+8', /prefix length/],
    ['10.0.0.0/0008', /prefix length/],
    ['10.0.0.0/8/8', /prefix length/],
    ['fe80::%eth0/64', /not an IPv4 or IPv6 address/],
    ['010.0.0.0/8', /not an IPv4 or IPv6 address/],
    ['example.com/24', /not an IPv4 or IPv6 address/],
    ['10.0.0.0', /no \/prefix/],
  ];
  for (const [text, why] of cases) {
    assert.throws(
      () => parseCidr(text),
      (e) => isWiretightError(e) && e.code === 'WT_ERR_TARGET_INVALID' && why.test(e.message),
      text,
    );
  }
});

test('only text with a prefix and no URL scheme is taken for a range', () => {
  assert.equal(looksLikeCidr('10.0.0.0/8'), true);
  assert.equal(looksLikeCidr('fd00::/8'), true);
  assert.equal(looksLikeCidr('https://example.com/path'), false);
  assert.equal(looksLikeCidr('example.com'), false);
});

test('any IPv4 or IPv6 address prints back to what node:net reads as the same address', () => {
  fc.assert(
    fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
      const network = parseCidr(`${ip}/32`).network;
      assert.equal(formatAddress(4, network), ip);
      const hostBits = BigInt(32 - prefix);
      const base = formatAddress(4, (network >> hostBits) << hostBits);
      assert.equal(parseCidr(`${base}/${prefix}`).text, `${base}/${prefix}`);
    }),
  );
  fc.assert(
    fc.property(fc.ipV6(), (ip) => {
      if (ip.includes('%')) return;
      const printed = formatAddress(6, parseCidr(`${ip}/128`).network);
      assert.equal(isIP(printed), 6);
      assert.equal(parseCidr(`${printed}/128`).network, parseCidr(`${ip}/128`).network);
      assert.doesNotMatch(printed, /(^|:)0[0-9a-f]/, 'no leading zeros');
    }),
  );
});

test('any text is a range or a typed error, never anything else', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (text) => {
      try {
        parseCidr(text);
      } catch (e) {
        assert.ok(isWiretightError(e));
      }
    }),
  );
});
