import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { cipherSuiteByHex } from '../../wire/registry/cipher-suites.ts';
import { group } from '../../wire/registry/groups.ts';
import { FINDING_IDS } from '../findings/index.ts';
import { MOZILLA_PROFILES, PROFILE_NAMES, isProfileName, mozillaProfile } from './mozilla.ts';

test('every IANA/OpenSSL suite pair of the data is one registered suite', () => {
  for (const name of PROFILE_NAMES) {
    const data = MOZILLA_PROFILES[name];
    for (const [iana, openssl] of [...data.tls13Suites, ...data.tls12Suites]) {
      const resolved = [...mozillaProfile(name).tls13Suites, ...mozillaProfile(name).tls12Suites];
      const entry = resolved.find((s) => s.iana === iana);
      assert.ok(entry, `${name}: ${iana} resolved`);
      const suite = cipherSuiteByHex(entry.id);
      assert.equal(suite?.name, iana);
      assert.equal(suite?.opensslName, openssl, `${name}: ${iana} is ${openssl} in OpenSSL`);
    }
  }
});

test('TLS 1.3 suites are TLS 1.3 suites and the others are not', () => {
  for (const name of PROFILE_NAMES) {
    const p = mozillaProfile(name);
    for (const s of p.tls13Suites) assert.equal(cipherSuiteByHex(s.id)?.minProtocol, 'TLSv1.3');
    for (const s of p.tls12Suites) assert.notEqual(cipherSuiteByHex(s.id)?.minProtocol, 'TLSv1.3');
  }
});

test('every group of the data is a registered group, Mozilla order kept', () => {
  for (const name of PROFILE_NAMES) {
    const p = mozillaProfile(name);
    assert.deepEqual(
      p.groups.map((g) => g.openssl),
      [...MOZILLA_PROFILES[name].groups],
    );
    for (const g of p.groups) assert.equal(group(g.id)?.name, g.name);
  }
  assert.deepEqual(
    mozillaProfile('intermediate').groups.map((g) => g.name),
    ['X25519MLKEM768', 'x25519', 'secp256r1', 'secp384r1'],
  );
});

test('modern and intermediate come from guidelines 6.0, old from 5.8 (6.0 dropped old)', () => {
  assert.equal(mozillaProfile('modern').guidelines, '6.0');
  assert.equal(mozillaProfile('intermediate').guidelines, '6.0');
  assert.equal(mozillaProfile('old').guidelines, '5.8');
  assert.equal(mozillaProfile('old').source, 'https://ssl-config.mozilla.org/guidelines/5.8.json');
});

test('the numbers of guidelines 6.0 and 5.8', () => {
  const modern = mozillaProfile('modern');
  assert.deepEqual(modern.protocols, ['TLSv1.3']);
  assert.equal(modern.tls12Suites.length, 0);
  assert.equal(modern.dhMinBits, null);
  assert.deepEqual(modern.certificate.types, ['ecdsa']);
  assert.equal(modern.certificate.maxLifetimeDays, 90);

  const intermediate = mozillaProfile('intermediate');
  assert.deepEqual(intermediate.protocols, ['TLSv1.2', 'TLSv1.3']);
  assert.deepEqual(
    intermediate.tls12Suites.map((s) => s.id),
    ['0xc02b', '0xc02f', '0xc02c', '0xc030', '0xcca9', '0xcca8'],
  );
  assert.equal(intermediate.dhMinBits, 2048);
  assert.equal(intermediate.certificate.rsaMinBits, 2048);
  assert.equal(intermediate.certificate.maxLifetimeDays, 366);
  assert.equal(intermediate.serverPreference, false);

  const old = mozillaProfile('old');
  assert.deepEqual(old.protocols, ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
  assert.equal(old.tls12Suites.length, 21);
  assert.equal(old.tls12Suites.at(-1)?.openssl, 'DES-CBC3-SHA');
  assert.ok(
    old.tls12Suites.every((s) => s.kx !== 'DHE'),
    '5.8 removed DHE from old',
  );
  assert.equal(old.dhMinBits, 2048);
  assert.deepEqual(old.certificate.types, ['rsa']);
  assert.equal(old.serverPreference, true);

  for (const name of PROFILE_NAMES) {
    const p = mozillaProfile(name);
    assert.equal(p.hstsMinAge, 63072000);
    assert.equal(p.ocspStapling, true);
    assert.equal(p.ecdhMinBits, 256);
  }
});

test('intermediate suites are all ECDHE with an AEAD cipher', () => {
  for (const s of mozillaProfile('intermediate').tls12Suites) {
    const suite = cipherSuiteByHex(s.id);
    assert.equal(suite?.kx, 'ECDHE');
    assert.equal(suite?.aead, true);
  }
});

test('an unknown profile name is a RangeError', () => {
  assert.throws(() => mozillaProfile('strict'), RangeError);
  assert.equal(isProfileName('modern'), true);
  assert.equal(isProfileName('Modern'), false);
});

test('docs/profiles.md states the data: versions, protocols, groups, suite lists, finding ids', () => {
  const doc = readFileSync(new URL('../../../docs/profiles.md', import.meta.url), 'utf8');
  const cells = (row: string): string[] =>
    row
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  const summaryRow = (label: string): string[] => {
    const row = doc.split('\n').find((l) => cells(l)[0] === label);
    assert.ok(row, `summary row ${label}`);
    return cells(row).slice(1);
  };
  const profiles = PROFILE_NAMES.map((n) => mozillaProfile(n));
  assert.deepEqual(
    summaryRow('guidelines'),
    profiles.map((p) => p.guidelines),
  );
  assert.deepEqual(
    summaryRow('protocols'),
    profiles.map((p) => p.protocols.join(', ')),
  );
  assert.deepEqual(
    summaryRow('groups'),
    profiles.map((p) => p.groups.map((g) => g.openssl).join(', ')),
  );
  for (const p of profiles.filter((x) => x.tls12Suites.length > 0)) {
    const after = doc.split(`### ${p.name}: TLS 1.0–1.2 suites, in order`)[1] ?? '';
    const section = after.split(/\n#{2,3} /)[0] ?? '';
    const rows = section
      .split('\n')
      .filter((l) => l.startsWith('| `0x'))
      .map(cells);
    assert.deepEqual(
      rows,
      p.tls12Suites.map((s) => [`\`${s.id}\``, s.iana, s.openssl]),
      `${p.name} suite table`,
    );
  }
  const documented = [...doc.matchAll(/^\| `(profile\.[a-z-]+)` +\|/gm)].map((m) => m[1]);
  const catalogued = FINDING_IDS.filter((id) => id.startsWith('profile.'));
  assert.deepEqual([...documented].sort(), [...catalogued].sort());
});
