import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import {
  type OfferedPsks,
  bindersLength,
  decodeOfferedPsks,
  decodeServerPreSharedKey,
  encodeOfferedPsks,
  encodeServerPreSharedKey,
} from './pre-shared-key.ts';

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

const offeredArb: fc.Arbitrary<OfferedPsks> = fc
  .array(
    fc.record(
      {
        identity: fc.uint8Array({ minLength: 1, maxLength: 300 }),
        obfuscatedTicketAge: fc.integer({ min: 0, max: 0xffffffff }),
        binder: fc.uint8Array({ minLength: 32, maxLength: 64 }),
      },
      { noNullPrototype: true },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((entries) => ({
    identities: entries.map(({ identity, obfuscatedTicketAge }) => ({
      identity,
      obfuscatedTicketAge,
    })),
    binders: entries.map((e) => e.binder),
  }));

test('OfferedPsks: identities with their ages, then one binder each, round trip', () => {
  const binder = new Uint8Array(32).fill(0xbb);
  const encoded = encodeOfferedPsks({
    identities: [{ identity: fromHex('aabbcc'), obfuscatedTicketAge: 0x01020304 }],
    binders: [binder],
  });
  assert.equal(toHex(encoded), '0009' + '0003aabbcc' + '01020304' + '0021' + '20' + toHex(binder));
  fc.assert(
    fc.property(offeredArb, (psks) => {
      const bytes = encodeOfferedPsks(psks);
      assert.deepEqual(decodeOfferedPsks(bytes), psks);
      // The binders are exactly the tail that bindersLength says.
      const tail = bindersLength(psks.binders.map((b) => b.length));
      const binders = bytes.subarray(bytes.length - tail);
      assert.equal((binders[0]! << 8) | binders[1]!, tail - 2);
    }),
  );
});

test('OfferedPsks: caller errors are RangeErrors', () => {
  const id = { identity: fromHex('aa'), obfuscatedTicketAge: 0 };
  const binder = new Uint8Array(32);
  assert.throws(() => encodeOfferedPsks({ identities: [], binders: [] }), RangeError);
  assert.throws(() => encodeOfferedPsks({ identities: [id], binders: [] }), RangeError);
  assert.throws(
    () =>
      encodeOfferedPsks({
        identities: [{ ...id, identity: new Uint8Array(0) }],
        binders: [binder],
      }),
    RangeError,
  );
  assert.throws(
    () => encodeOfferedPsks({ identities: [id], binders: [new Uint8Array(31)] }),
    RangeError,
  );
});

test('OfferedPsks: lying lengths, short binders and count mismatches are DecodeErrors', () => {
  const binder = '20' + '00'.repeat(32);
  const cases = [
    '', // nothing
    '0007' + '0001aa' + '00000000', // identities only
    '0007' + '0001aa' + '00000000' + '0021' + '1f' + '00'.repeat(31) + '00', // binder of 31
    '0007' + '0000' + '0000000000' + '0021' + binder, // empty identity
    '000e' + '0001aa00000000' + '0001bb00000000' + '0021' + binder, // 2 ids, 1 binder
    '0007' + '0001aa' + '00000000' + '0021' + binder + '00', // trailing byte
    '0008' + '0001aa' + '00000000' + '0021' + binder, // identities length lies
  ];
  for (const hex of cases) assert.throws(() => decodeOfferedPsks(fromHex(hex)), decodeError, hex);
});

test('ServerHello form: selected_identity', () => {
  assert.equal(decodeServerPreSharedKey(encodeServerPreSharedKey(0)), 0);
  assert.equal(decodeServerPreSharedKey(fromHex('0102')), 0x0102);
  for (const hex of ['', '00', '000000']) {
    assert.throws(() => decodeServerPreSharedKey(fromHex(hex)), decodeError, hex);
  }
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 128 }), (b) => {
      for (const decode of [decodeOfferedPsks, decodeServerPreSharedKey]) {
        try {
          decode(b);
        } catch (err) {
          assert.ok(err instanceof WiretightError, String(err));
        }
      }
    }),
    { numRuns: 2000 },
  );
});
