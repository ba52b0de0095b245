import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteWriter } from '../../core/bytes.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { HANDSHAKE_TYPE, type HandshakeMessage } from '../../wire/handshake.ts';
import { type TlsProtocolName, protocolWire } from '../../wire/registry/versions.ts';
import { offeredSuites } from '../hello-profiles.ts';
import type { Job } from '../job.ts';
import { CipherSuiteCheck } from './cipher-suites.ts';
import {
  alertOutcome,
  handshakeFailure,
  helloOutcome,
  helloRetry,
  legacyServerHello,
  message,
} from './testdata/outcomes.ts';

type HelloJob = Extract<Job, { kind: 'tls-hello' }>;

/** A scripted server: accepts `accepted` suites, by its own order or by the client's. */
function server(
  version: TlsProtocolName,
  accepted: readonly number[],
  serverOrder: boolean,
  flight: HandshakeMessage[] = [],
): (job: HelloJob) => HelloOutcome {
  return (job) => {
    const offered = job.hello.cipherSuites;
    const pick = serverOrder
      ? accepted.find((s) => offered.includes(s))
      : offered.find((s) => accepted.includes(s));
    if (pick === undefined) return handshakeFailure;
    if (version === 'TLSv1.3') return helloOutcome(helloRetry(pick));
    return helloOutcome(legacyServerHello(protocolWire(version), pick), flight);
  };
}

interface Transcript {
  /** What each job offered, copied when it was planned. */
  readonly offers: number[][];
  readonly jobs: HelloJob[];
}

function drive(check: CipherSuiteCheck, answer: (job: HelloJob) => HelloOutcome): Transcript {
  const offers: number[][] = [];
  const jobs: HelloJob[] = [];
  for (let job = check.next(); job !== undefined; job = check.next()) {
    offers.push([...job.hello.cipherSuites]);
    jobs.push(job);
    check.absorb(job, answer(job));
    assert.ok(jobs.length < 1000, 'the check never stops');
  }
  return { offers, jobs };
}

const OFFER = [0x1301, 0xc02c, 0xc02f, 0xc030, 0x009c, 0x002f, 0x0035, 0x000a];

test('enumeration removes the chosen suite each time and stops on an alert', () => {
  const accepted = [0xc030, 0xc02f, 0x002f];
  const check = new CipherSuiteCheck('TLSv1.2', 'example.com', OFFER);
  const { offers } = drive(check, server('TLSv1.2', accepted, true));
  // 3 accepted + 1 refused + 1 preference probe.
  assert.equal(offers.length, 5);
  assert.deepEqual(offers[0], OFFER);
  assert.deepEqual(
    offers[1],
    OFFER.filter((s) => s !== 0xc030),
  );
  assert.deepEqual(
    offers[2],
    OFFER.filter((s) => s !== 0xc030 && s !== 0xc02f),
  );
  assert.deepEqual(
    offers[3],
    OFFER.filter((s) => !accepted.includes(s)),
  );
  const facts = check.conclude();
  assert.equal(facts.supported, true);
  assert.deepEqual(
    facts.accepted.map((s) => s.id),
    accepted,
  );
  assert.equal(facts.refusal, undefined);
  assert.deepEqual(facts.anomalies, []);
});

test('one connection per accepted suite plus one, then the preference probe', () => {
  fc.assert(
    fc.property(fc.subarray(OFFER), fc.boolean(), (acceptedSet, serverOrder) => {
      const accepted = serverOrder ? [...acceptedSet].reverse() : acceptedSet;
      const check = new CipherSuiteCheck('TLSv1.2', undefined, OFFER);
      const { offers } = drive(check, server('TLSv1.2', accepted, serverOrder));
      const n = accepted.length;
      // Enumeration: n accepting hellos and one refused one, unless nothing was left to offer.
      const enumeration = n === OFFER.length ? n : n + 1;
      assert.equal(offers.length, enumeration + (n >= 2 ? 1 : 0));
      const facts = check.conclude();
      assert.equal(facts.supported, n > 0);
      assert.deepEqual(new Set(facts.accepted.map((s) => s.id)), new Set(accepted));
      assert.equal(facts.serverPreference, n >= 2 ? serverOrder : undefined);
    }),
  );
});

test('the preference probe offers the accepted suites reversed', () => {
  const check = new CipherSuiteCheck('TLSv1.2', undefined, OFFER);
  const { offers } = drive(check, server('TLSv1.2', [0xc02f, 0x009c, 0x000a], true));
  assert.deepEqual(offers.at(-1), [0x000a, 0x009c, 0xc02f]);
});

