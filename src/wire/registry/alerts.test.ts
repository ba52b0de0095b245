import assert from 'node:assert/strict';
import test from 'node:test';
import { ALERT_DESCRIPTIONS, alertName } from './alerts.ts';

test('alert names from the registry', () => {
  assert.equal(alertName(0), 'close_notify');
  assert.equal(alertName(40), 'handshake_failure');
  assert.equal(alertName(70), 'protocol_version');
  assert.equal(alertName(112), 'unrecognized_name');
  assert.equal(alertName(120), 'no_application_protocol');
});

test('unknown alert descriptions get a stable label', () => {
  assert.equal(alertName(1), 'unknown_alert_1');
  assert.equal(alertName(255), 'unknown_alert_255');
});

test('names are unique and snake_case', () => {
  const names = Object.values(ALERT_DESCRIPTIONS);
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^[a-z_]+$/);
  for (const id of Object.keys(ALERT_DESCRIPTIONS)) {
    assert.ok(Number(id) >= 0 && Number(id) <= 255);
  }
});
