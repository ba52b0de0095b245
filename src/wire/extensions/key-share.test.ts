import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import {
  type KeyShareEntry,
  decodeClientKeyShares,
  decodeHelloRetryKeyShare,
  decodeServerKeyShare,
  encodeClientKeyShares,
  encodeServerKeyShare,
} from './key-share.ts';

const entryArb: fc.Arbitrary<KeyShareEntry> = fc.record(
  {
    group: fc.integer({ min: 0, max: 0xffff }),
    keyExchange: fc.uint8Array({ minLength: 1, maxLength: 200 }),
  },
  { noNullPrototype: true },
);
const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('client form: a list of (group, key_exchange)', () => {
  assert.deepEqual(
    encodeClientKeyShares([{ group: 0x001d, keyExchange: fromHex('aabb') }]),
    fromHex('0006' + '001d' + '0002aabb'),
  );
  // An empty list asks the server to pick a group in a HelloRetryRequest.
  assert.deepEqual(encodeClientKeyShares([]), fromHex('0000'));
  assert.deepEqual(decodeClientKeyShares(fromHex('0000')), []);
  fc.assert(
    fc.property(fc.array(entryArb, { maxLength: 5 }), (entries) => {
      assert.deepEqual(decodeClientKeyShares(encodeClientKeyShares(entries)), entries);
    }),
  );
});

test('server form: the one share chosen', () => {
  fc.assert(
    fc.property(entryArb, (entry) => {
      assert.deepEqual(decodeServerKeyShare(encodeServerKeyShare(entry)), entry);
    }),
  );
});

test('HelloRetryRequest form: the selected group only', () => {
  assert.equal(decodeHelloRetryKeyShare(fromHex('0017')), 0x17);
  for (const hex of ['', '00', '001700']) {
    assert.throws(() => decodeHelloRetryKeyShare(fromHex(hex)), decodeError, hex);
  }
});

test('empty keys, lying lengths and trailing bytes are DecodeErrors', () => {
  const client = ['0004' + '001d' + '0000', '0006' + '001d' + '0003aabb', '0000ff', '00'];
  for (const hex of client)
    assert.throws(() => decodeClientKeyShares(fromHex(hex)), decodeError, hex);
  const server = ['001d0000', '001d0003aabb', '001d0001aaff', '001d'];
  for (const hex of server)
    assert.throws(() => decodeServerKeyShare(fromHex(hex)), decodeError, hex);
});

test('hostile input: random bytes decode or throw a WiretightError, in every form', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      for (const decode of [
        decodeClientKeyShares,
        decodeServerKeyShare,
        decodeHelloRetryKeyShare,
      ]) {
        try {
          decode(b);
        } catch (err) {
          assert.ok(err instanceof WiretightError, String(err));
        }
      }
    }),
    { numRuns: 3000 },
  );
});
