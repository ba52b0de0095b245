import { DecodeError, WiretightError } from '../errors.ts';

/**
 * A bounds-checked reader over one structure. Every read checks what is left and throws a
 * DecodeError naming the structure path and offset; a nested length-prefixed vector gets
 * its own reader, so a lying inner length can never read past its parent.
 */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #start: number;
  readonly #end: number;
  readonly #baseOffset: number;
  #pos: number;
  readonly path: string;

  constructor(bytes: Uint8Array, path: string, baseOffset = 0) {
    this.#bytes = bytes;
    this.#start = 0;
    this.#end = bytes.length;
    this.#pos = 0;
    this.#baseOffset = baseOffset;
    this.path = path;
  }

  /** Offset of the next byte, counted from the start of the outermost structure. */
  get offset(): number {
    return this.#baseOffset + this.#pos - this.#start;
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  get atEnd(): boolean {
    return this.#pos === this.#end;
  }

  fail(what: string): never {
    throw new DecodeError(this.path, this.offset, what);
  }

  #need(n: number, what: string): void {
    if (n > this.remaining) {
      this.fail(`${what} needs ${n} byte(s), ${this.remaining} left`);
    }
  }

  u8(what = 'u8'): number {
    this.#need(1, what);
    return this.#bytes[this.#pos++] as number;
  }

  u16(what = 'u16'): number {
    this.#need(2, what);
    const b = this.#bytes;
    const v = ((b[this.#pos] as number) << 8) | (b[this.#pos + 1] as number);
    this.#pos += 2;
    return v;
  }

  u24(what = 'u24'): number {
    this.#need(3, what);
    const b = this.#bytes;
    const p = this.#pos;
    const v = ((b[p] as number) << 16) | ((b[p + 1] as number) << 8) | (b[p + 2] as number);
    this.#pos += 3;
    return v;
  }

  u32(what = 'u32'): number {
    this.#need(4, what);
    const hi = this.u16(what);
    return hi * 0x10000 + this.u16(what);
  }

  /** A view (not a copy) of the next n bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.#need(n, what);
    const out = this.#bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  /** Opaque vector with a 1-, 2- or 3-byte length prefix; checks min/max as TLS declares them. */
  vector(lengthBytes: 1 | 2 | 3, what: string, min = 0, max = Infinity): Uint8Array {
    const len =
      lengthBytes === 1 ? this.u8(what) : lengthBytes === 2 ? this.u16(what) : this.u24(what);
    if (len < min || len > max) {
      this.fail(`${what} length ${len} outside ${min}..${max}`);
    }
    return this.bytes(len, what);
  }

  /** A reader scoped to a length-prefixed sub-structure, with its own path segment. */
  sub(lengthBytes: 1 | 2 | 3, name: string, min = 0, max = Infinity): ByteReader {
    const offset = this.offset + lengthBytes;
    const body = this.vector(lengthBytes, name, min, max);
    return new ByteReader(body, `${this.path}.${name}`, offset);
  }

  /** A reader over the next n bytes. */
  take(n: number, name: string): ByteReader {
    const offset = this.offset;
    return new ByteReader(this.bytes(n, name), `${this.path}.${name}`, offset);
  }

  expectEnd(): void {
    if (!this.atEnd) {
      this.fail(`${this.remaining} unexpected trailing byte(s)`);
    }
  }
}

/**
 * A growable writer for building messages. Length prefixes are written after their body
 * is known, and a body that does not fit its prefix is a WT_ERR_WIRE_ENCODE error rather
 * than a silently truncated length.
 */
export class ByteWriter {
  #buf: Uint8Array;
  #len = 0;

  constructor(initialSize = 256) {
    this.#buf = new Uint8Array(initialSize);
  }

  get length(): number {
    return this.#len;
  }

  #grow(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  u8(v: number): this {
    checkRange(v, 0xff, 'u8');
    this.#grow(1);
    this.#buf[this.#len++] = v;
    return this;
  }

  u16(v: number): this {
    checkRange(v, 0xffff, 'u16');
    this.#grow(2);
    this.#buf[this.#len++] = v >>> 8;
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  u24(v: number): this {
    checkRange(v, 0xffffff, 'u24');
    this.#grow(3);
    this.#buf[this.#len++] = v >>> 16;
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    checkRange(v, 0xffffffff, 'u32');
    return this.u16(Math.floor(v / 0x10000)).u16(v % 0x10000);
  }

  bytes(b: Uint8Array): this {
    this.#grow(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }

  /** Writes a length prefix of lengthBytes, then whatever `body` writes, then fills the prefix. */
  vector(lengthBytes: 1 | 2 | 3, body: (w: this) => void): this {
    const at = this.#len;
    this.#grow(lengthBytes);
    this.#len += lengthBytes;
    body(this);
    const n = this.#len - at - lengthBytes;
    const max = lengthBytes === 1 ? 0xff : lengthBytes === 2 ? 0xffff : 0xffffff;
    if (n > max) {
      throw new WiretightError(
        'WT_ERR_WIRE_ENCODE',
        `vector of ${n} bytes does not fit a ${lengthBytes}-byte length`,
      );
    }
    for (let i = lengthBytes - 1, v = n; i >= 0; i--, v >>>= 8) {
      this.#buf[at + i] = v & 0xff;
    }
    return this;
  }

  vectorOf(lengthBytes: 1 | 2 | 3, b: Uint8Array): this {
    return this.vector(lengthBytes, (w) => w.bytes(b));
  }

  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

function checkRange(v: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${what} value ${v} out of range 0..${max}`);
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) {
    throw new TypeError(`not a hex string: ${hex.slice(0, 20)}`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A byte FIFO for stream reassembly: chunks are appended at the back, whole units are
 * taken from the front. One growable buffer with start/end offsets keeps a peer that
 * dribbles one byte per segment linear: growth doubles the capacity, and the held bytes
 * are moved to the front only when at least as many have been consumed before them, so
 * every byte is copied a bounded number of times.
 */
export class ByteQueue {
  static readonly #MIN_CAPACITY = 1024;
  #buf = new Uint8Array(0);
  #start = 0;
  #end = 0;

  /** Bytes held, not yet taken. */
  get length(): number {
    return this.#end - this.#start;
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    if (this.#end + n > this.#buf.length) {
      const held = this.length;
      if (held + n <= this.#buf.length && this.#start >= held) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        let size = Math.max(this.#buf.length * 2, ByteQueue.#MIN_CAPACITY);
        while (size < held + n) size *= 2;
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = next;
      }
      this.#start = 0;
      this.#end = held;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += n;
  }

  /** A view of the first min(n, length) bytes, valid only until the next push or take. */
  peek(n: number): Uint8Array {
    return this.#buf.subarray(this.#start, this.#start + Math.min(n, this.length));
  }

  /** Removes the first n bytes and returns them as a copy the caller may keep. */
  take(n: number): Uint8Array {
    if (!Number.isInteger(n) || n < 0 || n > this.length) {
      throw new RangeError(`cannot take ${n} of ${this.length} held bytes`);
    }
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    if (this.#start === this.#end) {
      this.#start = 0;
      this.#end = 0;
    }
    return out;
  }
}
