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
  // ignoreBOM: a name that starts with EF BB BF keeps those bytes, as encodeAlpn wrote them.
  const dec = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const out: string[] = [];
  while (!list.atEnd) out.push(dec.decode(list.vector(1, 'protocol_name', 1)));
  r.expectEnd();
  return out;
}

/** The server's form (ServerHello ≤ 1.2, EncryptedExtensions 1.3): exactly one protocol (RFC 7301 §3.1). */
export function decodeServerAlpn(data: Uint8Array): string {
  const list = decodeAlpn(data);
  if (list.length !== 1) {
    new ByteReader(data, 'application_layer_protocol_negotiation').fail(
      `${list.length} protocols selected, the server must select exactly one`,
    );
  }
  return list[0] as string;
}
