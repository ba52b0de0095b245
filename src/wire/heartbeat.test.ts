import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../core/bytes.ts';
import { DecodeError } from '../errors.ts';
import {
  HEARTBEAT_MESSAGE_TYPE,
  type HeartbeatMessage,
  encodeHeartbeatMessage,
  parseHeartbeatMessage,
} from './heartbeat.ts';

test('a well-formed request: type, length, payload, then padding', () => {
  const m: HeartbeatMessage = {
    type: HEARTBEAT_MESSAGE_TYPE.heartbeat_request,
    payloadLength: 2,
    payload: fromHex('abcd'),
    padding: new Uint8Array(16).fill(7),
  };
  const bytes = encodeHeartbeatMessage(m);
  assert.deepEqual(bytes.subarray(0, 5), fromHex('010002abcd'));
  assert.equal(bytes.length, 3 + 2 + 16);
  assert.deepEqual(parseHeartbeatMessage(bytes), m);
});

test('a length that claims more than is carried is written and read as such', () => {
  const lying = encodeHeartbeatMessage({
    type: 1,
    payloadLength: 0x4000,
    payload: fromHex('0102'),
    padding: new Uint8Array(0),
  });
  assert.deepEqual(lying, fromHex('0140000102'));
  const parsed = parseHeartbeatMessage(lying);
  assert.equal(parsed.payloadLength, 0x4000);
  assert.deepEqual(parsed.payload, fromHex('0102'));
  assert.equal(parsed.padding.length, 0);
});

test('fewer than three bytes is a DecodeError', () => {
  for (const hex of ['', '02', '0200']) {
    assert.throws(
      () => parseHeartbeatMessage(fromHex(hex)),
      (err: unknown) => err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE',
      hex,
    );
  }
});

test('property: parse(encode(m)) is m when the length tells the truth', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 255 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 40 }),
      (type, payload, padding) => {
        const m = { type, payloadLength: payload.length, payload, padding };
        assert.deepEqual(parseHeartbeatMessage(encodeHeartbeatMessage(m)), m);
      },
    ),
  );
});

test('property: encode(parse(bytes)) returns any fragment of three or more bytes unchanged', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 3, maxLength: 400 }), (bytes) => {
      const m = parseHeartbeatMessage(bytes);
      assert.ok(m.payload.length <= m.payloadLength);
      assert.deepEqual(encodeHeartbeatMessage(m), bytes);
    }),
    { numRuns: 3000 },
  );
});
