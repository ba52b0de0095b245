import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/** RFC 6066 §3: a client sends one host_name; a server acknowledges with empty data. */
export function encodeServerName(hostName: string): Uint8Array {
  const name = new TextEncoder().encode(hostName);
  return new ByteWriter(name.length + 5).vector(2, (w) => w.u8(0).vectorOf(2, name)).finish();
}

export function decodeServerName(data: Uint8Array): string[] {
  if (data.length === 0) return [];
  const r = new ByteReader(data, 'server_name');
  const list = r.sub(2, 'server_name_list', 1);
  const names: string[] = [];
  while (!list.atEnd) {
    const type = list.u8('name_type');
    const name = list.vector(2, 'host_name', 1);
    if (type === 0) names.push(new TextDecoder('utf-8', { ignoreBOM: true }).decode(name));
  }
  r.expectEnd();
  return names;
}
