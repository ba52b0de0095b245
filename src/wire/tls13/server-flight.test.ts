import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteWriter, concatBytes } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { encodeAlpn } from '../extensions/alpn.ts';
import { type Extension, writeExtensions } from '../extensions/extension.ts';
import { HandshakeReassembler } from '../handshake.ts';
import { Tls13ServerFlight } from './server-flight.ts';

const message = (type: number, body: (w: ByteWriter) => void): Uint8Array =>
  new ByteWriter().u8(type).vector(3, body).finish();

const alpnData = (...names: string[]): Uint8Array => encodeAlpn(names);

const ee = (extensions: readonly Extension[] = []) =>
  message(8, (w) => writeExtensions(w, extensions));
const cert = (ders: readonly Uint8Array[], context = new Uint8Array(0)) =>
  message(11, (w) =>
    w.vectorOf(1, context).vector(3, (l) => ders.forEach((d) => l.vectorOf(3, d).u16(0))),
  );
const cv = message(15, (w) => w.u16(0x0403).vectorOf(2, new Uint8Array(70).fill(7)));
const fin = message(20, (w) => w.bytes(new Uint8Array(32).fill(0xf1)));

function run(...pieces: Uint8Array[]): Tls13ServerFlight {
  const flight = new Tls13ServerFlight();
  for (const p of pieces) flight.push(p);
  return flight;
}

test('a whole flight in one push', () => {
  const cr = message(13, (w) => {
    w.vectorOf(1, Uint8Array.of(0xaa));
    writeExtensions(w, [
      { type: 13, data: new ByteWriter().vector(2, (l) => l.u16(0x0403).u16(0x0804)).finish() },
      {
        type: 47,
        data: new ByteWriter()
          .vector(2, (l) =>
            l.vectorOf(2, Uint8Array.of(0x30, 0)).vectorOf(2, Uint8Array.of(0x30, 1, 5)),
          )
          .finish(),
      },
      { type: 0x1234, data: Uint8Array.of(1) },
    ]);
  });
  const flight = run(
    concatBytes([
      ee([{ type: 16, data: alpnData('h2') }]),
      cr,
      cert([Uint8Array.of(1, 2), Uint8Array.of(3)]),
      cv,
      fin,
    ]),
  );
  assert.equal(flight.done, true);
  const r = flight.result();
  assert.equal(r.encryptedExtensions?.alpn, 'h2');
  assert.deepEqual(r.certificateRequest?.context, Uint8Array.of(0xaa));
  assert.deepEqual(r.certificateRequest?.signatureAlgorithms, [0x0403, 0x0804]);
  assert.deepEqual(r.certificateRequest?.certificateAuthorities, [
    Uint8Array.of(0x30, 0),
    Uint8Array.of(0x30, 1, 5),
  ]);
  assert.deepEqual(
    r.certificateRequest?.extensions.map((e) => e.type),
    [13, 47, 0x1234],
  );
  assert.deepEqual(
    r.certificate?.entries.map((e) => [...e.der]),
    [[1, 2], [3]],
  );
  assert.equal(r.certificateVerify?.scheme, 0x0403);
  assert.equal(r.finished?.verifyData.length, 32);
  assert.deepEqual(
    r.messages.map((m) => m[0]),
    [8, 13, 11, 15, 20],
  );
});

test('not done until Finished; result() is a snapshot', () => {
  const flight = run(ee(), cert([Uint8Array.of(1)]));
  assert.equal(flight.done, false);
  const before = flight.result();
  flight.push(concatBytes([cv, fin]));
  assert.equal(before.messages.length, 2);
  assert.equal(before.finished, undefined);
  assert.equal(flight.result().messages.length, 4);
});

