import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeSupportedGroups, encodeSupportedGroups } from './supported-groups.ts';

test('decode(encode(list)) returns the list', () => {
  assert.deepEqual(
    decodeSupportedGroups(encodeSupportedGroups([0x001d, 0x0017, 0x11ec])),
    [0x001d, 0x0017, 0x11ec],
  );
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }), (values) => {
      assert.deepEqual(decodeSupportedGroups(encodeSupportedGroups(values)), values);
    }),
  );
});

test('errors name the supported_groups extension', () => {
  assert.throws(
    () => decodeSupportedGroups(Uint8Array.of(0, 3, 0, 1, 2)),
    (err: unknown) =>
      err instanceof DecodeError &&
      err.code === 'WT_ERR_WIRE_DECODE' &&
      err.path.startsWith('supported_groups'),
  );
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeSupportedGroups(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
