import assert from 'node:assert/strict';
import test from 'node:test';
import { ByteWriter } from '../../core/bytes.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { encodeServerKeyShare } from '../../wire/extensions/key-share.ts';
import { encodeServerSupportedVersion } from '../../wire/extensions/supported-versions.ts';
import { HANDSHAKE_TYPE } from '../../wire/handshake.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import { TLS12_EC_GROUPS, TLS13_GROUPS } from '../../wire/registry/groups.ts';
import type { Job } from '../job.ts';
import { EcdheCurveCheck, Tls13GroupCheck } from './groups.ts';
import { handshakeFailure, helloOutcome, helloRetry, message } from './testdata/outcomes.ts';

type HelloJob = Extract<Job, { kind: 'tls-hello' }>;

const random = new Uint8Array(32).fill(9);

function hrr(group: number): HelloOutcome {
  return helloOutcome(helloRetry(0x1301, group));
}

function tls13ServerHello(group: number): HelloOutcome {
  return helloOutcome({
    legacyVersion: 0x0303,
    random,
    sessionId: new Uint8Array(32),
    cipherSuite: 0x1301,
    compressionMethod: 0,
    extensions: [
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      { type: X.key_share, data: encodeServerKeyShare({ group, keyExchange: new Uint8Array(32) }) },
    ],
  });
}

function ecdheFlight(version: number, group: number, tls12: boolean): HelloOutcome {
  const w = new ByteWriter().u8(3).u16(group).vectorOf(1, new Uint8Array(65).fill(4));
  if (tls12) w.u16(0x0403);
  w.vectorOf(2, new Uint8Array(70));
  return helloOutcome(
    {
      legacyVersion: version,
      random,
      sessionId: new Uint8Array(0),
      cipherSuite: 0xc02f,
      compressionMethod: 0,
      extensions: [],
    },
    [
      message(HANDSHAKE_TYPE.server_key_exchange, w.finish()),
      message(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0)),
    ],
  );
}

function drive(
  check: Tls13GroupCheck | EcdheCurveCheck,
  answer: (job: HelloJob) => HelloOutcome,
): number[][] {
  const offers: number[][] = [];
  for (let job = check.next(); job !== undefined; job = check.next()) {
    offers.push([...(job.hello.supportedGroups ?? [])]);
    check.absorb(job, answer(job));
    assert.ok(offers.length < 1000, 'the check never stops');
  }
  return offers;
}

/** A server that picks the first group of its own list that the client offered. */
function picker(serverGroups: readonly number[], answer: (g: number) => HelloOutcome) {
  return (job: HelloJob): HelloOutcome => {
    const g = serverGroups.find((x) => job.hello.supportedGroups?.includes(x) === true);
    return g === undefined ? handshakeFailure : answer(g);
  };
}

test('TLS 1.3 groups: each HelloRetryRequest names one group, removed from the next offer', () => {
  const serverGroups = [0x0018, 0x001d, 0x0100];
  const check = new Tls13GroupCheck([0x1301], 'example.com');
  const offers = drive(check, picker(serverGroups, hrr));
  assert.equal(offers.length, 4);
  assert.deepEqual(offers[0], TLS13_GROUPS);
  assert.deepEqual(
    offers[1],
    TLS13_GROUPS.filter((g) => g !== 0x0018),
  );
  assert.deepEqual(
    offers[3],
    TLS13_GROUPS.filter((g) => !serverGroups.includes(g)),
  );
  assert.deepEqual(check.conclude(), { version: 'TLSv1.3', accepted: serverGroups });
});

test('TLS 1.3 groups: jobs offer no key share, TLS 1.3 only, the suites given', () => {
  const job = new Tls13GroupCheck([0x1302, 0x1301], 'example.com').next();
  assert.ok(job !== undefined);
  assert.deepEqual(job.hello.keyShares, []);
  assert.deepEqual(job.hello.supportedVersions, [0x0304]);
  assert.deepEqual(job.hello.cipherSuites, [0x1302, 0x1301]);
  assert.equal(job.until, 'server-hello');
});

