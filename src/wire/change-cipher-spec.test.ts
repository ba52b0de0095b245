import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { bytesEqual, fromHex } from '../core/bytes.ts';
import { DecodeError } from '../errors.ts';
import {
  changeCipherSpecRecord,
  encodeChangeCipherSpec,
  parseChangeCipherSpec,
} from './change-cipher-spec.ts';
import { RecordDeframer } from './record.ts';

test('the message is the single byte 1, framed as a record of type 20', () => {
  assert.deepEqual(encodeChangeCipherSpec(), fromHex('01'));
  assert.deepEqual(changeCipherSpecRecord(0x0303), fromHex('140303000101'));
  assert.deepEqual(changeCipherSpecRecord(0x0300), fromHex('140300000101'));
});

test('parse(encode()) accepts; the deframer reads the record back', () => {
  parseChangeCipherSpec(encodeChangeCipherSpec());
  const d = new RecordDeframer();
  d.push(changeCipherSpecRecord(0x0301));
  const record = d.next();
  assert.equal(record?.type, 20);
  assert.equal(record?.version, 0x0301);
  parseChangeCipherSpec(record?.fragment ?? new Uint8Array(0));
});

test('property: any fragment other than the byte 1 is a DecodeError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 8 }), (b) => {
      if (bytesEqual(b, fromHex('01'))) {
        parseChangeCipherSpec(b);
        return;
      }
      assert.throws(
        () => parseChangeCipherSpec(b),
        (err: unknown) => err instanceof DecodeError && err.path === 'ChangeCipherSpec',
      );
    }),
    { numRuns: 2000 },
  );
});
