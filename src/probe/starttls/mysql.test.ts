import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../errors.ts';
import { mysqlSslRequest, parseMysqlGreeting } from './mysql.ts';
import { mysqlGreeting } from './testdata/scripts.ts';

test('the greeting gives the version and all 32 capability bits', () => {
  const greeting = mysqlGreeting('8.0.36', 0x800a_8a00);
  assert.deepEqual(parseMysqlGreeting(greeting.subarray(4)), {
    serverVersion: '8.0.36',
    capabilities: 0x800a_8a00,
  });
  // A pre-4.1 greeting ends after the lower flags.
  const short = greeting.subarray(4, 4 + 1 + 7 + 4 + 8 + 1 + 2);
  assert.equal(parseMysqlGreeting(short).capabilities, 0x8a00);
});

test('the SSLRequest: 32-byte payload, sequence 1, CLIENT_SSL and PROTOCOL_41', () => {
  const packet = mysqlSslRequest(0xffff_ffff);
  assert.equal(packet.length, 36);
  assert.deepEqual([...packet.subarray(0, 4)], [32, 0, 0, 1]);
  const flags = new DataView(packet.buffer).getUint32(4, true);
  assert.equal(flags & 0x800, 0x800);
  assert.equal(flags & 0x200, 0x200);
  assert.equal(flags & 0x8, 0, 'no CLIENT_CONNECT_WITH_DB: nothing follows but TLS');
  assert.ok(packet.subarray(13).every((b) => b === 0));
});

test('property: any payload parses or throws a DecodeError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      try {
        parseMysqlGreeting(Uint8Array.from([10, ...bytes]));
      } catch (err) {
        assert.ok(err instanceof DecodeError, String(err));
      }
    }),
    { numRuns: 2000 },
  );
});
