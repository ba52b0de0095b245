import { decodeU16List, encodeU16List } from './u16-list.ts';

export function encodeSignatureAlgorithms(schemes: readonly number[]): Uint8Array {
  return encodeU16List(schemes);
}

/** Also the form of signature_algorithms_cert (RFC 8446 §4.2.3): pass that name for its errors. */
export function decodeSignatureAlgorithms(
  data: Uint8Array,
  name = 'signature_algorithms',
): number[] {
  return decodeU16List(data, name);
}