test('a header announcing 2^24-1 bytes is WT_ERR_WIRE_TOO_LARGE at once', () => {
  const flight = new Tls13ServerFlight();
  assert.throws(() => flight.push(Uint8Array.of(11, 0xff, 0xff, 0xff)), {
    code: 'WT_ERR_WIRE_TOO_LARGE',
  });
  // Just above the 256 KiB cap, split across pushes.
  const next = new Tls13ServerFlight();
  next.push(Uint8Array.of(11, 0x04));
  assert.throws(() => next.push(Uint8Array.of(0x00, 0x01)), { code: 'WT_ERR_WIRE_TOO_LARGE' });
  // At the cap it is buffered and waited for.
  const atCap = new HandshakeReassembler();
  assert.deepEqual(atCap.push(Uint8Array.of(11, 0x04, 0x00, 0x00)), []);
  assert.equal(atCap.buffered, 4);
});

test('a message dribbled one byte at a time is reassembled', () => {
  const big = cert([new Uint8Array(100_000).fill(0x30)]);
  const r = new HandshakeReassembler();
  let out: ReturnType<HandshakeReassembler['push']> = [];
  for (let i = 0; i < big.length; i++) out = out.concat(r.push(big.subarray(i, i + 1)));
  assert.equal(out.length, 1);
  assert.deepEqual(out[0]?.raw, big);
  assert.equal(r.buffered, 0);
});

test('messages out of order or of unexpected types are DecodeErrors', () => {
  const cases: Uint8Array[][] = [
    [cert([Uint8Array.of(1)])], // Certificate before EncryptedExtensions
    [ee(), cv], // CertificateVerify without Certificate
    [ee(), ee()],
    [ee(), message(2, () => {})], // a ServerHello inside the flight
    [ee(), message(4, () => {})], // NewSessionTicket before Finished
    [ee(), cert([Uint8Array.of(1)]), fin],
  ];
  for (const pieces of cases) {
    assert.throws(() => run(...pieces), DecodeError);
  }
});

test('anything after Finished is a DecodeError, even a partial header', () => {
  assert.throws(() => run(concatBytes([ee(), fin, Uint8Array.of(4)])), DecodeError);
  const done = run(ee(), fin);
  assert.equal(done.done, true);
  assert.throws(() => done.push(Uint8Array.of(4)), DecodeError);
  done.push(new Uint8Array(0));
});

test('malformed bodies are DecodeErrors with a path', () => {
  const bad: [string, Uint8Array[]][] = [
    ['two ALPN names', [ee([{ type: 16, data: alpnData('h2', 'http/1.1') }])]],
    ['an empty ALPN name', [ee([{ type: 16, data: Uint8Array.of(0, 1, 0) }])]],
    [
      'ALPN trailing bytes',
      [ee([{ type: 16, data: concatBytes([alpnData('h2'), Uint8Array.of(0)]) }])],
    ],
    [
      'a duplicate extension',
      [
        ee([
          { type: 10, data: Uint8Array.of() },
          { type: 10, data: Uint8Array.of() },
        ]),
      ],
    ],
    ['extension length past its list', [message(8, (w) => w.u16(4).u16(10).u16(9))]],
    ['EE trailing byte', [message(8, (w) => w.u16(0).u8(0))]],
    ['an empty certificate', [ee(), message(11, (w) => w.u8(0).u24(5).u24(0).u16(0))]],
    [
      'a certificate longer than its list',
      [ee(), message(11, (w) => w.u8(0).u24(6).u24(9).bytes(new Uint8Array(3)))],
    ],
    ['CertificateRequest without extensions', [ee(), message(13, (w) => w.u8(0).u16(0))]],
    [
      'odd signature_algorithms',
      [
        ee(),
        message(13, (w) => {
          w.u8(0);
          writeExtensions(w, [{ type: 13, data: Uint8Array.of(0, 3, 4, 3, 8) }]);
        }),
      ],
    ],
    [
      'CertificateVerify truncated',
      [ee(), cert([Uint8Array.of(1)]), message(15, (w) => w.u16(0x0403).u16(10))],
    ],
    ['empty Finished', [ee(), message(20, () => {})]],
  ];
  for (const [what, pieces] of bad) {
    assert.throws(
      () => run(...pieces),
      (e: unknown) => {
        assert.ok(e instanceof DecodeError, `${what}: ${String(e)}`);
        assert.ok(e.path.length > 0);
        return true;
      },
      what,
    );
  }
});

