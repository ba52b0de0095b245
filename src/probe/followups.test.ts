import assert from 'node:assert/strict';
import test from 'node:test';
import { parseChangeCipherSpec } from '../wire/change-cipher-spec.ts';
import { encodeHeartbeat } from '../wire/extensions/heartbeat.ts';
import { parseHeartbeatMessage } from '../wire/heartbeat.ts';
import { CONTENT_TYPE, RecordDeframer, type TlsRecord } from '../wire/record.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import type { FollowUpPlan } from './followup-exchange.ts';
import { POST_CCS_GARBAGE, planFollowUp } from './followups.ts';
import { flightOf } from './testdata/flights.ts';

function records(bytes: Uint8Array): TlsRecord[] {
  const d = new RecordDeframer();
  d.push(bytes);
  const out: TlsRecord[] = [];
  for (let r = d.next(); r !== undefined; r = d.next()) out.push(r);
  assert.equal(d.buffered, 0, 'whole records only');
  return out;
}

function steps(
  plan: FollowUpPlan,
): NonNullable<Extract<FollowUpPlan, { steps: unknown }>['steps']> {
  assert.ok('steps' in plan, JSON.stringify(plan));
  return plan.steps;
}

const HEARTBEAT = {
  kind: 'heartbeat-request',
  payload: new TextEncoder().encode('0123456789abcdef'),
  claimedLength: 1024,
} as const;

test('heartbeat: declined when the server did not echo the extension', () => {
  const plan = planFollowUp(HEARTBEAT, flightOf(), 0x0302);
  assert.deepEqual(plan, { declined: 'the server did not acknowledge the heartbeat extension' });
});

test('heartbeat: one cleartext record whose message claims more than it carries', () => {
  const flight = flightOf({ extensions: [{ type: X.heartbeat, data: encodeHeartbeat(1) }] });
  const [step, ...more] = steps(planFollowUp(HEARTBEAT, flight, 0x0302));
  assert.equal(more.length, 0);
  assert.equal(step?.stopAtFirstRecord, true);
  const [record] = records(step?.bytes ?? new Uint8Array(0));
  assert.equal(record?.type, CONTENT_TYPE.heartbeat);
  assert.equal(record?.version, 0x0302, 'the negotiated version');
  const message = parseHeartbeatMessage(record?.fragment ?? new Uint8Array(0));
  assert.equal(message.type, 1);
  assert.equal(message.payloadLength, 1024);
  assert.deepEqual(message.payload, HEARTBEAT.payload);
  assert.equal(message.padding.length, 0);
});

test('early CCS: a ChangeCipherSpec, then a record no cleartext reader can take for an alert', () => {
  const [ccs, next, ...more] = steps(planFollowUp({ kind: 'early-ccs' }, flightOf(), 0x0303));
  assert.equal(more.length, 0);
  const [ccsRecord] = records(ccs?.bytes ?? new Uint8Array(0));
  assert.equal(ccsRecord?.type, CONTENT_TYPE.change_cipher_spec);
  assert.equal(ccsRecord?.version, 0x0302);
  parseChangeCipherSpec(ccsRecord?.fragment ?? new Uint8Array(0));
  const [garbage] = records(next?.bytes ?? new Uint8Array(0));
  assert.equal(garbage?.type, CONTENT_TYPE.alert);
  assert.deepEqual(garbage?.fragment, POST_CCS_GARBAGE);
  assert.equal(POST_CCS_GARBAGE.length % 16, 0, 'a whole number of cipher blocks');
  assert.ok(ccs?.stopAtFirstRecord !== true && next?.stopAtFirstRecord !== true);
});
