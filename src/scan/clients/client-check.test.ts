import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ByteWriter } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { issue, sharedKey } from '../../pki/testdata/certificates.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import type { DecryptedFlight, ReplayOutcome } from '../../probe/tls13-flight-exchange.ts';
import { findExtension } from '../../wire/extensions/extension.ts';
import { decodeClientKeyShares, encodeServerKeyShare } from '../../wire/extensions/key-share.ts';
import { decodeServerName } from '../../wire/extensions/server-name.ts';
import { encodeServerSupportedVersion } from '../../wire/extensions/supported-versions.ts';
import { HANDSHAKE_TYPE } from '../../wire/handshake.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import type { ServerHello } from '../../wire/server-hello.ts';
import {
  alertOutcome,
  helloOutcome,
  helloRetry,
  legacyServerHello,
  message,
} from '../checks/testdata/outcomes.ts';
import type { Check, Job, JobOutcome } from '../job.ts';
import { ClientSimulationCheck, type ClientJob } from './client-check.ts';
import { type LoadedProfile, loadProfiles } from './profile.ts';
import type { HelloMaterial } from './replay.ts';
import { simulateClients } from './simulate.ts';
import { PINNED_MATERIAL as material } from './testdata/material.ts';

const profiles = loadProfiles(
  JSON.parse(readFileSync(new URL('./profiles.json', import.meta.url), 'utf8')),
);

function profile(id: string): LoadedProfile {
  const found = profiles.find((p) => p.profile.id === id);
  assert.ok(found, `no profile ${id}`);
  return found;
}

type Answer = (job: ClientJob) => ReplayOutcome;

/** Runs the check on recorded answers, as the JobRunner would; returns the jobs it asked for. */
function drive(check: ClientSimulationCheck, answer: Answer): ClientJob[] {
  const jobs: ClientJob[] = [];
  for (let job = check.next(); job !== undefined; job = check.next()) {
    jobs.push(job);
    check.absorb(job, answer(job));
    assert.ok(jobs.length <= 2, 'a client never needs more than two connections');
  }
  return jobs;
}

const ca = issue({ cn: 'Test CA', ca: true, key: sharedKey('rsa2048') });
const leaf = issue({ cn: 'www.example.test', key: sharedKey('rsa2048'), issuer: ca });
const sha1Leaf = issue({
  cn: 'www.example.test',
  key: sharedKey('rsa2048'),
  digest: 'sha1',
  issuer: ca,
});

function certificateMessage(...ders: Uint8Array[]) {
  const body = new ByteWriter()
    .vector(3, (w) => {
      for (const der of ders) w.vectorOf(3, der);
    })
    .finish();
  return message(HANDSHAKE_TYPE.certificate, body);
}

/** A TLS 1.2 flight: ServerHello, Certificate, a DHE ServerKeyExchange of `primeBits`, Done. */
function dheFlight(primeBits: number, suite = 0x009e): HelloOutcome {
  const prime = new Uint8Array(primeBits / 8).fill(0xff);
  const ske = new ByteWriter()
    .vectorOf(2, prime)
    .vectorOf(2, Uint8Array.of(2))
    .vectorOf(2, new Uint8Array(primeBits / 8).fill(3))
    .u16(0x0401)
    .vectorOf(2, new Uint8Array(256))
    .finish();
  return helloOutcome(legacyServerHello(0x0303, suite), [
    certificateMessage(leaf.der),
    message(HANDSHAKE_TYPE.server_key_exchange, ske),
    message(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0)),
  ]);
}

function ecdheFlight(group: number, alpn?: string): HelloOutcome {
  const ske = new ByteWriter()
    .u8(3)
    .u16(group)
    .vectorOf(1, new Uint8Array(32).fill(4))
    .u16(0x0401)
    .vectorOf(2, new Uint8Array(256))
    .finish();
  const extensions =
    alpn === undefined
      ? []
      : [
          {
            type: X.application_layer_protocol_negotiation,
            data: new ByteWriter().vector(2, (w) => w.vectorOf(1, Buffer.from(alpn))).finish(),
          },
        ];
  return helloOutcome(legacyServerHello(0x0303, 0xc02f, extensions), [
    certificateMessage(leaf.der),
    message(HANDSHAKE_TYPE.server_key_exchange, ske),
    message(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0)),
  ]);
}

