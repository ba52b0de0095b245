import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { concatBytes, fromHex } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import {
  CONTENT_TYPE,
  MAX_PLAINTEXT_FRAGMENT,
  MAX_RECORD_FRAGMENT,
  RecordDeframer,
  type TlsRecord,
  encodeRecords,
} from './record.ts';

const hasCode =
  (code: string) =>
  (err: unknown): boolean =>
    err instanceof WiretightError && err.code === code;

const contentType = fc.constantFrom(...Object.values(CONTENT_TYPE));
const recordArb = fc.record(
  {
    type: contentType,
    version: fc.integer({ min: 0x0300, max: 0x03ff }),
    fragment: fc.uint8Array({ maxLength: 300 }),
  },
  { noNullPrototype: true },
);

function encodeRecord(r: TlsRecord): Uint8Array {
  return encodeRecords(r.type, r.version, r.fragment);
}

/** Splits `bytes` at the given (sorted, deduplicated) cut points. */
function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

function drain(d: RecordDeframer): TlsRecord[] {
  const out: TlsRecord[] = [];
  for (let r = d.next(); r !== undefined; r = d.next()) {
    out.push({ type: r.type, version: r.version, fragment: r.fragment.slice() });
  }
  return out;
}

test('encodeRecords writes the 5-byte header', () => {
  assert.deepEqual(encodeRecords(22, 0x0301, fromHex('0102')), fromHex('16030100020102'));
  // An empty payload is still one (empty) record.
  assert.deepEqual(encodeRecords(21, 0x0303, new Uint8Array(0)), fromHex('1503030000'));
});

test('encodeRecords splits payloads larger than 2^14', () => {
  for (const size of [
    MAX_PLAINTEXT_FRAGMENT,
    MAX_PLAINTEXT_FRAGMENT + 1,
    3 * MAX_PLAINTEXT_FRAGMENT + 7,
  ]) {
    const payload = new Uint8Array(size).map((_, i) => i & 0xff);
    const bytes = encodeRecords(22, 0x0303, payload);
    const d = new RecordDeframer();
    d.push(bytes);
    const records = drain(d);
    assert.equal(records.length, Math.ceil(size / MAX_PLAINTEXT_FRAGMENT));
    for (const r of records) {
      assert.ok(r.fragment.length <= MAX_PLAINTEXT_FRAGMENT);
      assert.equal(r.type, 22);
      assert.equal(r.version, 0x0303);
    }
    assert.deepEqual(concatBytes(records.map((r) => r.fragment)), payload);
    assert.equal(d.buffered, 0);
    assert.equal(d.consumed, bytes.length);
  }
});