test('TLS 1.3 groups: a non-HRR answer stops the enumeration', () => {
  const check = new Tls13GroupCheck([0x1301], undefined);
  const offers = drive(check, () => tls13ServerHello(0x001d));
  assert.equal(offers.length, 1);
  assert.deepEqual(check.conclude().accepted, []);
  // The same after one HRR.
  let n = 0;
  const check2 = new Tls13GroupCheck([0x1301], undefined);
  drive(check2, () => (n++ === 0 ? hrr(0x0017) : tls13ServerHello(0x001d)));
  assert.deepEqual(check2.conclude().accepted, [0x0017]);
});

test('TLS 1.3 groups: a TLS 1.2 answer, an alert or a group not offered stop it', () => {
  const tls12 = helloOutcome({
    legacyVersion: 0x0303,
    random,
    sessionId: new Uint8Array(0),
    cipherSuite: 0xc02f,
    compressionMethod: 0,
    extensions: null,
  });
  for (const answer of [tls12, handshakeFailure, hrr(0x7777)] as const) {
    const check = new Tls13GroupCheck([0x1301], undefined);
    assert.equal(drive(check, () => answer).length, 1);
    assert.deepEqual(check.conclude().accepted, []);
  }
});

test('TLS 1.3 groups: a server accepting every group ends when nothing is left', () => {
  const check = new Tls13GroupCheck([0x1301], undefined);
  const offers = drive(check, (job) => hrr(job.hello.supportedGroups?.[0] as number));
  assert.equal(offers.length, TLS13_GROUPS.length);
  assert.deepEqual(check.conclude().accepted, TLS13_GROUPS);
});

test('ECDHE curves: the ServerKeyExchange names the curve, removed from the next offer', () => {
  const serverGroups = [0x0017, 0x001d];
  const check = new EcdheCurveCheck('TLSv1.2', [0xc02f], 'example.com');
  const offers = drive(
    check,
    picker(serverGroups, (g) => ecdheFlight(0x0303, g, true)),
  );
  assert.equal(offers.length, 3);
  assert.deepEqual(offers[0], TLS12_EC_GROUPS);
  assert.deepEqual(
    offers[1],
    TLS12_EC_GROUPS.filter((g) => g !== 0x0017),
  );
  assert.deepEqual(check.conclude(), { version: 'TLSv1.2', accepted: serverGroups });
});

test('ECDHE curves in TLS 1.0: no signature scheme in the ServerKeyExchange', () => {
  const check = new EcdheCurveCheck('TLSv1.0', [0xc013], undefined);
  const job = check.next();
  assert.equal(job?.hello.version, 0x0301);
  assert.equal(job?.until, 'flight');
  drive(
    check,
    picker([0x0018], (g) => ecdheFlight(0x0301, g, false)),
  );
  assert.deepEqual(check.conclude().accepted, [0x0018]);
});

test('ECDHE curves: no ServerKeyExchange, an unreadable one or another version stop it', () => {
  const noSke = helloOutcome({
    legacyVersion: 0x0303,
    random,
    sessionId: new Uint8Array(0),
    cipherSuite: 0x002f,
    compressionMethod: 0,
    extensions: [],
  });
  const garbled = ecdheFlight(0x0303, 0x0017, true);
  const badSke: HelloOutcome =
    garbled.kind === 'hello'
      ? { ...garbled, messages: [message(HANDSHAKE_TYPE.server_key_exchange, Uint8Array.of(3, 0))] }
      : garbled;
  const explicit: HelloOutcome =
    garbled.kind === 'hello'
      ? {
          ...garbled,
          messages: [message(HANDSHAKE_TYPE.server_key_exchange, Uint8Array.of(1, 9, 9))],
        }
      : garbled;
  const otherVersion = ecdheFlight(0x0302, 0x0017, false);
  for (const answer of [noSke, badSke, explicit, otherVersion, handshakeFailure]) {
    const check = new EcdheCurveCheck('TLSv1.2', [0xc02f], undefined);
    assert.equal(drive(check, () => answer).length, 1);
    assert.deepEqual(check.conclude().accepted, []);
  }
});
