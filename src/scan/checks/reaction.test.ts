import assert from 'node:assert/strict';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import { describeNoReaction, describeReaction, reactionAlerts } from './reaction.ts';
import { alertRecord, flightOf, heartbeatRecord, reaction } from './testdata/reactions.ts';

test('a reaction reads as its records, then how it ended', () => {
  assert.equal(describeReaction(reaction('stopped', alertRecord(20))), 'alert bad_record_mac');
  assert.equal(
    describeReaction(reaction('closed', alertRecord(100, 1))),
    'alert no_renegotiation (warning), then connection closed',
  );
  assert.equal(describeReaction(reaction('quiet')), 'silence');
  assert.equal(describeReaction(reaction('reset')), 'connection reset');
  assert.equal(
    describeReaction(reaction('quiet', heartbeatRecord(4, 4))),
    'heartbeat record of 23 bytes, then silence',
  );
  assert.equal(
    describeReaction(
      reaction('stopped', { type: 21, version: 0x0303, fragment: Uint8Array.of(2) }),
    ),
    'a 1-byte alert record',
  );
  assert.equal(
    describeReaction({
      records: [],
      end: 'malformed',
      error: new WiretightError('WT_ERR_WIRE_TOO_LARGE', 'peer sent more than 10 bytes'),
    }),
    'malformed answer (peer sent more than 10 bytes)',
  );
});

test('alerts are parsed from alert records only; a garbled one is left out', () => {
  const alerts = reactionAlerts(
    reaction(
      'closed',
      heartbeatRecord(4, 4),
      { type: 21, version: 0x0303, fragment: Uint8Array.of(2) },
      alertRecord(47),
    ),
  );
  assert.deepEqual(alerts, [{ level: 'fatal', description: 47, name: 'illegal_parameter' }]);
});

test('no reaction: the reason the probe gave, or how the hello was refused', () => {
  const flight = flightOf();
  assert.equal(describeNoReaction({ kind: 'declined', flight, reason: 'why' }), 'why');
  assert.equal(
    describeNoReaction({ kind: 'no-flight', facts: flight.facts, reason: 'because' }),
    'because',
  );
  assert.equal(
    describeNoReaction({
      kind: 'alert',
      alert: { level: 'fatal', description: 40, name: 'handshake_failure' },
    }),
    'the hello got no usable answer: alert handshake_failure',
  );
});
