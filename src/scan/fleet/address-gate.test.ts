import assert from 'node:assert/strict';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import { AddressGate } from './address-gate.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('targets of one address take turns; other addresses go at once', async () => {
  const gate = new AddressGate(2);
  const a1 = await gate.enter('10.0.0.1');
  const a2 = await gate.enter('10.0.0.1');
  const b1 = await gate.enter('10.0.0.2');
  let third = false;
  const waiting = gate.enter('10.0.0.1').then((leave) => {
    third = true;
    return leave;
  });
  await sleep(5);
  assert.equal(third, false, 'two in flight is the limit');
  a1();
  a1(); // leaving twice frees one turn only
  const a3 = await waiting;
  assert.equal(third, true);
  let fourth = false;
  void gate.enter('10.0.0.1').then(() => (fourth = true));
  await sleep(5);
  assert.equal(fourth, false, 'a double leave did not open a second turn');
  for (const leave of [a2, a3, b1]) leave();
  await sleep(1);
  assert.equal(fourth, true);
});

test('a wait ends with the signal: the reason is thrown and nothing is held', async () => {
  const gate = new AddressGate(1);
  const leave = await gate.enter('10.0.0.1');
  const controller = new AbortController();
  const waiting = gate.enter('10.0.0.1', controller.signal);
  controller.abort(new WiretightError('WT_ERR_SCAN_DEADLINE', 'the run is over'));
  await assert.rejects(waiting, /the run is over/);
  leave();
  assert.equal(gate.addresses, 0, 'no state for idle addresses');
  await assert.rejects(gate.enter('10.0.0.1', controller.signal), /the run is over/);
  assert.equal(gate.addresses, 0);
  assert.throws(() => new AddressGate(0), RangeError);
});
