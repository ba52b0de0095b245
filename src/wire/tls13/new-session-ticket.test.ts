import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ByteWriter, fromHex } from '../../core/bytes.ts';
import { DecodeError, WiretightError } from '../../errors.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';
import { encodeTicketEarlyData } from './early-data.ts';
import {
  MAX_TICKET_LENGTH,
  type NewSessionTicket,
  encodeNewSessionTicket,
  parseNewSessionTicket,
} from './new-session-ticket.ts';

const decodeError = (err: unknown): boolean =>
  err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE';

function body(ticketLength: number, tail = '0000'): Uint8Array {
  return new ByteWriter()
    .u32(7200)
    .u32(1)
    .vectorOf(1, fromHex('01'))
    .u16(ticketLength)
    .bytes(new Uint8Array(ticketLength).fill(0x55))
    .bytes(fromHex(tail))
    .finish();
}

const nstArb: fc.Arbitrary<Omit<NewSessionTicket, 'maxEarlyDataSize'>> = fc.record(
  {
    lifetimeSec: fc.integer({ min: 0, max: 0xffffffff }),
    ageAdd: fc.integer({ min: 0, max: 0xffffffff }),
    nonce: fc.uint8Array({ maxLength: 255 }),
    ticket: fc.uint8Array({ minLength: 1, maxLength: 600 }),
    extensions: fc.constantFrom([], [{ type: 0x1234, data: fromHex('abcd') }]),
  },
  { noNullPrototype: true },
);

test('encode(parse(x)) is x, and parse(encode(t)) is t, for any ticket', () => {
  fc.assert(
    fc.property(nstArb, (nst) => {
      const bytes = encodeNewSessionTicket(nst);
      const parsed = parseNewSessionTicket(bytes);
      assert.deepEqual(parsed, nst);
      assert.deepEqual(encodeNewSessionTicket(parsed), bytes);
    }),
  );
});

test('early_data in the ticket gives maxEarlyDataSize; without it there is none', () => {
  const withEarly = parseNewSessionTicket(
    encodeNewSessionTicket({
      lifetimeSec: 300,
      ageAdd: 0,
      nonce: new Uint8Array(0),
      ticket: fromHex('aa'),
      extensions: [{ type: X.early_data, data: encodeTicketEarlyData(16384) }],
    }),
  );
  assert.equal(withEarly.maxEarlyDataSize, 16384);
  assert.equal('maxEarlyDataSize' in parseNewSessionTicket(body(1)), false);
});

test('a ticket above the cap is WT_ERR_WIRE_TOO_LARGE before it is read', () => {
  const over = MAX_TICKET_LENGTH + 1;
  // Announced, not even sent: the cap is checked on the length alone.
  const announced = new ByteWriter().u32(1).u32(1).u8(0).u16(over).finish();
  for (const b of [announced, body(over)]) {
    assert.throws(
      () => parseNewSessionTicket(b),
      (err: unknown) => err instanceof WiretightError && err.code === 'WT_ERR_WIRE_TOO_LARGE',
    );
  }
  assert.equal(parseNewSessionTicket(body(MAX_TICKET_LENGTH)).ticket.length, MAX_TICKET_LENGTH);
  assert.throws(() => parseNewSessionTicket(body(100), 99), { code: 'WT_ERR_WIRE_TOO_LARGE' });
});

test('empty tickets, truncations, bad early_data and trailing bytes are DecodeErrors', () => {
  const good = body(8);
  const cases: Uint8Array[] = [
    body(0), // ticket<1..2^16-1>
    good.subarray(0, 3),
    good.subarray(0, good.length - 1), // extensions length cut
    body(8, '0006002a00020000'), // early_data of 2 bytes
    body(8, '000000'), // trailing byte
    body(8, '0008002a0000002a0000'), // early_data twice
    new Uint8Array(0),
  ];
  for (const b of cases) assert.throws(() => parseNewSessionTicket(b), decodeError);
});

test('hostile input: random bytes parse or throw a WiretightError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 96 }), (b) => {
      try {
        parseNewSessionTicket(b);
      } catch (err) {
        assert.ok(err instanceof WiretightError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