function tls13Hello(group: number, suite = 0x1301): HelloOutcome {
  const sh: ServerHello = {
    legacyVersion: 0x0303,
    random: new Uint8Array(32).fill(9),
    sessionId: new Uint8Array(32),
    cipherSuite: suite,
    compressionMethod: 0,
    extensions: [
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      { type: X.key_share, data: encodeServerKeyShare({ group, keyExchange: new Uint8Array(32) }) },
    ],
  };
  return helloOutcome(sh);
}

/** The decrypted flight of a TLS 1.3 answer: certificate chain, ALPN, CertificateVerify. */
function decryptedFlight(
  chain: readonly Uint8Array[],
  alpn: string | undefined,
  { scheme = 0x0804, complete = true }: { scheme?: number; complete?: boolean } = {},
): DecryptedFlight {
  return {
    complete,
    flight: {
      encryptedExtensions: { extensions: [], ...(alpn === undefined ? {} : { alpn }) },
      certificate: {
        context: new Uint8Array(0),
        entries: chain.map((der) => ({ der, extensions: [] })),
      },
      ...(complete ? { certificateVerify: { scheme, signature: new Uint8Array(256) } } : {}),
      messages: [],
    },
  };
}

/** A TLS 1.3 ServerHello answer whose flight the replay decrypted. */
function withFlight(outcome: HelloOutcome, decrypted: DecryptedFlight): ReplayOutcome {
  if (outcome.kind !== 'hello') throw new TypeError('a flight follows a ServerHello');
  return { ...outcome, decrypted };
}

/** The groups of the hello's key_share entries, GREASE included. */
function sharesOf(job: ClientJob): number[] {
  const data = findExtension(job.hello.extensions ?? [], X.key_share)?.data;
  return data === undefined ? [] : decodeClientKeyShares(data).map((k) => k.group);
}

test('TLS 1.2: one connection reads version, suite, curve, size and ALPN from the flight', () => {
  const check = new ClientSimulationCheck(
    profile('chrome-101-win-10'),
    'www.example.test',
    material,
  );
  const jobs = drive(check, () => ecdheFlight(0x001d, 'h2'));
  assert.equal(jobs.length, 1);
  const job = jobs[0]!;
  assert.equal(job.kind, 'client-replay');
  // The job carries the replayed hello itself, and the key pairs behind its shares.
  const sni = findExtension(job.hello.extensions ?? [], X.server_name);
  assert.deepEqual(decodeServerName(sni!.data), ['www.example.test']);
  const sent = decodeClientKeyShares(findExtension(job.hello.extensions ?? [], X.key_share)!.data);
  assert.deepEqual(
    job.shares.map((k) => ({ group: k.group, keyExchange: k.publicKey })),
    sent.filter((k) => k.group !== 0x3a3a),
  );
  assert.deepEqual(check.conclude(), {
    id: 'chrome-101-win-10',
    name: 'Chrome 101 (Win 10)',
    family: 'Chrome',
    connected: true,
    version: 'TLSv1.2',
    suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    suiteId: '0xc02f',
    group: 'x25519',
    kexBits: 253,
    alpn: 'h2',
  });
});

test('a DH group above the client limit fails it, with what was agreed', () => {
  const java8 = new ClientSimulationCheck(profile('java-8u161'), undefined, material);
  drive(java8, () => dheFlight(4096));
  assert.deepEqual(java8.conclude(), {
    id: 'java-8u161',
    name: 'Java 8u161',
    family: 'Java',
    connected: false,
    version: 'TLSv1.2',
    suite: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
    suiteId: '0x009e',
    kexBits: 4096,
    failure: 'DH 4096 bits, above the 2048 this client accepts',
  });
  const java11 = new ClientSimulationCheck(profile('java-11.0.2-openjdk'), undefined, material);
  drive(java11, () => dheFlight(4096));
  assert.equal(java11.conclude().connected, true);
});

