// A minimal DER writer for the structures the CA signs in bulk: each leaf's TBSCertificate
// and each CRL's entries. asn1js (behind @peculiar/asn1-x509) spends ~50 µs on every small
// object, ~1.5 ms on a whole leaf; concatenating cached pieces costs a few µs, which is what
// lets one core issue thousands of certificates a second. Structures built once (an
// issuer's extensions) still come from @peculiar/asn1-x509; every output is checked
// against OpenSSL in the tests.
import { TAG } from '../pki/der.ts';

/** One element: tag, definite length, and the concatenated contents. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of contents) length += c.length;
  const lengthOctets =
    length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const header = 2 + lengthOctets;
  const out = new Uint8Array(header + length);
  out[0] = tag;
  if (lengthOctets === 0) {
    out[1] = length;
  } else {
    out[1] = 0x80 | lengthOctets;
    for (let i = header - 1, v = length; i >= 2; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  }
  let at = header;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const sequence = (...items: readonly Uint8Array[]): Uint8Array =>
  tlv(TAG.SEQUENCE, ...items);
export const set = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.SET, ...items);
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, bytes);
/** A BIT STRING of whole bytes (keys, signatures). */
export const bitString = (bytes: Uint8Array): Uint8Array =>
  tlv(TAG.BIT_STRING, Uint8Array.of(0), bytes);
export const derNull = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);
export const boolean = (value: boolean): Uint8Array =>
  Uint8Array.of(TAG.BOOLEAN, 1, value ? 0xff : 0);
/** [n] EXPLICIT: a constructed context tag around whole elements. */
export const explicit = (n: number, ...items: readonly Uint8Array[]): Uint8Array =>
  tlv(0xa0 | n, ...items);
/** [n] IMPLICIT of a primitive (a GeneralName's dNSName, iPAddress, URI). */
export const implicitPrimitive = (n: number, contents: Uint8Array): Uint8Array =>
  tlv(0x80 | n, contents);

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** PrintableString when the text fits its alphabet (what most tools expect), else UTF8String. */
export function directoryString(text: string): Uint8Array {
  return PRINTABLE.test(text)
    ? tlv(TAG.PRINTABLE_STRING, ascii(text))
    : tlv(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));
}

/**
 * A non-negative INTEGER from its big-endian magnitude: leading zero bytes dropped, one
 * zero byte added when the top bit is set.
 */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(i);
  return ((trimmed[0] as number) & 0x80) === 0
    ? tlv(TAG.INTEGER, trimmed)
    : tlv(TAG.INTEGER, Uint8Array.of(0), trimmed);
}

export function integer(value: number | bigint): Uint8Array {
  let n = BigInt(value);
  if (n < 0n) throw new RangeError('integer: negative values are not used by the CA');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  return unsignedInteger(Uint8Array.from(bytes));
}

export const enumerated = (value: number): Uint8Array =>
  Uint8Array.of(TAG.ENUMERATED, 1, value & 0xff);

const oidCache = new Map<string, Uint8Array>();

/** An OBJECT IDENTIFIER from its dotted form; encodings are cached (a CA uses a few dozen). */
export function oid(dotted: string): Uint8Array {
  const cached = oidCache.get(dotted);
  if (cached !== undefined) return cached;
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`oid: "${dotted}" is not a dotted OID`);
    return BigInt(a);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n) {
    throw new RangeError(`oid: "${dotted}" is not a dotted OID`);
  }
  const body: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(Number(v & 0x7fn) | (groups.length === 0 ? 0 : 0x80));
      v >>= 7n;
    } while (v > 0n);
    body.push(...groups);
  }
  const encoded = tlv(TAG.OID, Uint8Array.from(body));
  oidCache.set(dotted, encoded);
  return encoded;
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * RFC 5280 §4.1.2.5: UTCTime for years up to 2049, GeneralizedTime from 2050, both in
 * whole seconds with Z. Milliseconds are dropped (callers round their dates first).
 */
export function time(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError(`time: year ${year} is out of range`);
  const rest =
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z';
  return year < 2050
    ? tlv(TAG.UTC_TIME, ascii(two(year % 100) + rest))
    : tlv(TAG.GENERALIZED_TIME, ascii(String(year) + rest));
}

/** GeneralizedTime whatever the year (OCSP's producedAt, thisUpdate, nextUpdate). */
export function generalizedTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError(`time: year ${year} is out of range`);
  return tlv(
    TAG.GENERALIZED_TIME,
    ascii(
      String(year) +
        two(date.getUTCMonth() + 1) +
        two(date.getUTCDate()) +
        two(date.getUTCHours()) +
        two(date.getUTCMinutes()) +
        two(date.getUTCSeconds()) +
        'Z',
    ),
  );
}

/** One Extension: extnID, critical only when true (DER omits a DEFAULT), extnValue. */
export interface ExtensionDer {
  readonly oid: string;
  readonly critical: boolean;
  /** The DER of the extension's own structure, wrapped in the OCTET STRING here. */
  readonly value: Uint8Array;
}

export function extension(ext: ExtensionDer): Uint8Array {
  return ext.critical
    ? sequence(oid(ext.oid), boolean(true), octetString(ext.value))
    : sequence(oid(ext.oid), octetString(ext.value));
}

/** Base64 PEM with 64-character lines, as OpenSSL writes it. */
export function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
