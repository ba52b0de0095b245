import { decodeU16List, encodeU16List } from './u16-list.ts';

export function encodeSupportedGroups(groups: readonly number[]): Uint8Array {
  return encodeU16List(groups);
}

export function decodeSupportedGroups(data: Uint8Array): number[] {
  return decodeU16List(data, 'supported_groups');
}
