import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointLabel, endpointName } from './endpoint.ts';

const target = { host: 'db.internal', port: 5433, ip: '10.0.0.5', sni: 'db.internal' };

test('host:port, IPv6 literals bracketed', () => {
  assert.equal(endpointName(target), 'db.internal:5433');
  assert.equal(endpointName({ ...target, host: '::1' }), '[::1]:5433');
});

test('the label names the SNI only when it differs from the host', () => {
  assert.equal(endpointLabel(target), 'db.internal:5433');
  assert.equal(endpointLabel({ ...target, sni: null }), 'db.internal:5433');
  assert.equal(
    endpointLabel({ ...target, sni: 'api.example' }),
    'db.internal:5433 (SNI api.example)',
  );
});
