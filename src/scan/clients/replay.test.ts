import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bytesEqual } from '../../core/bytes.ts';
import {
  type ClientHello,
  clientHelloLength,
  encodeClientHelloBody,
  parseClientHello,
} from '../../wire/client-hello.ts';
import { findExtension } from '../../wire/extensions/extension.ts';
import { decodeClientKeyShares } from '../../wire/extensions/key-share.ts';
import { decodeServerName } from '../../wire/extensions/server-name.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import { type LoadedProfile, loadProfiles } from './profile.ts';
import { FRESH_MATERIAL, type HelloMaterial, isGrease, replayHello } from './replay.ts';
import { PINNED_MATERIAL } from './testdata/material.ts';

const profiles = loadProfiles(
  JSON.parse(readFileSync(new URL('./profiles.json', import.meta.url), 'utf8')),
);

function profile(id: string): LoadedProfile {
  const found = profiles.find((p) => p.profile.id === id);
  assert.ok(found, `no profile ${id}`);
  return found;
}

function replayed(id: string, sni: string | undefined, material?: HelloMaterial): ClientHello {
  const r = replayHello(profile(id), sni, material);
  assert.equal(r.kind, 'hello');
  // What goes on the wire must parse back: no broken lengths, no duplicate extensions.
  const hello = r.hello;
  assert.deepEqual(parseClientHello(encodeClientHelloBody(hello)), hello);
  return hello;
}

function ext(hello: ClientHello, type: number): Uint8Array | undefined {
  return findExtension(hello.extensions ?? [], type)?.data;
}

function sniOf(hello: ClientHello): string[] | undefined {
  const data = ext(hello, X.server_name);
  return data === undefined ? undefined : decodeServerName(data);
}

const CHANGED: ReadonlySet<number> = new Set([X.server_name, X.key_share, X.padding]);

test('server_name names the target; dropped for none or an IP; never added', () => {
  for (const p of profiles) {
    const recorded = ext(p.hello, X.server_name);
    const hello = replayed(p.profile.id, 'scan.example.org');
    assert.deepEqual(sniOf(hello), recorded === undefined ? undefined : ['scan.example.org']);
    for (const none of [undefined, '', '192.0.2.7', '2001:db8::1']) {
      assert.equal(ext(replayed(p.profile.id, none), X.server_name), undefined, p.profile.id);
    }
  }
  // IE 8 on XP sends no SNI: a target name does not make it send one.
  assert.equal(sniOf(replayed('ie-8-xp', 'scan.example.org')), undefined);
});

test('every other part of the hello is sent as recorded, in order', () => {
  for (const p of profiles) {
    const hello = replayed(p.profile.id, 'a-longer-name-than-recorded.example.org');
    const recorded = p.hello;
    assert.equal(hello.legacyVersion, recorded.legacyVersion);
    assert.deepEqual(hello.cipherSuites, recorded.cipherSuites);
    assert.deepEqual(hello.compressionMethods, recorded.compressionMethods);
    const kept = (recorded.extensions ?? []).filter(
      (e) => e.type !== X.pre_shared_key && e.type !== X.early_data,
    );
    assert.deepEqual(
      (hello.extensions ?? []).map((e) => e.type),
      kept.map((e) => e.type),
      p.profile.id,
    );
    for (const [i, e] of kept.entries()) {
      if (CHANGED.has(e.type)) continue;
      assert.ok(bytesEqual(hello.extensions?.[i]?.data ?? new Uint8Array(1), e.data), p.profile.id);
    }
    assert.equal(hello.extensions === null, recorded.extensions === null);
  }
});

test('random and session id are fresh; an empty session id stays empty', () => {
  const chrome = profile('chrome-101-win-10');
  const a = replayed('chrome-101-win-10', undefined);
  const b = replayed('chrome-101-win-10', undefined);
  assert.equal(a.random.length, 32);
  assert.ok(!bytesEqual(a.random, b.random));
  assert.ok(!bytesEqual(a.random, chrome.hello.random));
  assert.equal(a.sessionId.length, 32);
  assert.ok(!bytesEqual(a.sessionId, chrome.hello.sessionId));
  assert.equal(replayed('ie-11-win-10', undefined).sessionId.length, 0);
});