const extensionArb = fc.uniqueArray(
  fc.record({
    type: fc.integer({ min: 0, max: 0xffff }).filter((t) => t !== 16),
    data: fc.uint8Array({ maxLength: 40 }),
  }),
  { selector: (e) => e.type, maxLength: 5 },
);

const flightArb = fc.record({
  eeExtensions: extensionArb,
  // Any Unicode name: EncryptedExtensions decodes ALPN as a ServerHello does (UTF-8).
  alpn: fc.option(fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }), {
    nil: undefined,
  }),
  request: fc.option(
    fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 10 }),
    { nil: undefined },
  ),
  ders: fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 0, maxLength: 4 }),
  cuts: fc.array(fc.nat(), { maxLength: 20 }),
});

test('property: a valid flight split anywhere parses to what was built', () => {
  fc.assert(
    fc.property(flightArb, (f) => {
      const eeExt =
        f.alpn === undefined
          ? f.eeExtensions
          : [...f.eeExtensions, { type: 16, data: alpnData(f.alpn) }];
      const parts = [ee(eeExt)];
      if (f.request !== undefined) {
        const algs = f.request;
        parts.push(
          message(13, (w) => {
            w.u8(0);
            writeExtensions(w, [
              {
                type: 13,
                data: new ByteWriter().vector(2, (l) => algs.forEach((a) => l.u16(a))).finish(),
              },
            ]);
          }),
        );
      }
      parts.push(cert(f.ders), cv, fin);
      const whole = concatBytes(parts);
      const cuts = [...new Set(f.cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
      const flight = new Tls13ServerFlight();
      let at = 0;
      for (const c of [...cuts, whole.length]) {
        flight.push(whole.subarray(at, c));
        at = c;
      }
      assert.equal(flight.done, true);
      const r = flight.result();
      assert.equal(r.encryptedExtensions?.alpn, f.alpn);
      assert.deepEqual(
        r.encryptedExtensions?.extensions.map((e) => e.type),
        eeExt.map((e) => e.type),
      );
      assert.deepEqual(r.certificateRequest?.signatureAlgorithms, f.request);
      assert.deepEqual(
        r.certificate?.entries.map((e) => e.der),
        f.ders,
      );
      assert.deepEqual(concatBytes(r.messages), whole);
    }),
    { numRuns: 200 },
  );
});

test('property: random bytes pushed in random splits only ever throw WiretightError', () => {
  const start = ee();
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 30 }),
      (withValidStart, chunks) => {
        const flight = new Tls13ServerFlight(4096);
        try {
          if (withValidStart) flight.push(start);
          for (const chunk of chunks) flight.push(chunk);
        } catch (error) {
          assert.ok(error instanceof WiretightError, String(error));
        }
      },
    ),
    { numRuns: 1000 },
  );
});

test('property: a valid flight with bytes flipped only ever throws WiretightError', () => {
  fc.assert(
    fc.property(
      flightArb,
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 4,
      }),
      (f, flips) => {
        const whole = concatBytes([ee(f.eeExtensions), cert(f.ders), cv, fin]);
        for (const { at, value } of flips) whole[at % whole.length] = value;
        const flight = new Tls13ServerFlight();
        try {
          let at = 0;
          for (const c of [
            ...f.cuts.map((c) => c % (whole.length + 1)).sort((a, b) => a - b),
            whole.length,
          ]) {
            flight.push(whole.subarray(at, Math.max(at, c)));
            at = Math.max(at, c);
          }
        } catch (error) {
          assert.ok(error instanceof WiretightError, String(error));
        }
      },
    ),
    { numRuns: 1000 },
  );
});
