import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import {
  decodeClientSupportedVersions,
  decodeServerSupportedVersion,
  encodeServerSupportedVersion,
  encodeSupportedVersions,
} from './supported-versions.ts';

const u16 = fc.integer({ min: 0, max: 0xffff });
const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('client form: a 1-byte-length list of versions', () => {
  assert.deepEqual(encodeSupportedVersions([0x0304, 0x0303]), fromHex('0403040303'));
  fc.assert(
    fc.property(fc.array(u16, { minLength: 1, maxLength: 127 }), (versions) => {
      assert.deepEqual(decodeClientSupportedVersions(encodeSupportedVersions(versions)), versions);
    }),
  );
});

test('server form: the one selected version', () => {
  assert.deepEqual(encodeServerSupportedVersion(0x0304), fromHex('0304'));
  fc.assert(
    fc.property(u16, (v) => {
      assert.equal(decodeServerSupportedVersion(encodeServerSupportedVersion(v)), v);
    }),
  );
});

test('client form limits: 2..254 bytes, even length, nothing after', () => {
  for (const hex of ['00', '0103', '030304ff', '0403040303ff', '']) {
    assert.throws(() => decodeClientSupportedVersions(fromHex(hex)), decodeError, hex);
  }
  const list255 = Uint8Array.of(255, ...new Uint8Array(255));
  assert.throws(() => decodeClientSupportedVersions(list255), decodeError);
  assert.throws(
    () => encodeSupportedVersions(new Array<number>(128).fill(0x0303)),
    (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_WIRE_ENCODE',
  );
});

test('server form: wrong lengths are DecodeErrors', () => {
  for (const hex of ['', '03', '030400']) {
    assert.throws(() => decodeServerSupportedVersion(fromHex(hex)), decodeError, hex);
  }
});

test('hostile input: random bytes decode or throw a WiretightError, in both forms', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      for (const decode of [decodeClientSupportedVersions, decodeServerSupportedVersion]) {
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
