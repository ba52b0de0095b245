import assert from 'node:assert/strict';
import test from 'node:test';
import type { FollowUpOutcome } from '../../probe/followup-exchange.ts';
import { encodeHeartbeat } from '../../wire/extensions/heartbeat.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import type { ActiveCheckInput } from './active-input.ts';
import { HEARTBEAT_CLAIMED_LENGTH, HEARTBEAT_PAYLOAD, HeartbleedCheck } from './heartbleed.ts';
import {
  alertRecord,
  driveCheck,
  flightOf,
  heartbeatRecord,
  reacted,
  reaction,
} from './testdata/reactions.ts';

const INPUT: ActiveCheckInput = {
  sni: 'example.com',
  accepted: { 'TLSv1.3': [0x1301], 'TLSv1.2': [0xc02f, 0x009c], 'TLSv1.0': [0x002f] },
};
const ECHOED = flightOf({
  legacyVersion: 0x0303,
  extensions: [{ type: X.heartbeat, data: encodeHeartbeat(1) }],
});
const SENT = HEARTBEAT_PAYLOAD.length;

function conclude(outcome: FollowUpOutcome, input = INPUT) {
  const check = new HeartbleedCheck(input);
  driveCheck(check, () => outcome);
  return check.conclude();
}

test('one job: the best TLS ≤ 1.2 hello with the heartbeat extension, then an over-long request', () => {
  const check = new HeartbleedCheck(INPUT, 700);
  const job = check.next();
  assert.equal(job?.kind, 'tls-followup');
  assert.equal(job?.hello.version, 0x0303);
  assert.deepEqual(job?.hello.cipherSuites, [0xc02f, 0x009c]);
  assert.equal(job?.hello.heartbeat, true);
  assert.equal(job?.hello.serverName, 'example.com');
  assert.equal(job?.quietMs, 700);
  assert.deepEqual(job?.followUp, {
    kind: 'heartbeat-request',
    payload: HEARTBEAT_PAYLOAD,
    claimedLength: HEARTBEAT_CLAIMED_LENGTH,
  });
  assert.ok(HEARTBEAT_CLAIMED_LENGTH > SENT);
  check.absorb(job as NonNullable<typeof job>, { kind: 'closed' });
  assert.equal(check.next(), undefined);
});

test('an SSLv3-only server is offered the extension too', () => {
  const job = new HeartbleedCheck({ sni: undefined, accepted: { SSLv3: [0x000a] } }).next();
  assert.equal(job?.hello.version, 0x0300);
  assert.equal(job?.hello.heartbeat, true);
  assert.equal(job?.hello.noExtensions, false);
});

test('vulnerable: a response carrying more payload than was sent; only counts are kept', () => {
  const facts = conclude(reacted(ECHOED, reaction('stopped', heartbeatRecord(1024, 1024))));
  assert.equal(facts.verdict, 'vulnerable');
  assert.deepEqual(facts.response, { announced: 1024, carried: 1024 });
  assert.deepEqual(facts.request, { carried: SENT, claimed: HEARTBEAT_CLAIMED_LENGTH });
  assert.match(facts.reason, /1008 bytes of server memory/);
  // The facts hold counts and words, never the leaked bytes (0x41 here).
  assert.deepEqual(Object.keys(facts).sort(), [
    'heartbeatExtension',
    'reason',
    'request',
    'response',
    'verdict',
    'version',
  ]);
  assert.ok(!JSON.stringify(facts).includes('AAAA'));
});

test('a short read still proves the leak when it carries more than was sent', () => {
  const facts = conclude(reacted(ECHOED, reaction('stopped', heartbeatRecord(1024, SENT + 1))));
  assert.equal(facts.verdict, 'vulnerable');
});

test('not vulnerable: no extension, silence, an alert, a close or reset, a correct response', () => {
  const cases: [FollowUpOutcome, RegExp][] = [
    [
      {
        kind: 'declined',
        flight: flightOf(),
        reason: 'the server did not acknowledge the heartbeat extension',
      },
      /did not acknowledge/,
    ],
    [reacted(ECHOED, reaction('quiet')), /ignored it, as RFC 6520 requires/],
    [reacted(ECHOED, reaction('timeout')), /ignored it/],
    [reacted(ECHOED, reaction('stopped', alertRecord(10))), /alert unexpected_message/],
    [reacted(ECHOED, reaction('closed')), /connection closed/],
    [reacted(ECHOED, reaction('reset')), /connection reset/],
    [reacted(ECHOED, reaction('stopped', heartbeatRecord(SENT, SENT))), /no more than were sent/],
  ];
  for (const [outcome, why] of cases) {
    const facts = conclude(outcome);
    assert.equal(facts.verdict, 'not-vulnerable', why.source);
    assert.match(facts.reason, why);
  }
  assert.equal(conclude(cases[0]?.[0] as FollowUpOutcome).heartbeatExtension, false);
});

test('hostile: an absurd announced length, a truncated record, a too-short message, a request back', () => {
  const cases: [FollowUpOutcome, RegExp][] = [
    [
      reacted(ECHOED, reaction('stopped', heartbeatRecord(0xffff, 4))),
      /announces 65535 payload bytes but carries 4/,
    ],
    [reacted(ECHOED, reaction('malformed')), /malformed answer \(record cut short\)/],
    [
      reacted(
        ECHOED,
        reaction('stopped', { type: 24, version: 0x0303, fragment: Uint8Array.of(2, 0) }),
      ),
      /2-byte heartbeat record/,
    ],
    [
      reacted(ECHOED, reaction('stopped', heartbeatRecord(4, 4, 1))),
      /message type 1, not a response/,
    ],
  ];
  for (const [outcome, why] of cases) {
    const facts = conclude(outcome);
    assert.equal(facts.verdict, 'inconclusive', why.source);
    assert.match(facts.reason, why);
  }
});

test('inconclusive when the hello or the flight failed; not applicable without TLS ≤ 1.2', () => {
  for (const outcome of [
    { kind: 'timeout' },
    { kind: 'reset' },
    { kind: 'no-flight', facts: ECHOED.facts, reason: 'the server stopped before ServerHelloDone' },
  ] as FollowUpOutcome[]) {
    assert.equal(conclude(outcome).verdict, 'inconclusive', outcome.kind);
  }
  const only13 = new HeartbleedCheck({ sni: undefined, accepted: { 'TLSv1.3': [0x1301] } });
  assert.equal(only13.next(), undefined);
  assert.equal(only13.conclude().verdict, 'not-applicable');
});
