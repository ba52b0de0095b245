/**
 * RFC 7685: zero bytes that move a ClientHello out of the 256–511 byte range some
 * middleboxes and old F5 servers hang on, and that size fingerprints to a chosen length.
 */
export function encodePadding(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) {
    throw new RangeError(`padding length ${length} out of range`);
  }
  return new Uint8Array(length);
}
