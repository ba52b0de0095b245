import { ByteReader, ByteWriter } from '../../core/bytes.ts';

export interface KeyShareEntry {
  readonly group: number;
  readonly keyExchange: Uint8Array;
}

export function encodeClientKeyShares(entries: readonly KeyShareEntry[]): Uint8Array {
  return new ByteWriter()
    .vector(2, (w) => {
      for (const e of entries) w.u16(e.group).vectorOf(2, e.keyExchange);
    })
    .finish();
}

export function decodeClientKeyShares(data: Uint8Array): KeyShareEntry[] {
  const r = new ByteReader(data, 'key_share');
  const list = r.sub(2, 'client_shares');
  const out: KeyShareEntry[] = [];
  while (!list.atEnd) {
    out.push({ group: list.u16('group'), keyExchange: list.vector(2, 'key_exchange', 1) });
  }
  r.expectEnd();
  return out;
}

/** ServerHello form: the single share the server chose. */
export function decodeServerKeyShare(data: Uint8Array): KeyShareEntry {
  const r = new ByteReader(data, 'key_share');
  const entry = { group: r.u16('group'), keyExchange: r.vector(2, 'key_exchange', 1) };
  r.expectEnd();
  return entry;
}

export function encodeServerKeyShare(entry: KeyShareEntry): Uint8Array {
  return new ByteWriter().u16(entry.group).vectorOf(2, entry.keyExchange).finish();
}

/** HelloRetryRequest form: only the group the server wants a share for. */
export function decodeHelloRetryKeyShare(data: Uint8Array): number {
  const r = new ByteReader(data, 'key_share');
  const group = r.u16('selected_group');
  r.expectEnd();
  return group;
}