test('serverPreference is true when the server picks its first suite again', () => {
  const check = new CipherSuiteCheck('TLSv1.2', undefined, OFFER);
  drive(check, server('TLSv1.2', [0x002f, 0xc02f], true));
  const facts = check.conclude();
  // By its own order the server chose 0x002f first, even though the client listed 0xc02f first.
  assert.deepEqual(
    facts.accepted.map((s) => s.id),
    [0x002f, 0xc02f],
  );
  assert.equal(facts.serverPreference, true);
});

test('serverPreference is false when the server follows the client order', () => {
  const check = new CipherSuiteCheck('TLSv1.2', undefined, OFFER);
  drive(check, server('TLSv1.2', [0x002f, 0xc02f], false));
  const facts = check.conclude();
  assert.deepEqual(
    facts.accepted.map((s) => s.id),
    [0xc02f, 0x002f],
  );
  assert.equal(facts.serverPreference, false);
});

test('serverPreference stays undefined when the order probe gets no answer (regression)', () => {
  const check = new CipherSuiteCheck('TLSv1.2', undefined, OFFER);
  const answer = server('TLSv1.2', [0x002f, 0xc02f], true);
  let probes = 0;
  drive(check, (job) => {
    const reversedProbe =
      job.hello.cipherSuites.length === 2 && job.hello.cipherSuites[0] === 0xc02f;
    if (reversedProbe) probes++;
    return reversedProbe ? { kind: 'timeout' } : answer(job);
  });
  assert.equal(probes, 1);
  assert.equal(check.conclude().serverPreference, undefined);
});

test('a single accepted suite needs no preference probe', () => {
  const check = new CipherSuiteCheck('TLSv1.2', undefined, OFFER);
  const { offers } = drive(check, server('TLSv1.2', [0x009c], true));
  assert.equal(offers.length, 2);
  assert.equal(check.conclude().serverPreference, undefined);
});

test('a server choosing a suite that was not offered is an anomaly and ends enumeration', () => {
  const check = new CipherSuiteCheck('TLSv1.2', undefined, OFFER);
  let calls = 0;
  const { offers } = drive(check, (job) => {
    calls++;
    // First an honest answer, then a suite nobody offered.
    const suite = calls === 1 ? (job.hello.cipherSuites[0] as number) : 0xcca8;
    return helloOutcome(legacyServerHello(0x0303, suite));
  });
  assert.equal(offers.length, 2);
  const facts = check.conclude();
  assert.deepEqual(
    facts.accepted.map((s) => s.id),
    [0x1301],
  );
  assert.equal(facts.anomalies.length, 1);
  assert.match(facts.anomalies[0] ?? '', /0xcca8/);
});

test('a ServerHello of a different version means the version is unsupported', () => {
  const check = new CipherSuiteCheck('TLSv1.0', undefined, [0x002f, 0x000a]);
  const { offers } = drive(check, (job) =>
    helloOutcome(legacyServerHello(0x0303, job.hello.cipherSuites[0] as number)),
  );
  assert.equal(offers.length, 1);
  const facts = check.conclude();
  assert.equal(facts.supported, false);
  assert.deepEqual(facts.accepted, []);
  assert.equal(facts.refusal, 'server answered with TLSv1.2');
});

test('a refused version records how the server refused', () => {
  const cases: [HelloOutcome, string][] = [
    [handshakeFailure, 'alert handshake_failure'],
    [{ kind: 'closed' }, 'closed'],
    [{ kind: 'reset' }, 'reset'],
    [{ kind: 'timeout' }, 'timeout'],
  ];
  for (const [outcome, refusal] of cases) {
    const check = new CipherSuiteCheck('TLSv1.1', undefined, OFFER);
    assert.equal(drive(check, () => outcome).offers.length, 1);
    const facts = check.conclude();
    assert.equal(facts.supported, false);
    assert.equal(facts.refusal, refusal);
    assert.equal(facts.serverPreference, undefined);
  }
});

test('the flight is read: chain, key exchange and certificate request', () => {
  const cert = new Uint8Array(40).fill(0x30);
  const certificate = message(
    HANDSHAKE_TYPE.certificate,
    new ByteWriter().vector(3, (w) => w.vectorOf(3, cert)).finish(),
  );
  const ske = message(
    HANDSHAKE_TYPE.server_key_exchange,
    new ByteWriter()
      .u8(3)
      .u16(0x001d)
      .vectorOf(1, new Uint8Array(32).fill(1))
      .u16(0x0804)
      .vectorOf(2, new Uint8Array(8))
      .finish(),
  );
  const request = message(
    HANDSHAKE_TYPE.certificate_request,
    Uint8Array.of(1, 1, 0, 2, 4, 1, 0, 0),
  );
  const done = message(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0));
  const check = new CipherSuiteCheck('TLSv1.2', undefined, [0xc02f, 0xc030]);
  drive(check, server('TLSv1.2', [0xc02f, 0xc030], true, [certificate, ske, request, done]));
  const facts = check.conclude();
  assert.deepEqual(facts.accepted[0], {
    id: 0xc02f,
    keyExchange: { kind: 'ecdhe', group: 0x001d, publicKeyLength: 32, signatureScheme: 0x0804 },
  });
  // The same chain in every handshake is kept once.
  assert.deepEqual(facts.chains, [[cert]]);
  assert.equal(facts.certificateRequested, true);
  assert.deepEqual(facts.anomalies, []);
});