test('no usable ServerHello: the refusal is the failure', () => {
  const cases: [HelloOutcome, string][] = [
    [alertOutcome(40), 'handshake_failure alert'],
    [alertOutcome(70), 'protocol_version alert'],
    [{ kind: 'timeout' }, 'no answer'],
    [{ kind: 'closed' }, 'the server closed the connection'],
    [{ kind: 'reset' }, 'the server reset the connection'],
    [{ kind: 'not-tls', firstBytes: Uint8Array.of(0x48) }, 'the server did not answer in TLS'],
    [
      { kind: 'malformed', error: new DecodeError('ServerHello', 3, 'truncated') },
      'malformed answer (ServerHello at byte 3: truncated)',
    ],
  ];
  for (const [outcome, failure] of cases) {
    const check = new ClientSimulationCheck(profile('ie-6-xp'), 'x.example', material);
    assert.equal(drive(check, () => outcome).length, 1);
    assert.deepEqual(check.conclude(), {
      id: 'ie-6-xp',
      name: 'IE 6 XP',
      family: 'Internet Explorer',
      connected: false,
      failure,
    });
  }
});

test('a flight the client cannot parse fails it', () => {
  const broken = helloOutcome(legacyServerHello(0x0303, 0xc02f), [
    message(HANDSHAKE_TYPE.certificate, Uint8Array.of(0, 0, 9, 1)),
  ]);
  const check = new ClientSimulationCheck(profile('chrome-101-win-10'), undefined, material);
  drive(check, () => broken);
  assert.match(check.conclude().failure ?? '', /^the server's Certificate does not parse/);
});

test('TLS 1.3: one connection, whose answer carries the decrypted flight', () => {
  const sh = tls13Hello(0x001d);
  const check = new ClientSimulationCheck(profile('firefox-100-win-10'), 'x.example', material);
  const jobs = drive(check, () => withFlight(sh, decryptedFlight([leaf.der], 'h2')));
  assert.deepEqual(
    jobs.map((j) => j.kind),
    ['client-replay'],
  );
  // Firefox 100 sends x25519 and secp256r1 shares: the job holds both key pairs.
  assert.deepEqual(sharesOf(jobs[0]!), [0x001d, 0x0017]);
  assert.deepEqual(
    jobs[0]!.shares.map((k) => k.group),
    [0x001d, 0x0017],
  );
  assert.deepEqual(check.conclude(), {
    id: 'firefox-100-win-10',
    name: 'Firefox 100 (Win 10)',
    family: 'Firefox',
    connected: true,
    version: 'TLSv1.3',
    suite: 'TLS_AES_128_GCM_SHA256',
    suiteId: '0x1301',
    group: 'x25519',
    alpn: 'h2',
  });
});

test('TLS 1.3: the certificate in the flight is held to the limits, also when cut short', () => {
  const sh = tls13Hello(0x001d);
  const sha1Chain = [sha1Leaf.der, ca.der];
  for (const complete of [true, false]) {
    const chrome = new ClientSimulationCheck(profile('chrome-101-win-10'), 'x.example', material);
    drive(chrome, () => withFlight(sh, decryptedFlight(sha1Chain, 'h2', { complete })));
    const result = chrome.conclude();
    assert.equal(result.connected, false, `complete: ${complete}`);
    assert.equal(result.failure, 'certificate signed with SHA1, this client requires SHA-2');
  }
  // The server signs its CertificateVerify with a scheme the client never offered.
  const firefox = new ClientSimulationCheck(profile('firefox-100-win-10'), 'x.example', material);
  drive(firefox, () => withFlight(sh, decryptedFlight([leaf.der], 'h2', { scheme: 0x0807 })));
  assert.equal(
    firefox.conclude().failure,
    'the server signs with ed25519, which this client does not offer',
  );
});

test('TLS 1.3: a flight that does not decrypt, or none, leaves the verdict to the ServerHello', () => {
  const sh = tls13Hello(0x001d);
  const error = new WiretightError('WT_ERR_WIRE_DECRYPT', 'record failed authentication');
  const answers: ReplayOutcome[] = [
    withFlight(sh, { ...decryptedFlight([sha1Leaf.der, ca.der], 'h2'), error }),
    sh,
  ];
  for (const answer of answers) {
    const chrome = new ClientSimulationCheck(profile('chrome-101-win-10'), 'x.example', material);
    assert.equal(drive(chrome, () => answer).length, 1);
    const result = chrome.conclude();
    assert.equal(result.connected, true);
    assert.equal(result.version, 'TLSv1.3');
    assert.equal(result.group, 'x25519');
    assert.equal(result.alpn, undefined);
  }
});

test('HelloRetryRequest for a group the client lists: a second hello with one share for it', () => {
  const check = new ClientSimulationCheck(profile('chrome-101-win-10'), 'x.example', material);
  const sh = tls13Hello(0x0018);
  let hellos = 0;
  const jobs = drive(check, () =>
    hellos++ === 0
      ? helloOutcome(helloRetry(0x1301, 0x0018))
      : withFlight(sh, decryptedFlight([leaf.der], 'h2')),
  );
  assert.deepEqual(
    jobs.map((j) => j.kind),
    ['client-replay', 'client-replay'],
  );
  assert.deepEqual(sharesOf(jobs[0]!), [0x3a3a, 0x001d]);
  assert.deepEqual(
    jobs[0]!.shares.map((k) => k.group),
    [0x001d],
  );
  assert.deepEqual(sharesOf(jobs[1]!), [0x0018]);
  assert.deepEqual(
    jobs[1]!.shares.map((k) => k.group),
    [0x0018],
  );
  const result = check.conclude();
  assert.equal(result.connected, true);
  assert.equal(result.group, 'secp384r1');
  assert.equal(result.alpn, 'h2');
  assert.equal(result.helloRetry, true);
});

test('HelloRetryRequests a client would refuse, or cannot answer here', () => {
  const run = (id: string, answers: HelloOutcome[]) => {
    const check = new ClientSimulationCheck(profile(id), 'x.example', material);
    let i = 0;
    const jobs = drive(check, () => answers[Math.min(i++, answers.length - 1)]!);
    return { jobs: jobs.length, result: check.conclude() };
  };
  const hrr = (group: number) => helloOutcome(helloRetry(0x1301, group));
  // secp521r1 is not in Chrome 101's supported_groups.
  assert.deepEqual(
    [run('chrome-101-win-10', [hrr(0x0019)])].map((r) => [r.jobs, r.result.failure]),
    [[1, 'a HelloRetryRequest for secp521r1, which this client does not offer']],
  );
  assert.equal(
    run('chrome-101-win-10', [hrr(0x001d)]).result.failure,
    'a HelloRetryRequest for x25519, a share it already sent',
  );
  assert.equal(
    run('chrome-101-win-10', [hrr(0x0018), hrr(0x0017)]).result.failure,
    'a second HelloRetryRequest',
  );
  // Java 17 lists ffdhe2048; no key for it can be made here, so the retry is taken on trust.
  const ffdhe = run('java-17.0.3-openjdk', [hrr(0x0100)]);
  assert.equal(ffdhe.jobs, 1);
  assert.equal(ffdhe.result.connected, true);
  assert.equal(ffdhe.result.group, 'ffdhe2048');
  assert.equal(ffdhe.result.helloRetry, true);
  // A ServerHello for a group the client sent no share for.
  assert.equal(
    run('chrome-101-win-10', [tls13Hello(0x0017)]).result.failure,
    'the server chose a key share this client did not send',
  );
});

test('a client this runtime cannot replay is skipped, not failed', () => {
  const none: HelloMaterial = { random: material.random, keyShare: () => undefined };
  const check = new ClientSimulationCheck(profile('nodejs-24'), 'x.example', none);
  assert.equal(check.next(), undefined);
  assert.deepEqual(check.conclude(), {
    id: 'nodejs-24',
    name: profile('nodejs-24').profile.name,
    family: 'Node.js',
    connected: false,
    skipped: 'this runtime cannot make a X25519MLKEM768 key share',
  });
  const untried = new ClientSimulationCheck(profile('ie-6-xp'), undefined, material);
  assert.equal(untried.conclude().skipped, 'the scan ended before this client was tried');
});

test('simulateClients drives one check per profile and keeps their order', async () => {
  const chosen = [profile('ie-6-xp'), profile('chrome-101-win-10'), profile('java-8u161')];
  const driver = {
    async drive<J extends Job, F>(check: Check<J, F>): Promise<F> {
      for (let job = check.next(); job !== undefined; job = check.next()) {
        check.absorb(job, ecdheFlight(0x0017) as JobOutcome<J>);
      }
      return check.conclude();
    },
  };
  const facts = await simulateClients(driver, 'x.example', { profiles: chosen, material });
  assert.deepEqual(
    facts.clients.map((c) => [c.id, c.connected, c.failure]),
    [
      ['ie-6-xp', false, 'the server chose TLSv1.2, which this client does not offer'],
      ['chrome-101-win-10', true, undefined],
      ['java-8u161', true, undefined],
    ],
  );
  assert.deepEqual(JSON.parse(JSON.stringify(facts)), facts);
});
