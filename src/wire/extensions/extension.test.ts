import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteReader, ByteWriter, fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import {
  type Extension,
  extensionReader,
  findExtension,
  parseExtensions,
  writeExtensions,
} from './extension.ts';

const extensionsArb = fc.uniqueArray(
  fc.record(
    { type: fc.integer({ min: 0, max: 0xffff }), data: fc.uint8Array({ maxLength: 40 }) },
    { noNullPrototype: true },
  ),
  { selector: (e) => e.type, maxLength: 12 },
);

function encode(exts: readonly Extension[]): Uint8Array {
  const w = new ByteWriter();
  writeExtensions(w, exts);
  return w.finish();
}

function parse(bytes: Uint8Array): Extension[] {
  const r = new ByteReader(bytes, 'Hello');
  const out = parseExtensions(r);
  r.expectEnd();
  return out;
}

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

test('writeExtensions writes a 2-byte-length list of type, length, data', () => {
  assert.deepEqual(
    encode([
      { type: 0x0017, data: new Uint8Array(0) },
      { type: 0xff01, data: fromHex('00') },
    ]),
    fromHex('0009' + '00170000' + 'ff01000100'),
  );
  assert.deepEqual(encode([]), fromHex('0000'));
});

test('extensions round-trip, unknown ones byte for byte and in order', () => {
  fc.assert(
    fc.property(extensionsArb, (exts) => {
      assert.deepEqual(parse(encode(exts)), exts);
    }),
  );
});

test('a duplicate extension type is rejected, wherever it appears', () => {
  fc.assert(
    fc.property(extensionsArb, fc.nat(), fc.uint8Array({ maxLength: 4 }), (exts, pick, data) => {
      fc.pre(exts.length > 0);
      const dup = exts[pick % exts.length]!;
      const bytes = encode([...exts, { type: dup.type, data }]);
      assert.throws(
        () => parse(bytes),
        (err: unknown) => decodeError(err) && (err as DecodeError).path === 'Hello.extensions',
      );
    }),
  );
});

test('an extension whose length runs past the block is a DecodeError', () => {
  // Block of 6 bytes; the extension claims 5 bytes of data but only 2 are inside the block.
  assert.throws(() => parse(fromHex('0006' + '00170005' + 'aabb' + 'ccddeeff')), decodeError);
  // A lone type with no length.
  assert.throws(() => parse(fromHex('0002' + '0017')), decodeError);
});

test('findExtension and extensionReader', () => {
  const exts: Extension[] = [
    { type: 10, data: fromHex('0002001d') },
    { type: 11, data: fromHex('0100') },
  ];
  assert.equal(findExtension(exts, 11), exts[1]);
  assert.equal(findExtension(exts, 12), undefined);
  const r = extensionReader(exts[0]!, 'supported_groups');
  assert.equal(r.path, 'supported_groups');
  assert.equal(r.u16(), 2);
});

test('hostile input: random bytes parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        parse(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