test('an unreadable flight message is an anomaly, not a crash', () => {
  const badCertificate = message(HANDSHAKE_TYPE.certificate, Uint8Array.of(0, 0, 9, 1));
  const check = new CipherSuiteCheck('TLSv1.2', undefined, [0xc02f]);
  drive(check, server('TLSv1.2', [0xc02f], true, [badCertificate]));
  const facts = check.conclude();
  assert.deepEqual(
    facts.accepted.map((s) => s.id),
    [0xc02f],
  );
  assert.equal(facts.anomalies.length, 1);
  assert.match(facts.anomalies[0] ?? '', /handshake message 11/);
});

test('TLS 1.3: hellos carry supported_versions and the answer is a HelloRetryRequest', () => {
  const check = new CipherSuiteCheck('TLSv1.3', 'example.com');
  const { jobs, offers } = drive(check, server('TLSv1.3', [0x1302, 0x1301], true));
  assert.deepEqual(offers[0], offeredSuites('TLSv1.3'));
  for (const job of jobs) {
    assert.equal(job.until, 'server-hello');
    assert.equal(job.hello.version, 0x0303);
    assert.deepEqual(job.hello.supportedVersions, [0x0304]);
    assert.equal(job.hello.serverName, 'example.com');
  }
  const facts = check.conclude();
  assert.equal(facts.version, 'TLSv1.3');
  assert.deepEqual(
    facts.accepted.map((s) => s.id),
    [0x1302, 0x1301],
  );
  assert.equal(facts.serverPreference, true);
});

test('legacy versions read the whole flight; SSLv3 sends no extensions', () => {
  const tls10 = new CipherSuiteCheck('TLSv1.0', 'example.com').next();
  assert.equal(tls10?.until, 'flight');
  assert.equal(tls10?.hello.version, 0x0301);
  assert.equal(tls10?.hello.serverName, 'example.com');
  assert.deepEqual(tls10?.hello.cipherSuites, offeredSuites('TLSv1.0'));
  const ssl3 = new CipherSuiteCheck('SSLv3', 'example.com').next();
  assert.equal(ssl3?.hello.version, 0x0300);
  assert.equal(ssl3?.hello.noExtensions, true);
});

test('a server whose DHE suites fail: one hello without DHE finds the suites it does serve', () => {
  // Server order puts DHE first, but the server has no DH parameters: picking DHE fails
  // the handshake, so every hello still offering DHE is refused.
  const offer = [0x009e, 0xc02f, 0x0033, 0x002f, 0x000a];
  const answer = (job: HelloJob): HelloOutcome => {
    const offered = job.hello.cipherSuites;
    const pick = [0x009e, 0x0033, 0xc02f, 0x002f].find((s) => offered.includes(s));
    if (pick === undefined || pick === 0x009e || pick === 0x0033) return handshakeFailure;
    return helloOutcome(legacyServerHello(protocolWire('TLSv1.2'), pick));
  };
  const check = new CipherSuiteCheck('TLSv1.2', undefined, offer);
  const { offers } = drive(check, answer);
  assert.deepEqual(offers[1], [0xc02f, 0x002f, 0x000a], 'the retry drops the DHE suites');
  const facts = check.conclude();
  assert.deepEqual(
    facts.accepted.map((s) => s.id),
    [0xc02f, 0x002f],
  );
  assert.match(facts.anomalies[0] ?? '', /DHE suites fail/);
  // The facts do not change when read twice.
  assert.deepEqual(check.conclude().anomalies, facts.anomalies);
});

test('a healthy server costs one more hello when DHE suites are left in the last offer', () => {
  const offer = [0xc02f, 0x009e, 0x002f];
  const check = new CipherSuiteCheck('TLSv1.2', undefined, offer);
  const { offers } = drive(check, server('TLSv1.2', [0xc02f], true));
  // accepted, refused (DHE still offered), refused without DHE; one suite: no order probe.
  assert.equal(offers.length, 3);
  assert.deepEqual(offers[2], [0x002f]);
  assert.deepEqual(check.conclude().anomalies, []);
});

test('a version refusal (protocol_version) is not retried', () => {
  const check = new CipherSuiteCheck('TLSv1.1', undefined, [0x0033, 0x002f]);
  const { offers } = drive(check, () => alertOutcome(70));
  assert.equal(offers.length, 1);
});
