import { decodeU16List, encodeU16List } from './u16-list.ts';

export function encodeSignatureAlgorithms(schemes: readonly number[]): Uint8Array {
  return encodeU16List(schemes);
}

export function decodeSignatureAlgorithms(data: Uint8Array): number[] {
  return decodeU16List(data, 'signature_algorithms');
}
