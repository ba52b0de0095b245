import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/** RFC 7301: a 2-byte-length list of 1-byte-length protocol names (no empty names). */
export function encodeAlpn(protocols: readonly string[]): Uint8Array {
  const enc = new TextEncoder();
  return new ByteWriter()
    .vector(2, (w) => {
      for (const p of protocols) {
        const name = enc.encode(p);
        if (name.length === 0) throw new RangeError('ALPN protocol names cannot be empty');
        w.vectorOf(1, name);
      }
    })
    .finish();
}

export function decodeAlpn(data: Uint8Array): string[] {
  const r = new ByteReader(data, 'application_layer_protocol_negotiation');
  const list = r.sub(2, 'protocol_name_list', 2);
  const dec = new TextDecoder('utf-8', { fatal: false });
  const out: string[] = [];
  while (!list.atEnd) out.push(dec.decode(list.vector(1, 'protocol_name', 1)));
  r.expectEnd();
  return out;
}
