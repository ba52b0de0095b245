import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { DecodeError, WiretightError } from '../errors.ts';
import {
  ByteQueue,
  ByteReader,
  ByteWriter,
  bytesEqual,
  concatBytes,
  fromHex,
  toHex,
} from './bytes.ts';

/** Runs fn and returns the DecodeError it throws; fails the test if it throws anything else. */
function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DecodeError, `expected a DecodeError, got ${String(err)}`);
    assert.equal(err.code, 'WT_ERR_WIRE_DECODE');
    return err;
  }
  assert.fail('expected a DecodeError, nothing was thrown');
}

test('ByteReader reads big-endian integers and advances', () => {
  const r = new ByteReader(fromHex('01020304050607080910aabbccdd'), 'T');
  assert.equal(r.u8(), 0x01);
  assert.equal(r.u16(), 0x0203);
  assert.equal(r.u24(), 0x040506);
  assert.equal(r.u32(), 0x07080910);
  assert.equal(r.offset, 10);
  assert.equal(r.remaining, 4);
  assert.deepEqual(r.bytes(2), fromHex('aabb'));
  assert.deepEqual(r.rest(), fromHex('ccdd'));
  assert.equal(r.atEnd, true);
  r.expectEnd();
});

test('ByteReader u32 reads values above 2^31 as unsigned', () => {
  assert.equal(new ByteReader(fromHex('ffffffff'), 'T').u32(), 0xffffffff);
  assert.equal(new ByteReader(fromHex('80000000'), 'T').u32(), 0x80000000);
});

test('every ByteReader read is bounds-checked and names path and offset', () => {
  const reads: [string, (r: ByteReader) => unknown, number][] = [
    ['u8', (r) => r.u8(), 1],
    ['u16', (r) => r.u16(), 2],
    ['u24', (r) => r.u24(), 3],
    ['u32', (r) => r.u32(), 4],
    ['bytes', (r) => r.bytes(5), 5],
    ['vector1', (r) => r.vector(1, 'v'), 1],
    ['vector2', (r) => r.vector(2, 'v'), 2],
    ['vector3', (r) => r.vector(3, 'v'), 3],
    ['sub', (r) => r.sub(2, 'inner'), 2],
    ['take', (r) => r.take(5, 'inner'), 5],
  ];
  for (const [name, read, size] of reads) {
    for (let have = 0; have < size; have++) {
      // Two bytes are consumed first, so the failing read starts at offset 2.
      const r = new ByteReader(new Uint8Array(2 + have), 'Outer.thing');
      r.u16();
      const err = decodeError(() => read(r));
      assert.equal(err.path, 'Outer.thing', name);
      assert.equal(err.offset, 2, name);
      // A failed read does not move the cursor.
      assert.equal(r.remaining, have, name);
    }
  }
});

test('a vector whose length runs past the end is a DecodeError, not a short read', () => {
  const r = new ByteReader(fromHex('0005aabb'), 'X');
  const err = decodeError(() => r.vector(2, 'payload'));
  assert.equal(err.offset, 2);
});

test('bytes() returns a view of the input, not a copy', () => {
  const input = fromHex('00112233');
  const view = new ByteReader(input, 'T').bytes(2);
  input[0] = 0x99;
  assert.equal(view[0], 0x99);
});

test('vector min and max are enforced', () => {
  assert.deepEqual(new ByteReader(fromHex('02aabb'), 'T').vector(1, 'v', 2, 2), fromHex('aabb'));
  const short = decodeError(() => new ByteReader(fromHex('01aa'), 'T').vector(1, 'v', 2));
  assert.equal(short.offset, 1);
  const long = decodeError(() => new ByteReader(fromHex('03aabbcc'), 'T').vector(1, 'v', 0, 2));
  assert.equal(long.offset, 1);
  decodeError(() => new ByteReader(fromHex('00'), 'T').sub(1, 's', 1));
  decodeError(() => new ByteReader(fromHex('0003aabbcc'), 'T').sub(2, 's', 0, 2));
});

