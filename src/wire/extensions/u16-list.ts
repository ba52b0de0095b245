import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/**
 * supported_groups and signature_algorithms share one shape: a 2-byte-length list of
 * 2-byte codes. Kept as one codec so the two cannot drift apart.
 */
export function encodeU16List(values: readonly number[]): Uint8Array {
  return new ByteWriter(2 + values.length * 2)
    .vector(2, (w) => {
      for (const v of values) w.u16(v);
    })
    .finish();
}

export function decodeU16List(data: Uint8Array, name: string): number[] {
  const r = new ByteReader(data, name);
  const list = r.sub(2, 'list');
  if (list.remaining % 2 !== 0) list.fail('odd list length');
  const out: number[] = [];
  while (!list.atEnd) out.push(list.u16());
  r.expectEnd();
  return out;
}
