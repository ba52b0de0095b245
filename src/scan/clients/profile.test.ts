import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toHex } from '../../core/bytes.ts';
import { type WiretightError, isWiretightError } from '../../errors.ts';
import { buildClientHello, encodeClientHelloBody } from '../../wire/client-hello.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import { loadClientProfiles } from './load.ts';
import { type ClientProfile, PROFILE_LIMITS, loadProfile, loadProfiles } from './profile.ts';

const file: unknown[] = JSON.parse(
  readFileSync(new URL('./profiles.json', import.meta.url), 'utf8'),
) as unknown[];

const helloHex = toHex(
  encodeClientHelloBody(
    buildClientHello({
      version: 0x0303,
      cipherSuites: [0x1301, 0xc02f],
      serverName: 'example.com',
      supportedGroups: [0x001d, 0x0017],
      supportedVersions: [0x0304, 0x0303],
      keyShares: [{ group: 0x001d, keyExchange: new Uint8Array(32).fill(9) }],
      signatureAlgorithms: [0x0403, 0x0804],
      alpn: ['h2'],
      random: new Uint8Array(32),
    }),
  ),
);

const good: ClientProfile = {
  id: 'example-1.0',
  name: 'Example 1.0',
  family: 'Example',
  hello: helloHex,
  constraints: { minDhBits: 1024, requiresSha2: true },
  source: {
    kind: 'recorded',
    how: 'example --connect',
    program: 'example 1.0',
    recordedOn: '2026-01-02',
  },
};

/** Asserts `data` is refused at load with the profile code and a message matching `what`. */
function refused(data: unknown, what: RegExp): void {
  assert.throws(
    () => loadProfiles(data),
    (err: unknown) => {
      assert.ok(isWiretightError(err), `not a WiretightError: ${String(err)}`);
      assert.equal((err as WiretightError).code, 'WT_ERR_SCAN_CLIENT_PROFILE');
      assert.match((err as WiretightError).message, what);
      return true;
    },
  );
}

test('the shipped profiles load: recorded here and from SSL Labs, distinct ids', () => {
  const loaded = loadProfiles(file);
  const kinds = loaded.map((l) => l.profile.source.kind);
  assert.equal(kinds.filter((k) => k === 'recorded').length, 11);
  assert.equal(kinds.filter((k) => k === 'ssllabs').length, 35);
  assert.equal(new Set(loaded.map((l) => l.profile.id)).size, loaded.length);
  // Recorded ones come first, so reports list the clients of this machine before history.
  assert.deepEqual(
    kinds,
    [...kinds].sort((a, b) => (a === b ? 0 : a === 'recorded' ? -1 : 1)),
  );
});

test('the lazy loader reads the same file once', async () => {
  const first = loadClientProfiles();
  assert.equal(loadClientProfiles(), first);
  assert.deepEqual(
    (await first).map((l) => l.profile.id),
    loadProfiles(file).map((l) => l.profile.id),
  );
});

test('a profile decodes what the replay and the verdicts need', () => {
  const { offers, hello } = loadProfile(good, 0);
  assert.deepEqual(offers.suites, [0x1301, 0xc02f]);
  assert.deepEqual(offers.groups, [0x001d, 0x0017]);
  assert.deepEqual(offers.versions, [0x0304, 0x0303]);
  assert.deepEqual(
    offers.keyShares.map((k) => k.group),
    [0x001d],
  );
  assert.deepEqual(offers.alpn, ['h2']);
  assert.deepEqual(offers.signatureSchemes, [0x0403, 0x0804]);
  assert.equal(hello.legacyVersion, 0x0303);
});

test('hostile profile data is a typed error naming the profile, never a crash', () => {
  const hello = (hex: string): ClientProfile => ({ ...good, hello: hex });
  refused({ profiles: [] }, /must be an array/);
  refused([null], /#0: must be an object/);
  refused([hello('0303zz')], /example-1\.0.*not an even-length hex/);
  refused([hello('030')], /not an even-length hex/);
  // Cut inside the extensions: the declared length runs past the end.
  refused(
    [hello(helloHex.slice(0, -10))],
    /not a valid ClientHello: ClientHello at byte \d+: extensions needs/,
  );
  refused([hello(`${helloHex}00`)], /not a valid ClientHello/);
  refused([hello('0303')], /not a valid ClientHello/);
  refused([hello('ab'.repeat(PROFILE_LIMITS.helloBytes + 1))], /"hello" must be a string/);
  refused([{ ...good, id: 'Has Spaces' }], /"id"/);
  refused([{ ...good, extra: 1 }], /unknown field "extra"/);
  refused([{ ...good, name: '' }], /"name"/);
  refused([{ ...good, family: 7 }], /"family"/);
  refused([{ ...good, source: { ...good.source, kind: 'guessed' } }], /source "kind"/);
  refused([{ ...good, source: { ...good.source, recordedOn: 'yesterday' } }], /recordedOn/);
  refused([{ ...good, source: { ...good.source, secret: 'x' } }], /unknown field "secret"/);
  refused([{ ...good, constraints: { minDhBits: -1 } }], /minDhBits/);
  refused([{ ...good, constraints: { minDhBits: 1.5 } }], /minDhBits/);
  refused([{ ...good, constraints: { requiresSha2: 'yes' } }], /requiresSha2/);
  refused([{ ...good, constraints: { maxKeyBits: 1 } }], /unknown field "maxKeyBits"/);
  refused([good, good], /duplicate id "example-1\.0"/);
  refused(new Array(PROFILE_LIMITS.profiles + 1).fill(good), /over 1000/);
});

test('malformed extensions the replay touches are refused at load', () => {
  const withExtensions = (extraExtensions: { type: number; data: Uint8Array }[]) =>
    toHex(
      encodeClientHelloBody(
        buildClientHello({
          version: 0x0303,
          cipherSuites: [0xc02f],
          random: new Uint8Array(32),
          extraExtensions,
        }),
      ),
    );
  const profile = (exts: { type: number; data: Uint8Array }[]) => [
    { ...good, hello: withExtensions(exts) },
  ];
  // A key share whose entry runs past its list.
  refused(
    profile([{ type: X.key_share, data: Uint8Array.of(0, 6, 0, 0x1d, 0, 32, 1, 2) }]),
    /key_share/,
  );
  refused(profile([{ type: X.server_name, data: Uint8Array.of(0, 9, 0, 0, 9, 1) }]), /server_name/);
  refused(
    profile([{ type: X.supported_groups, data: Uint8Array.of(0, 3, 0, 0x1d, 0) }]),
    /supported_groups/,
  );
  refused(
    profile([{ type: X.supported_versions, data: Uint8Array.of(3, 3, 4, 3) }]),
    /supported_versions/,
  );
  refused(
    profile([
      { type: X.pre_shared_key, data: new Uint8Array(4) },
      { type: X.padding, data: new Uint8Array(2) },
    ]),
    /pre_shared_key is not the last extension/,
  );
  // The same extension twice (RFC 8446 §4.2).
  const pad = { type: X.padding, data: new Uint8Array(1) };
  refused(profile([pad, pad]), /not a valid ClientHello: .*duplicate extension 21/);
});
