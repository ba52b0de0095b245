import { ByteReader } from '../core/bytes.ts';
import { CONTENT_TYPE, encodeRecords } from './record.ts';

/** RFC 5246 §7.1: the only ChangeCipherSpec type, change_cipher_spec(1). */
export const CHANGE_CIPHER_SPEC = 1;

/** The ChangeCipherSpec message: one byte. */
export function encodeChangeCipherSpec(): Uint8Array {
  return Uint8Array.of(CHANGE_CIPHER_SPEC);
}

/** The ChangeCipherSpec record, ready to send in a connection that speaks `version`. */
export function changeCipherSpecRecord(version: number): Uint8Array {
  return encodeRecords(CONTENT_TYPE.change_cipher_spec, version, encodeChangeCipherSpec());
}

/** Checks a ChangeCipherSpec fragment: exactly the byte 1, or a DecodeError. */
export function parseChangeCipherSpec(fragment: Uint8Array): void {
  const r = new ByteReader(fragment, 'ChangeCipherSpec');
  const type = r.u8('type');
  if (type !== CHANGE_CIPHER_SPEC) r.fail(`type ${type} is not change_cipher_spec(1)`);
  r.expectEnd();
}
