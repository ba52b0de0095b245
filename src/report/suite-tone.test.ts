import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suiteReport } from '../scan/assemble.ts';
import { keyExchangeLabel, suiteTone } from './suite-tone.ts';

const suite = (id: number) => suiteReport({ id }, 'tls');

test('broken suites are bad, weak ones warn, AEAD with forward secrecy is fine', () => {
  assert.equal(suiteTone(suite(0x000a)), 'bad'); // 3DES
  assert.equal(suiteTone(suite(0xc013)), 'warn'); // ECDHE, CBC
  assert.equal(suiteTone(suite(0x009c)), 'warn'); // RSA key exchange, GCM
  assert.equal(suiteTone(suite(0xc02f)), undefined);
  const dhe = { ...suite(0x009e), keyExchange: { type: 'DHE' as const, bits: 1024 } };
  assert.equal(suiteTone(dhe), 'bad');
});

test('key exchange label: what the server used, else the family', () => {
  assert.equal(keyExchangeLabel(suite(0xc02f)), 'ECDHE');
  const seen = { ...suite(0xc02f), keyExchange: { type: 'ECDHE' as const, group: 'x25519' } };
  assert.equal(keyExchangeLabel(seen), 'ECDHE x25519');
  const dhe = { ...suite(0x009e), keyExchange: { type: 'DHE' as const, bits: 2048 } };
  assert.equal(keyExchangeLabel(dhe), 'DHE 2048');
});