test('key shares are new key pairs node:crypto accepts, for the same groups; GREASE kept', () => {
  const firefox = profile('firefox-esr-debian12');
  const recorded = firefox.offers.keyShares;
  const shares = decodeClientKeyShares(
    ext(replayed(firefox.profile.id, 'x.example'), X.key_share)!,
  );
  assert.deepEqual(
    shares.map((s) => s.group),
    recorded.map((s) => s.group),
  );
  for (const [i, s] of shares.entries()) {
    assert.ok(
      !bytesEqual(s.keyExchange, recorded[i]!.keyExchange),
      'a new key, not the recorded one',
    );
  }
  const [mlkem, x25519, p256] = shares as [
    (typeof shares)[0],
    (typeof shares)[0],
    (typeof shares)[0],
  ];
  // x25519: 32 bytes that make a shared secret with a key of our own.
  assert.equal(x25519.keyExchange.length, 32);
  const peer = nodeCrypto.createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(x25519.keyExchange).toString('base64url') },
    format: 'jwk',
  });
  const ours = nodeCrypto.generateKeyPairSync('x25519').privateKey;
  assert.equal(nodeCrypto.diffieHellman({ privateKey: ours, publicKey: peer }).length, 32);
  // secp256r1: an uncompressed point on the curve.
  assert.equal(p256.keyExchange.length, 65);
  const ecdh = nodeCrypto.createECDH('prime256v1');
  ecdh.generateKeys();
  assert.equal(ecdh.computeSecret(Buffer.from(p256.keyExchange)).length, 32);
  // X25519MLKEM768: an ML-KEM-768 encapsulation key (first) that encapsulates, then x25519.
  assert.equal(mlkem.keyExchange.length, 1184 + 32);
  const kem = nodeCrypto.createPublicKey({
    key: Buffer.from(mlkem.keyExchange.subarray(0, 1184)),
    format: 'raw-public',
    asymmetricKeyType: 'ml-kem-768',
  });
  assert.equal(nodeCrypto.encapsulate(kem).sharedKey.length, 32);

  // Chrome's GREASE share (one byte) goes out exactly as recorded.
  const chrome = profile('chrome-101-win-10');
  const greased = decodeClientKeyShares(
    ext(replayed(chrome.profile.id, 'x.example'), X.key_share)!,
  );
  const grease = chrome.offers.keyShares.find((k) => isGrease(k.group));
  assert.ok(grease);
  assert.deepEqual(greased[0], grease);
});

test('pre_shared_key and early_data are dropped, binders and all', () => {
  for (const id of ['android-9.0-native', 'safari-12.1-ios-12.2']) {
    assert.ok(ext(profile(id).hello, X.pre_shared_key), `${id} was recorded resuming`);
    const hello = replayed(id, 'x.example');
    assert.equal(ext(hello, X.pre_shared_key), undefined);
    assert.equal(ext(hello, X.early_data), undefined);
  }
});

test('padding is resized so the hello keeps its recorded length', () => {
  const padded = profiles.filter((p) => ext(p.hello, X.padding) !== undefined);
  assert.ok(padded.length >= 5);
  for (const p of padded) {
    const length = clientHelloLength(p.hello);
    for (const sni of ['a.io', 'a-much-longer-name.than-any-recorded.example.org', undefined]) {
      assert.equal(
        clientHelloLength(replayed(p.profile.id, sni)),
        length,
        `${p.profile.id} ${sni}`,
      );
    }
  }
  // A name longer than the padding can absorb: padding shrinks to nothing, nothing else goes.
  const chrome = profile('chrome-101-win-10');
  const huge = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`;
  const hello = replayed(chrome.profile.id, huge);
  assert.equal(ext(hello, X.padding)?.length, 0);
  assert.deepEqual(sniOf(hello), [huge]);
});

test('the shares returned are the key pairs behind the entries sent, private halves kept', () => {
  for (const p of profiles) {
    const r = replayHello(p, 'x.example');
    if (r.kind !== 'hello') continue;
    const sent = decodeClientKeyShares(ext(r.hello, X.key_share) ?? Uint8Array.of(0, 0));
    assert.deepEqual(
      r.shares.map((k) => ({ group: k.group, keyExchange: k.publicKey })),
      sent.filter((k) => !isGrease(k.group)),
      p.profile.id,
    );
  }
  // The x25519 share agrees on a secret with a server's key: it can decrypt a flight.
  const r = replayHello(profile('firefox-100-win-10'), 'x.example');
  assert.equal(r.kind, 'hello');
  const share = r.kind === 'hello' ? r.shares.find((k) => k.group === 0x001d) : undefined;
  assert.ok(share);
  const server = nodeCrypto.generateKeyPairSync('x25519');
  const serverPublic = Buffer.from(server.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const client = nodeCrypto.createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(share.publicKey).toString('base64url') },
    format: 'jwk',
  });
  assert.deepEqual(
    share.sharedSecret(serverPublic),
    new Uint8Array(nodeCrypto.diffieHellman({ privateKey: server.privateKey, publicKey: client })),
  );
});

test('a share this runtime cannot make stops the replay; one group gives one share', () => {
  const none: HelloMaterial = { random: FRESH_MATERIAL.random, keyShare: () => undefined };
  const node24 = profile('nodejs-24');
  assert.deepEqual(replayHello(node24, 'x.example', none), { kind: 'no-key-share', group: 0x11ec });
  // GREASE-only or share-less hellos need no key at all.
  assert.equal(replayHello(profile('ie-11-win-10'), 'x.example', none).kind, 'hello');

  const r = replayHello(profile('java-17.0.3-openjdk'), 'x.example', PINNED_MATERIAL, 0x0018);
  assert.equal(r.kind, 'hello');
  if (r.kind !== 'hello') return;
  assert.deepEqual(decodeClientKeyShares(ext(r.hello, X.key_share)!), [
    { group: 0x0018, keyExchange: new Uint8Array(97).fill(0x18) },
  ]);
  assert.ok(r.hello.random.every((b) => b === 7));
  assert.deepEqual(
    r.shares.map((k) => k.group),
    [0x0018],
  );
});
