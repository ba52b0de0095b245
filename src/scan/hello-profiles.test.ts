import assert from 'node:assert/strict';
import test from 'node:test';
import {
  buildClientHello,
  encodeClientHello,
  encodeClientHelloBody,
  parseClientHello,
} from '../wire/client-hello.ts';
import { cipherSuite, suitesForProtocol } from '../wire/registry/cipher-suites.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import { TLS12_EC_GROUPS, TLS13_GROUPS } from '../wire/registry/groups.ts';
import { PROTOCOL_NAMES, type TlsProtocolName } from '../wire/registry/versions.ts';
import { legacyHello, offeredSuites, suiteRank, tls13Hello } from './hello-profiles.ts';

const TLS_VERSIONS = PROTOCOL_NAMES.filter((v): v is TlsProtocolName => v !== 'SSLv2');

test('offeredSuites is suitesForProtocol, strongest first', () => {
  for (const version of TLS_VERSIONS) {
    const offered = offeredSuites(version);
    assert.deepEqual(
      [...offered].sort((a, b) => a - b),
      suitesForProtocol(version)
        .map((s) => s.id)
        .sort((a, b) => a - b),
      version,
    );
    const ranks = offered.map((id) => suiteRank(cipherSuite(id)!));
    for (let i = 1; i < ranks.length; i++) assert.ok(ranks[i - 1]! <= ranks[i]!, version);
  }
  // The first TLS 1.2 offer is a forward-secret AEAD suite, the last a null or anonymous one.
  const tls12 = offeredSuites('TLSv1.2');
  const first = cipherSuite(tls12[0]!)!;
  assert.ok(first.aead && first.forwardSecrecy, first.name);
  assert.equal(suiteRank(cipherSuite(tls12.at(-1)!)!), 9);
});

test('suiteRank: AEAD before CBC, ECDHE before DHE before none, weak ciphers last', () => {
  const rank = (id: number): number => suiteRank(cipherSuite(id)!);
  const strongestFirst = [
    0x1301, // TLS 1.3
    0xc02f, // ECDHE-RSA-AES128-GCM-SHA256
    0x009e, // DHE-RSA-AES128-GCM-SHA256
    0x009c, // AES128-GCM-SHA256 (RSA key exchange)
    0xc013, // ECDHE-RSA-AES128-SHA
    0x0033, // DHE-RSA-AES128-SHA
    0x002f, // AES128-SHA
    0x000a, // DES-CBC3-SHA
    0x0005, // RC4-SHA
    0x0003, // EXP-RC4-MD5
    0x0001, // NULL-MD5
  ];
  for (let i = 1; i < strongestFirst.length; i++) {
    const [a, b] = [strongestFirst[i - 1]!, strongestFirst[i]!];
    assert.ok(rank(a) < rank(b), `${cipherSuite(a)?.name} before ${cipherSuite(b)?.name}`);
  }
  // Anonymous suites rank with NULL ones, however strong their cipher.
  assert.equal(rank(0x00a6), rank(0x0001));
});

test('legacy hellos: TLS 1.2 sends signature_algorithms, older versions do not', () => {
  const tls12 = legacyHello('TLSv1.2', [0xc02f], 'example.com');
  assert.equal(tls12.version, 0x0303);
  assert.deepEqual(tls12.supportedGroups, TLS12_EC_GROUPS);
  assert.ok((tls12.signatureAlgorithms?.length ?? 0) > 0);
  const tls10 = legacyHello('TLSv1.0', [0x002f], 'example.com');
  assert.equal(tls10.version, 0x0301);
  assert.equal(tls10.signatureAlgorithms, undefined);
  const ssl3 = legacyHello('SSLv3', [0x002f], 'example.com');
  assert.deepEqual(ssl3, { version: 0x0300, cipherSuites: [0x002f], noExtensions: true });
});

test('legacy and TLS 1.3 profiles build valid hellos of at least 512 bytes', () => {
  const profiles = [
    ...TLS_VERSIONS.filter((v) => v !== 'TLSv1.3' && v !== 'SSLv3').map((v) =>
      legacyHello(v, offeredSuites(v), 'example.com'),
    ),
    tls13Hello(offeredSuites('TLSv1.3'), TLS13_GROUPS, 'example.com'),
    tls13Hello([0x1301], [0x001d], undefined),
  ];
  for (const options of profiles) {
    const ch = buildClientHello(options);
    assert.ok(encodeClientHello(ch).length >= 512);
    assert.deepEqual(parseClientHello(encodeClientHelloBody(ch)), ch);
  }
});

test('TLS 1.3 profile: legacy version 1.2, supported_versions 1.3, empty key_share', () => {
  const options = tls13Hello([0x1301], [0x001d, 0x0017], 'example.com');
  assert.equal(options.version, 0x0303);
  assert.deepEqual(options.supportedVersions, [0x0304]);
  assert.deepEqual(options.keyShares, []);
  const ch = buildClientHello(options);
  const types = (ch.extensions ?? []).map((e) => e.type);
  assert.ok(types.includes(X.key_share));
  assert.ok(types.includes(X.psk_key_exchange_modes));
  assert.ok(!types.includes(X.renegotiation_info));
  const keyShare = ch.extensions?.find((e) => e.type === X.key_share);
  assert.deepEqual(keyShare?.data, Uint8Array.of(0, 0));
});

test('offeredSuites answers each version with one frozen list, so no scan can reorder it for the next', () => {
  for (const version of ['TLSv1.3', 'TLSv1.2', 'TLSv1.0', 'SSLv3'] as const) {
    const first = offeredSuites(version);
    assert.equal(offeredSuites(version), first);
    assert.ok(Object.isFrozen(first), version);
    assert.throws(() => (first as number[]).reverse(), TypeError);
  }
});