test('a nested sub() cannot read past its parent even when the inner length lies', () => {
  // Outer vector of 3 bytes: an inner 2-byte length claiming 5 bytes, then one byte. The
  // parent buffer has plenty of bytes after the outer vector; the inner read must not see them.
  const bytes = fromHex('0003' + '0005aa' + 'bbccddeeff00112233');
  const outer = new ByteReader(bytes, 'Msg');
  const inner = outer.sub(2, 'list');
  assert.equal(inner.path, 'Msg.list');
  assert.equal(inner.remaining, 3);
  const err = decodeError(() => inner.vector(2, 'item'));
  assert.equal(err.path, 'Msg.list');
  // Offsets count from the start of the outermost structure.
  assert.equal(err.offset, 4);
  decodeError(() => inner.bytes(4));
  // The parent continues right after the outer vector.
  assert.equal(outer.u8(), 0xbb);
});

test('sub() and take() offsets count from the outermost structure', () => {
  const r = new ByteReader(fromHex('aa' + '0003' + '010203' + '0405'), 'Root');
  r.u8();
  const s = r.sub(2, 'a');
  assert.equal(s.offset, 3);
  s.u16();
  assert.equal(s.offset, 5);
  const t = r.take(2, 'b');
  assert.equal(t.path, 'Root.b');
  assert.equal(t.offset, 6);
  t.u8();
  const err = decodeError(() => t.u16());
  assert.equal(err.offset, 7);
  assert.equal(err.path, 'Root.b');
});

test('deeply nested readers stay within every ancestor', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      // Read nested 1-byte-length scopes until something fails; nothing may escape the input.
      let r = new ByteReader(bytes, 'R');
      let consumed = 0;
      try {
        for (;;) {
          const before = r.offset;
          r = r.sub(1, 's');
          consumed = Math.max(consumed, before + 1 + r.remaining);
        }
      } catch (err) {
        assert.ok(err instanceof DecodeError);
      }
      assert.ok(consumed <= bytes.length);
    }),
  );
});

test('expectEnd rejects trailing bytes with the offset of the first one', () => {
  const r = new ByteReader(fromHex('0102'), 'T');
  r.u8();
  const err = decodeError(() => r.expectEnd());
  assert.equal(err.offset, 1);
});

test('fail() throws a DecodeError at the current offset', () => {
  const r = new ByteReader(fromHex('010203'), 'P.q', 10);
  r.u8();
  const err = decodeError(() => r.fail('bad'));
  assert.equal(err.offset, 11);
  assert.equal(err.path, 'P.q');
  assert.ok(err instanceof WiretightError);
});

test('ByteWriter writes big-endian integers and vectors', () => {
  const out = new ByteWriter(1)
    .u8(1)
    .u16(0x0203)
    .u24(0x040506)
    .u32(0xfffffffe)
    .vectorOf(1, fromHex('aa'))
    .vectorOf(2, fromHex('bbcc'))
    .vectorOf(3, new Uint8Array(0))
    .vector(2, (w) => w.u8(7).vector(1, (x) => x.u16(8)))
    .finish();
  assert.equal(
    toHex(out),
    '01' +
      '0203' +
      '040506' +
      'fffffffe' +
      '01aa' +
      '0002bbcc' +
      '000000' +
      '0004' +
      '07' +
      '020008',
  );
});

test('ByteWriter grows past its initial size', () => {
  const w = new ByteWriter(1);
  const big = new Uint8Array(10_000).fill(7);
  w.bytes(big).u8(1);
  assert.equal(w.length, 10_001);
  const out = w.finish();
  assert.equal(out[9_999], 7);
  assert.equal(out[10_000], 1);
});

