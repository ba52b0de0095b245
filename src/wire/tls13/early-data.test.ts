import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError } from '../../errors.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';
import {
  decodeTicketEarlyData,
  earlyDataIndication,
  encodeTicketEarlyData,
  hasEarlyDataIndication,
} from './early-data.ts';

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('the ClientHello / EncryptedExtensions form is an empty early_data extension', () => {
  assert.deepEqual(earlyDataIndication(), { type: X.early_data, data: new Uint8Array(0) });
  assert.equal(hasEarlyDataIndication([earlyDataIndication()]), true);
  assert.equal(
    hasEarlyDataIndication([
      { type: X.application_layer_protocol_negotiation, data: fromHex('0000') },
    ]),
    false,
  );
  assert.equal(hasEarlyDataIndication([]), false);
});

test('an indication that carries data is a DecodeError, not a yes', () => {
  assert.throws(
    () => hasEarlyDataIndication([{ type: X.early_data, data: fromHex('00') }]),
    decodeError,
  );
});

test('the NewSessionTicket form: max_early_data_size, a uint32', () => {
  assert.equal(decodeTicketEarlyData(fromHex('00004000')), 16384);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
      assert.equal(decodeTicketEarlyData(encodeTicketEarlyData(n)), n);
    }),
  );
  for (const hex of ['', '000040', '0000400000']) {
    assert.throws(() => decodeTicketEarlyData(fromHex(hex)), decodeError, hex);
  }
});
