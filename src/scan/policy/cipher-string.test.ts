import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import test from 'node:test';
import { promisify } from 'node:util';
import { CIPHER_SUITES, cipherSuiteByHex } from '../../wire/registry/cipher-suites.ts';
import { MAX_CIPHER_ELEMENTS, selectSuites, suiteKey } from './cipher-string.ts';

const run = promisify(execFile);

/** The TLS ≤ 1.2 suites `openssl ciphers` selects for `pattern`, as report ids. */
async function openssl(pattern: string): Promise<Set<string>> {
  // -ciphersuites '' keeps TLS 1.3 suites (configured apart) out of the list; @SECLEVEL=0
  // lets OpenSSL list the weak suites it still knows.
  const { stdout } = await run(
    'openssl',
    ['ciphers', '-V', '-ciphersuites', '', `${pattern}:@SECLEVEL=0`],
    { timeout: 10_000 },
  );
  return new Set(
    [...stdout.matchAll(/0x([0-9A-F]{2}),0x([0-9A-F]{2})/g)].map((m) =>
      `0x${m[1]}${m[2]}`.toLowerCase(),
    ),
  );
}

const selected = (...items: string[]): Set<string> => {
  const s = selectSuites(items);
  assert.deepEqual(s.problems, [], items.join(' '));
  return new Set(s.ids);
};

test('patterns select what `openssl ciphers` selects, among the suites OpenSSL knows', async () => {
  const known = await openssl('ALL:COMPLEMENTOFALL');
  assert.ok(known.size > 50, `openssl knows ${known.size} suites`);
  const patterns = [
    'ECDHE+AESGCM',
    'ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL',
    'HIGH:!aNULL:!MD5',
    'ALL:-AES:AES128',
    'ALL:!AES:AES128',
    'kRSA+AES128:DHE+SHA256',
    'aECDSA+SHA384:+AESGCM:@STRENGTH',
    'CAMELLIA:!DHE',
    'PSK:!kPSK',
    'ADH:AECDH',
    'TLSv1.0',
    'SSLv3+AES',
    'eNULL',
    'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA',
  ];
  for (const pattern of patterns) {
    const ours = [...selected(pattern)].filter((id) => known.has(id)).sort();
    assert.deepEqual(ours, [...(await openssl(pattern))].sort(), pattern);
  }
});

test('keywords reach suites OpenSSL no longer knows: RC4, export, DES, 3DES', () => {
  const names = (ids: Set<string>): string[] =>
    [...ids].map((id) => cipherSuiteByHex(id)?.name ?? id);
  assert.ok(names(selected('RC4')).includes('TLS_RSA_WITH_RC4_128_SHA'));
  assert.ok(names(selected('EXPORT')).includes('TLS_RSA_EXPORT_WITH_RC4_40_MD5'));
  assert.ok(names(selected('MEDIUM')).includes('TLS_RSA_WITH_3DES_EDE_CBC_SHA'));
  assert.ok(names(selected('LOW')).includes('TLS_RSA_WITH_DES_CBC_SHA'));
  assert.ok(!names(selected('HIGH')).includes('TLS_RSA_WITH_3DES_EDE_CBC_SHA'));
  // An SSLv2 spec shares its OpenSSL name with a TLS suite: the name selects both.
  assert.deepEqual([...selected('RC4-MD5')].sort(), ['0x0004', '0x010080']);
});

test('TLS 1.3 suites are selected only by name or by TLSv1.3', () => {
  const tls13 = CIPHER_SUITES.filter((s) => s.minProtocol === 'TLSv1.3').map(suiteKey);
  assert.deepEqual([...selected('TLSv1.3')].sort(), [...tls13].sort());
  for (const word of ['ALL', 'HIGH', 'AESGCM', 'CHACHA20', 'SHA256']) {
    assert.ok(!tls13.some((id) => selected(word).has(id)), word);
  }
  assert.deepEqual([...selected('TLS_AES_128_GCM_SHA256')], ['0x1301']);
});

test('! removes for good, - only until a later element adds back', () => {
  assert.ok(selected('ALL:-AES128-SHA:AES128-SHA').has('0x002f'));
  assert.ok(!selected('ALL:!AES128-SHA:AES128-SHA').has('0x002f'));
  // Items of a list continue one string.
  assert.ok(!selected('HIGH', '!kRSA', 'AES128-SHA').has('0x002f'));
  assert.ok(selected('HIGH', '-kRSA', 'AES128-SHA').has('0x002f'));
});

test('every problem names the element and says why', () => {
  const messages = (...items: string[]) => selectSuites(items).problems.map((p) => p.message);
  assert.deepEqual(messages('ECDHE-RSA-AES128-GCM-SHA25'), [
    '"ECDHE-RSA-AES128-GCM-SHA25" is neither a keyword nor a suite name (did you mean "ECDHE-RSA-AES128-GCM-SHA256"?)',
  ]);
  assert.deepEqual(messages('HIGH', '!aNUL'), [
    '`!aNUL`: "aNUL" is neither a keyword nor a suite name (did you mean "aNULL"?)',
  ]);
  assert.deepEqual(messages('ECDHE+AES128-SHA'), [
    '`ECDHE+AES128-SHA`: "AES128-SHA" is not a keyword; only keywords combine with "+"',
  ]);
  assert.deepEqual(messages('ECDHE+RC2'), ['`ECDHE+RC2` selects no suite']);
  assert.deepEqual(messages('ECDHE++AES'), ['`ECDHE++AES`: an empty word around "+"']);
  assert.deepEqual(messages('HIGH:@SECLEVEL=2'), [
    '`@SECLEVEL=2`: of the @-commands only @STRENGTH is supported (it orders suites, which a policy does not)',
  ]);
  assert.deepEqual(messages('DEFAULT'), [
    '`DEFAULT`: DEFAULT is not supported, as its meaning changes between OpenSSL releases; list keywords or suites',
  ]);
  assert.deepEqual(messages('x'.repeat(200)), ['an element is longer than 128 characters']);
  const problems = selectSuites([
    Array(MAX_CIPHER_ELEMENTS + 1)
      .fill('HIGH')
      .join(':'),
  ]);
  assert.deepEqual(problems.problems, [{ item: 0, message: 'more than 512 elements' }]);
  assert.equal(problems.ids.size, 0);
  assert.deepEqual(selectSuites(['HIGH', 'NOPE']).problems[0]?.item, 1);
});

test('a string of unknown words stops after a bounded number of problems', () => {
  const s = selectSuites([Array(400).fill('NOPE').join(':')]);
  assert.equal(s.problems.length, 20);
  assert.equal(s.ids.size, 0);
});