test('ByteWriter vector overflow is WT_ERR_WIRE_ENCODE, never a truncated length', () => {
  const cases: [1 | 2 | 3, number][] = [
    [1, 0x100],
    [2, 0x10000],
    [3, 0x1000000],
  ];
  for (const [lengthBytes, size] of cases) {
    // The largest body that fits is accepted.
    const ok = new ByteWriter().vectorOf(lengthBytes, new Uint8Array(size - 1)).finish();
    assert.equal(ok.length, lengthBytes + size - 1);
    assert.throws(
      () => new ByteWriter().vectorOf(lengthBytes, new Uint8Array(size)),
      (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_WIRE_ENCODE',
    );
  }
});

test('ByteWriter integer range errors are RangeError', () => {
  const bad: [string, (w: ByteWriter) => unknown][] = [
    ['u8 256', (w) => w.u8(256)],
    ['u8 -1', (w) => w.u8(-1)],
    ['u8 1.5', (w) => w.u8(1.5)],
    ['u8 NaN', (w) => w.u8(Number.NaN)],
    ['u16 65536', (w) => w.u16(0x10000)],
    ['u16 -1', (w) => w.u16(-1)],
    ['u24 2^24', (w) => w.u24(0x1000000)],
    ['u24 0.5', (w) => w.u24(0.5)],
    ['u32 2^32', (w) => w.u32(0x100000000)],
    ['u32 -1', (w) => w.u32(-1)],
  ];
  for (const [name, write] of bad) {
    assert.throws(() => write(new ByteWriter()), RangeError, name);
  }
});

test('integers round-trip through ByteWriter and ByteReader', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0xff }),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 0xffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.uint8Array({ maxLength: 300 }),
      (a, b, c, d, e) => {
        const bytes = new ByteWriter(4).u8(a).u16(b).u24(c).u32(d).vectorOf(2, e).finish();
        const r = new ByteReader(bytes, 'T');
        assert.equal(r.u8(), a);
        assert.equal(r.u16(), b);
        assert.equal(r.u24(), c);
        assert.equal(r.u32(), d);
        assert.deepEqual(r.vector(2, 'e'), e);
        r.expectEnd();
      },
    ),
  );
});

test('hex helpers', () => {
  assert.equal(toHex(fromHex('00ff10AB')), '00ff10ab');
  assert.equal(toHex(new Uint8Array(0)), '');
  assert.throws(() => fromHex('abc'), TypeError);
  assert.throws(() => fromHex('zz'), TypeError);
  // A view into a larger buffer converts only its own bytes.
  assert.equal(toHex(fromHex('aabbccdd').subarray(1, 3)), 'bbcc');
  fc.assert(
    fc.property(fc.uint8Array(), (b) => {
      assert.deepEqual(fromHex(toHex(b)), b);
    }),
  );
});

test('concatBytes and bytesEqual', () => {
  assert.deepEqual(
    concatBytes([fromHex('01'), new Uint8Array(0), fromHex('0203')]),
    fromHex('010203'),
  );
  assert.deepEqual(concatBytes([]), new Uint8Array(0));
  assert.equal(bytesEqual(fromHex('0102'), fromHex('0102')), true);
  assert.equal(bytesEqual(fromHex('0102'), fromHex('0103')), false);
  assert.equal(bytesEqual(fromHex('0102'), fromHex('010200')), false);
  assert.equal(bytesEqual(new Uint8Array(0), new Uint8Array(0)), true);
});

test('ByteQueue: peek is a view of what is held, take a copy of the front', () => {
  const q = new ByteQueue();
  assert.equal(q.length, 0);
  assert.deepEqual(q.peek(4), new Uint8Array(0));
  q.push(fromHex('0102'));
  q.push(new Uint8Array(0));
  q.push(fromHex('030405'));
  assert.equal(q.length, 5);
  assert.deepEqual(q.peek(3), fromHex('010203'));
  assert.deepEqual(q.peek(99), fromHex('0102030405'));
  const front = q.take(2);
  assert.deepEqual(front, fromHex('0102'));
  q.push(new Uint8Array(5000).fill(9)); // grows, and must not touch what was taken
  assert.deepEqual(front, fromHex('0102'));
  assert.deepEqual(q.take(3), fromHex('030405'));
  assert.equal(q.length, 5000);
  assert.throws(() => q.take(5001), RangeError);
  assert.throws(() => q.take(-1), RangeError);
  assert.deepEqual(q.take(5000), new Uint8Array(5000).fill(9));
  assert.equal(q.length, 0);
});

test('property: ByteQueue behaves as a FIFO of bytes under any pushes and takes', () => {
  const op = fc.oneof(
    fc.record({ push: fc.uint8Array({ maxLength: 3000 }) }),
    fc.record({ take: fc.nat({ max: 4000 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const q = new ByteQueue();
      let model: number[] = [];
      for (const o of ops) {
        if ('push' in o) {
          q.push(o.push);
          model = model.concat(Array.from(o.push));
        } else {
          const n = Math.min(o.take, model.length);
          assert.deepEqual(q.take(n), Uint8Array.from(model.slice(0, n)));
          model = model.slice(n);
        }
        assert.equal(q.length, model.length);
        assert.deepEqual(q.peek(model.length), Uint8Array.from(model));
      }
    }),
    { numRuns: 300 },
  );
});
