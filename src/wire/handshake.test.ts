import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { concatBytes, fromHex } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import {
  DEFAULT_MAX_HANDSHAKE_MESSAGE,
  HandshakeReassembler,
  type HandshakeMessage,
  encodeHandshake,
} from './handshake.ts';
import { MAX_PLAINTEXT_FRAGMENT } from './record.ts';

const tooLarge = (err: unknown): boolean =>
  err instanceof WiretightError && err.code === 'WT_ERR_WIRE_TOO_LARGE';

const messageArb = fc.record(
  {
    type: fc.integer({ min: 0, max: 255 }),
    body: fc.uint8Array({ maxLength: 200 }),
  },
  { noNullPrototype: true },
);

test('encodeHandshake writes type and a 3-byte length', () => {
  assert.deepEqual(encodeHandshake(2, fromHex('aabb')), fromHex('02000002aabb'));
  assert.deepEqual(encodeHandshake(14, new Uint8Array(0)), fromHex('0e000000'));
});

test('several messages in one record come out in order, with their raw bytes', () => {
  const a = encodeHandshake(2, fromHex('0102'));
  const b = encodeHandshake(11, fromHex('030405'));
  const c = encodeHandshake(14, new Uint8Array(0));
  const h = new HandshakeReassembler();
  const got = h.push(concatBytes([a, b, c]));
  assert.deepEqual(
    got.map((m) => m.type),
    [2, 11, 14],
  );
  assert.deepEqual(got[0]?.body, fromHex('0102'));
  assert.deepEqual(got[1]?.raw, b);
  assert.deepEqual(got[2]?.body, new Uint8Array(0));
  assert.equal(h.buffered, 0);
});

test('a message split across many records is reassembled', () => {
  const body = new Uint8Array(3 * MAX_PLAINTEXT_FRAGMENT + 10).map((_, i) => i % 251);
  const msg = encodeHandshake(11, body);
  const h = new HandshakeReassembler();
  const got: HandshakeMessage[] = [];
  for (let at = 0; at < msg.length; at += MAX_PLAINTEXT_FRAGMENT) {
    assert.equal(got.length, 0);
    got.push(...h.push(msg.subarray(at, at + MAX_PLAINTEXT_FRAGMENT)));
  }
  assert.equal(got.length, 1);
  const m = got[0];
  assert.equal(m?.type, 11);
  assert.deepEqual(m?.body, body);
  assert.equal(h.buffered, 0);
});

test('messages split at random fragment boundaries are reassembled unchanged', () => {
  fc.assert(
    fc.property(
      fc.array(messageArb, { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 15 }),
      (messages, cuts) => {
        const stream = concatBytes(messages.map((m) => encodeHandshake(m.type, m.body)));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
        const h = new HandshakeReassembler();
        const got: { type: number; body: Uint8Array }[] = [];
        let at = 0;
        for (const p of [...points, stream.length]) {
          for (const m of h.push(stream.subarray(at, p))) {
            got.push({ type: m.type, body: m.body.slice() });
          }
          at = p;
        }
        assert.deepEqual(got, messages);
        assert.equal(h.buffered, 0);
      },
    ),
    { numRuns: 500 },
  );
});

test('buffered counts the bytes of a message that is incomplete', () => {
  const h = new HandshakeReassembler();
  assert.deepEqual(h.push(fromHex('0200')), []);
  assert.equal(h.buffered, 2);
  const got = h.push(fromHex('0001ff'));
  assert.equal(got.length, 1);
  assert.equal(got[0]?.type, 2);
  assert.equal(h.buffered, 0);
});

test('a header announcing 2^24-1 bytes is WT_ERR_WIRE_TOO_LARGE at once', () => {
  const h = new HandshakeReassembler();
  assert.throws(() => h.push(fromHex('0bffffff')), tooLarge);
  // Just over the default cap, with no body at all: nothing is waited for or buffered.
  const over = DEFAULT_MAX_HANDSHAKE_MESSAGE + 1;
  const h2 = new HandshakeReassembler();
  assert.throws(
    () => h2.push(Uint8Array.of(11, over >> 16, (over >> 8) & 0xff, over & 0xff)),
    tooLarge,
  );
  // A header split across records is refused when its fourth byte arrives.
  const h3 = new HandshakeReassembler();
  assert.deepEqual(h3.push(fromHex('0bff')), []);
  assert.throws(() => h3.push(fromHex('ffff')), tooLarge);
});

test('the cap is configurable and the cap itself is allowed', () => {
  const h = new HandshakeReassembler(100);
  assert.equal(h.push(encodeHandshake(11, new Uint8Array(100)))[0]?.body.length, 100);
  const h2 = new HandshakeReassembler(100);
  assert.throws(() => h2.push(fromHex('0b000065')), tooLarge);
  for (const bad of [-1, 1.5, 0x1000000]) {
    assert.throws(() => new HandshakeReassembler(bad), RangeError, String(bad));
  }
});

test('arbitrary fragments either reassemble or fail with a WiretightError', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 }), (fragments) => {
      const h = new HandshakeReassembler(64);
      try {
        for (const f of fragments) h.push(f);
      } catch (err) {
        assert.ok(tooLarge(err), String(err));
      }
    }),
    { numRuns: 2000 },
  );
});

test('returned messages are copies: later pushes do not change them', () => {
  const h = new HandshakeReassembler();
  const [first] = h.push(encodeHandshake(2, fromHex('0102')));
  h.push(encodeHandshake(11, fromHex('ffff')).subarray(0, 5));
  assert.deepEqual(first?.raw, fromHex('020000020102'));
});

test('regression: 256 KiB dribbled one byte at a time takes linear, not quadratic, time', () => {
  // Concatenating on every push copied ~34 GB here (seconds); the growable buffer about 1 MB.
  const msg = encodeHandshake(11, new Uint8Array(DEFAULT_MAX_HANDSHAKE_MESSAGE).fill(0x30));
  const h = new HandshakeReassembler();
  const got: HandshakeMessage[] = [];
  const started = performance.now();
  for (let i = 0; i < msg.length; i++) got.push(...h.push(msg.subarray(i, i + 1)));
  const elapsed = performance.now() - started;
  assert.equal(got.length, 1);
  assert.deepEqual(got[0]?.raw, msg);
  assert.ok(elapsed < 1500, `took ${Math.round(elapsed)} ms`);
});
