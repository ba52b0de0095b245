import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { decodeServerName, encodeServerName } from './server-name.ts';

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('encodes one host_name entry', () => {
  assert.deepEqual(
    encodeServerName('example.com'),
    fromHex('000e' + '00' + '000b' + Buffer.from('example.com').toString('hex')),
  );
});

test('decode(encode(name)) returns the name', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.domain(), fc.string({ unit: 'binary', minLength: 1, maxLength: 200 })),
      (name) => {
        assert.deepEqual(decodeServerName(encodeServerName(name)), [name]);
      },
    ),
  );
});

test('a leading U+FEFF is kept, not stripped as a byte-order mark (regression)', () => {
  assert.deepEqual(decodeServerName(encodeServerName('\uFEFFexample.com')), ['\uFEFFexample.com']);
});

test("a server's empty acknowledgement decodes to no names", () => {
  assert.deepEqual(decodeServerName(new Uint8Array(0)), []);
});

test('entries of other name types are skipped', () => {
  const data = fromHex('0009' + '01' + '0002aabb' + '00' + '000161');
  assert.deepEqual(decodeServerName(data), ['a']);
});

test('malformed server_name data is a DecodeError', () => {
  for (const hex of [
    '0000', // empty list
    '0003' + '00' + '0000', // empty host_name
    '0004' + '00' + '000161' + 'ff', // trailing byte
    '0005' + '00' + '000161', // list longer than the data
    '00', // truncated length
  ]) {
    assert.throws(() => decodeServerName(fromHex(hex)), decodeError, hex);
  }
});

test('hostile input: random bytes decode or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeServerName(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
