import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/** RFC 8422 §5.1.2: 0 uncompressed, 1 ansiX962_compressed_prime, 2 ansiX962_compressed_char2. */
export function encodeEcPointFormats(formats: readonly number[]): Uint8Array {
  return new ByteWriter(1 + formats.length)
    .vector(1, (w) => {
      for (const f of formats) w.u8(f);
    })
    .finish();
}

export function decodeEcPointFormats(data: Uint8Array): number[] {
  const r = new ByteReader(data, 'ec_point_formats');
  const list = r.sub(1, 'formats', 1);
  r.expectEnd();
  return Array.from(list.rest());
}
