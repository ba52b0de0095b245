import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { encodeAlert, parseAlert } from './alert.ts';

test('parseAlert reads level and description', () => {
  assert.deepEqual(parseAlert(Uint8Array.of(2, 40)), {
    level: 'fatal',
    description: 40,
    name: 'handshake_failure',
  });
  assert.deepEqual(parseAlert(Uint8Array.of(1, 0)), {
    level: 'warning',
    description: 0,
    name: 'close_notify',
  });
  assert.deepEqual(parseAlert(Uint8Array.of(7, 250)), {
    level: 'unknown_7',
    description: 250,
    name: 'unknown_alert_250',
  });
});

test('encodeAlert and parseAlert round-trip', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(1 as const, 2 as const),
      fc.integer({ min: 0, max: 255 }),
      (level, d) => {
        const a = parseAlert(encodeAlert(level, d));
        assert.equal(a.level, level === 1 ? 'warning' : 'fatal');
        assert.equal(a.description, d);
      },
    ),
  );
});

test('a truncated alert is a DecodeError', () => {
  for (const b of [new Uint8Array(0), Uint8Array.of(2)]) {
    assert.throws(
      () => parseAlert(b),
      (err: unknown) => err instanceof DecodeError && err.code === 'WT_ERR_WIRE_DECODE',
    );
  }
});

test('random bytes parse or throw a DecodeError, never anything else', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 8 }), (b) => {
      try {
        parseAlert(b);
      } catch (err) {
        assert.ok(err instanceof DecodeError, String(err));
      }
    }),
    { numRuns: 2000 },
  );
});
