import assert from 'node:assert/strict';
import test from 'node:test';
import { PROTOCOLS, PROTOCOL_NAMES, protocolName, protocolRank, protocolWire } from './versions.ts';

test('wire values and names map both ways', () => {
  for (const p of PROTOCOLS) {
    assert.equal(protocolWire(p.name), p.wire);
    assert.equal(protocolName(p.wire), p.name);
  }
  assert.equal(protocolWire('TLSv1.2'), 0x0303);
  assert.equal(protocolName(0x0304), 'TLSv1.3');
  assert.equal(protocolName(0x7f1c), undefined);
});

test('ranks order SSLv2 < … < TLSv1.3', () => {
  assert.deepEqual(PROTOCOL_NAMES, ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
  for (let i = 1; i < PROTOCOL_NAMES.length; i++) {
    assert.ok(protocolRank(PROTOCOL_NAMES[i - 1]!) < protocolRank(PROTOCOL_NAMES[i]!));
  }
});

test('an unknown protocol name is a RangeError', () => {
  assert.throws(() => protocolWire('TLSv9' as never), RangeError);
});