test('a record stream split at random points yields the same records', () => {
  fc.assert(
    fc.property(
      fc.array(recordArb, { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      (records, cuts) => {
        const stream = concatBytes(records.map(encodeRecord));
        const d = new RecordDeframer();
        const got: TlsRecord[] = [];
        for (const piece of splitAt(stream, cuts)) {
          d.push(piece);
          got.push(...drain(d));
        }
        assert.deepEqual(got, records);
        assert.equal(d.buffered, 0);
        assert.equal(d.consumed, stream.length);
      },
    ),
    { numRuns: 500 },
  );
});

test('an incomplete record is held back until its last byte arrives', () => {
  const bytes = encodeRecords(22, 0x0303, fromHex('aabbcc'));
  const d = new RecordDeframer();
  for (let i = 0; i < bytes.length - 1; i++) {
    d.push(bytes.subarray(i, i + 1));
    assert.equal(d.next(), undefined);
  }
  d.push(bytes.subarray(bytes.length - 1));
  assert.deepEqual(d.next()?.fragment, fromHex('aabbcc'));
  assert.equal(d.next(), undefined);
});

test('a non-TLS first byte is rejected at once, before 5 bytes arrive', () => {
  for (const first of ['H', 'S', '\x00', '\x13', '\x19', '\x80']) {
    const d = new RecordDeframer();
    d.push(new TextEncoder().encode(first));
    assert.throws(
      () => d.next(),
      (err: unknown) => hasCode('WT_ERR_WIRE_DECODE')(err),
      JSON.stringify(first),
    );
  }
  // HTTP: the very first chunk of an HTTP answer is enough.
  const d = new RecordDeframer();
  d.push(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n'));
  assert.throws(() => d.next(), hasCode('WT_ERR_WIRE_DECODE'));
});

test('a record version major other than 3 is rejected with 2 bytes in', () => {
  for (const major of [0, 2, 4, 0xff]) {
    const d = new RecordDeframer();
    d.push(Uint8Array.of(22, major));
    assert.throws(() => d.next(), hasCode('WT_ERR_WIRE_DECODE'), String(major));
  }
  const ok = new RecordDeframer();
  ok.push(Uint8Array.of(22, 3));
  assert.equal(ok.next(), undefined);
});

test('a length above 2^14+2048 is WT_ERR_WIRE_TOO_LARGE as soon as the header is in', () => {
  const header = (len: number): Uint8Array => Uint8Array.of(23, 3, 3, len >> 8, len & 0xff);
  const d = new RecordDeframer();
  d.push(header(MAX_RECORD_FRAGMENT + 1));
  assert.throws(() => d.next(), hasCode('WT_ERR_WIRE_TOO_LARGE'));
  const max = new RecordDeframer();
  max.push(header(0xffff));
  assert.throws(() => max.next(), hasCode('WT_ERR_WIRE_TOO_LARGE'));
  // The largest legal length just waits for the body.
  const legal = new RecordDeframer();
  legal.push(header(MAX_RECORD_FRAGMENT));
  assert.equal(legal.next(), undefined);
  legal.push(new Uint8Array(MAX_RECORD_FRAGMENT));
  assert.equal(legal.next()?.fragment.length, MAX_RECORD_FRAGMENT);
});

test('a bad header after good records is reported with its stream offset', () => {
  const good = encodeRecords(22, 0x0303, fromHex('01'));
  const d = new RecordDeframer();
  d.push(concatBytes([good, fromHex('48545450')]));
  assert.equal(d.next()?.type, 22);
  assert.throws(
    () => d.next(),
    (err: unknown) =>
      hasCode('WT_ERR_WIRE_DECODE')(err) && (err as { offset?: number }).offset === good.length,
  );
});

test('arbitrary bytes either deframe or fail with a WiretightError', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 64 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      (b, cuts) => {
        const d = new RecordDeframer();
        try {
          for (const piece of splitAt(b, cuts)) {
            d.push(piece);
            drain(d);
          }
        } catch (err) {
          assert.ok(err instanceof WiretightError, String(err));
        }
      },
    ),
    { numRuns: 3000 },
  );
});

test('fragments are copies: bytes pushed later do not change a record already returned', () => {
  const d = new RecordDeframer();
  d.push(encodeRecords(22, 0x0303, fromHex('aabbcc')));
  const first = d.next();
  d.push(encodeRecords(22, 0x0303, fromHex('ddeeff')));
  assert.deepEqual(d.next()?.fragment, fromHex('ddeeff'));
  assert.deepEqual(first?.fragment, fromHex('aabbcc'));
});

test('regression: 256 KiB dribbled one byte at a time takes linear, not quadratic, time', () => {
  // A hostile peer sending 1-byte TCP segments: concatenating on every push re-copied the
  // pending record each time (~2 GB for these 16 KiB records, over a second); the growable
  // buffer copies each byte a bounded number of times.
  const payload = new Uint8Array(256 * 1024).map((_, i) => i & 0xff);
  const stream = encodeRecords(22, 0x0303, payload);
  const d = new RecordDeframer();
  const got: Uint8Array[] = [];
  const started = performance.now();
  for (let i = 0; i < stream.length; i++) {
    d.push(stream.subarray(i, i + 1));
    for (let r = d.next(); r !== undefined; r = d.next()) got.push(r.fragment);
  }
  const elapsed = performance.now() - started;
  assert.deepEqual(concatBytes(got), payload);
  assert.equal(d.buffered, 0);
  assert.equal(d.consumed, stream.length);
  assert.ok(elapsed < 1500, `took ${Math.round(elapsed)} ms`);
});

test('regression: 256 KiB pushed a byte at a time without draining is still linear', () => {
  // A caller may push many chunks before asking for records: concatenating then re-copied
  // everything held on every push (~34 GB here, seconds); the growable buffer only doubles.
  const stream = encodeRecords(23, 0x0303, new Uint8Array(256 * 1024));
  const d = new RecordDeframer();
  const started = performance.now();
  for (let i = 0; i < stream.length; i++) d.push(stream.subarray(i, i + 1));
  let n = 0;
  for (let r = d.next(); r !== undefined; r = d.next()) n += r.fragment.length;
  const elapsed = performance.now() - started;
  assert.equal(n, 256 * 1024);
  assert.ok(elapsed < 1500, `took ${Math.round(elapsed)} ms`);
});
