// A minimal DER reader for the few places where a full ASN.1 parse would be too slow
// (indexing a hundred trust anchors by subject, walking a CRL of many thousand entries) or
// would lose the exact bytes a signature covers. Every length is checked by ByteReader.
import { ByteReader } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';

/** One DER element: its tag byte, its whole encoding and its contents. */
export interface Tlv {
  readonly tag: number;
  readonly der: Uint8Array;
  readonly body: Uint8Array;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag number n: constructed ([n] EXPLICIT, or IMPLICIT of a SEQUENCE). */
export const contextTag = (n: number): number => 0xa0 | n;
/** Context-specific tag number n, primitive ([n] IMPLICIT of a string or INTEGER). */
export const contextPrimitiveTag = (n: number): number => 0x80 | n;

function readTlv(r: ByteReader): Tlv {
  const start = r.offset;
  const tag = r.u8('tag');
  if ((tag & 0x1f) === 0x1f) r.fail('multi-byte tags are not used in X.509');
  const first = r.u8('length');
  let length = first;
  if (first === 0x80) r.fail('indefinite length is not DER');
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4) r.fail(`a ${n}-byte length is larger than any certificate structure`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + r.u8('length');
  }
  const headerLength = r.offset - start;
  const body = r.bytes(length, 'contents');
  // The element's own bytes: the body is a view into the same buffer, right after its header.
  const der = new Uint8Array(body.buffer, body.byteOffset - headerLength, headerLength + length);
  return { tag, der, body };
}

function asPkiError(err: unknown): unknown {
  return err instanceof DecodeError ? new WiretightError('WT_ERR_PKI_DECODE', err.message) : err;
}

/** Exactly one element filling `bytes`; WT_ERR_PKI_DECODE otherwise. */
export function derElement(bytes: Uint8Array, path: string): Tlv {
  try {
    const r = new ByteReader(bytes, path);
    const tlv = readTlv(r);
    r.expectEnd();
    return tlv;
  } catch (err) {
    throw asPkiError(err);
  }
}

/** The elements inside a constructed element's body, in order. */
export function derChildren(body: Uint8Array, path: string): Tlv[] {
  try {
    const r = new ByteReader(body, path);
    const out: Tlv[] = [];
    while (!r.atEnd) out.push(readTlv(r));
    return out;
  } catch (err) {
    throw asPkiError(err);
  }
}

/** Fails with WT_ERR_PKI_DECODE unless `tlv` has the expected tag. */
export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined) throw new WiretightError('WT_ERR_PKI_DECODE', `${what} is missing`);
  if (tlv.tag !== tag) {
    throw new WiretightError(
      'WT_ERR_PKI_DECODE',
      `${what} has tag 0x${tlv.tag.toString(16)}, expected 0x${tag.toString(16)}`,
    );
  }
  return tlv;
}

/** A SEQUENCE's (or SET's) elements, checking its tag. */
export function derSequence(tlv: Tlv | undefined, what: string, tag: number = TAG.SEQUENCE): Tlv[] {
  return derChildren(expectTag(tlv, tag, what).body, what);
}

/** A BIT STRING's bytes; keys and signatures are whole bytes, so other padding is an error. */
export function bitStringBytes(tlv: Tlv | undefined, what: string): Uint8Array {
  const body = expectTag(tlv, TAG.BIT_STRING, what).body;
  if (body.length === 0 || body[0] !== 0) {
    throw new WiretightError('WT_ERR_PKI_DECODE', `${what} does not hold whole bytes`);
  }
  return body.subarray(1);
}

/** Dotted form of an OBJECT IDENTIFIER's contents. */
export function decodeOid(body: Uint8Array): string {
  const arcs: bigint[] = [];
  let value = 0n;
  let pending = false;
  for (const byte of body) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    pending = (byte & 0x80) !== 0;
    if (!pending) {
      arcs.push(value);
      value = 0n;
    }
  }
  if (pending || arcs.length === 0) {
    throw new WiretightError('WT_ERR_PKI_DECODE', 'OBJECT IDENTIFIER is truncated');
  }
  const head = arcs[0] as bigint;
  const first = head < 40n ? 0n : head < 80n ? 1n : 2n;
  return [first, head - first * 40n, ...arcs.slice(1)].join('.');
}

/** An INTEGER's magnitude bytes without DER's leading zero, for comparing serial numbers. */
export function integerMagnitude(body: Uint8Array): Uint8Array {
  let i = 0;
  while (i < body.length - 1 && body[i] === 0) i++;
  return body.subarray(i);
}

/** A small non-negative INTEGER or ENUMERATED, as a number. */
export function decodeSmallInteger(body: Uint8Array, what: string): number {
  if (body.length === 0 || body.length > 6 || ((body[0] ?? 0) & 0x80) !== 0) {
    throw new WiretightError('WT_ERR_PKI_DECODE', `${what} is not a small non-negative integer`);
  }
  let n = 0;
  for (const b of body) n = n * 256 + b;
  return n;
}

const TIME_PATTERN = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** A UTCTime or GeneralizedTime (the forms RFC 5280 allows: seconds, Z). */
export function decodeTime(tlv: Tlv | undefined, what: string): Date {
  if (tlv === undefined || (tlv.tag !== TAG.UTC_TIME && tlv.tag !== TAG.GENERALIZED_TIME)) {
    throw new WiretightError('WT_ERR_PKI_DECODE', `${what} is not a time`);
  }
  const text = Buffer.from(tlv.body).toString('latin1');
  const m = TIME_PATTERN.exec(text);
  const utc = tlv.tag === TAG.UTC_TIME;
  if (m === null || (m[1] as string).length !== (utc ? 2 : 4)) {
    throw new WiretightError('WT_ERR_PKI_DECODE', `${what} "${text}" is not a valid time`);
  }
  const [year2or4, month, day, hour, minute, second] = m.slice(1).map(Number) as number[];
  // RFC 5280 §4.1.2.5.1: two-digit years 50-99 are 19xx, 00-49 are 20xx.
  const y = year2or4 as number;
  const year = utc ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, (month as number) - 1, day);
  date.setUTCHours(hour as number, minute, second, 0);
  const fieldsKept =
    date.getUTCMonth() === (month as number) - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!fieldsKept) {
    throw new WiretightError('WT_ERR_PKI_DECODE', `${what} "${text}" is not a valid time`);
  }
  return date;
}
