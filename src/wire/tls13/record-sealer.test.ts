import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import test from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/bytes.ts';
import { CONTENT_TYPE, MAX_PLAINTEXT_FRAGMENT, RecordDeframer } from '../record.ts';
import { HandshakeDecryptor } from './record-protection.ts';
import { RecordSealer, perRecordNonce } from './record-sealer.ts';
import { TLS13_SUITES, type Tls13SuiteId } from './suites.ts';

const SUITES = Object.keys(TLS13_SUITES).map(Number) as Tls13SuiteId[];

function secretFor(suite: Tls13SuiteId): Uint8Array {
  return new Uint8Array(randomBytes(TLS13_SUITES[suite].hashLength));
}

test('perRecordNonce XORs the big-endian sequence number into the last 8 bytes', () => {
  const iv = fromHex('000102030405060708090a0b');
  assert.equal(toHex(perRecordNonce(iv, 0n)), '000102030405060708090a0b');
  assert.equal(toHex(perRecordNonce(iv, 1n)), '000102030405060708090a0a');
  assert.equal(toHex(perRecordNonce(iv, 0x0102n)), '000102030405060708090b09');
  assert.equal(toHex(perRecordNonce(iv, 2n ** 64n - 1n)), '00010203fbfaf9f8f7f6f5f4');
  assert.throws(() => perRecordNonce(new Uint8Array(8), 0n), RangeError);
});

test('every suite: what the sealer seals, the decryptor opens, in sequence', () => {
  for (const suite of SUITES) {
    const secret = secretFor(suite);
    const sealer = new RecordSealer(suite, secret);
    const opener = new HandshakeDecryptor(suite, secret);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        (content, padding) => {
          const type =
            content.length === 0 ? CONTENT_TYPE.application_data : CONTENT_TYPE.handshake;
          const bytes = sealer.seal(type, content, padding);
          const deframer = new RecordDeframer();
          deframer.push(bytes);
          const record = deframer.next()!;
          assert.equal(record.type, CONTENT_TYPE.application_data);
          assert.equal(record.version, 0x0303);
          assert.equal(
            record.fragment.length,
            content.length + 1 + padding + TLS13_SUITES[suite].tagLength,
          );
          const opened = opener.open(record);
          assert.equal(opened.contentType, type);
          assert.deepEqual(opened.content, content);
        },
      ),
      { numRuns: 50 },
    );
    assert.equal(sealer.sequence, opener.sequence);
  }
});

test('a full-size record is allowed; one byte more is a caller error', () => {
  const sealer = new RecordSealer(0x1301, secretFor(0x1301));
  const full = new Uint8Array(MAX_PLAINTEXT_FRAGMENT);
  assert.equal(
    sealer.seal(CONTENT_TYPE.application_data, full).length,
    5 + MAX_PLAINTEXT_FRAGMENT + 1 + 16,
  );
  assert.throws(() => sealer.seal(CONTENT_TYPE.application_data, full, 1), RangeError);
  assert.throws(() => sealer.seal(CONTENT_TYPE.handshake, new Uint8Array(0)), RangeError);
  assert.throws(() => sealer.seal(CONTENT_TYPE.handshake, full, -1), RangeError);
  // Refused seals do not use up a sequence number.
  assert.equal(sealer.sequence, 1n);
});

test('a traffic secret of the wrong length is a caller error', () => {
  assert.throws(() => new RecordSealer(0x1302, new Uint8Array(32)), RangeError);
  assert.throws(() => new RecordSealer(0x00ff, new Uint8Array(32)), RangeError);
});
