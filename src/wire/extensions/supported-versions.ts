import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/** ClientHello form: a 1-byte-length list of versions, most preferred first. */
export function encodeSupportedVersions(versions: readonly number[]): Uint8Array {
  return new ByteWriter(1 + versions.length * 2)
    .vector(1, (w) => {
      for (const v of versions) w.u16(v);
    })
    .finish();
}

export function decodeClientSupportedVersions(data: Uint8Array): number[] {
  const r = new ByteReader(data, 'supported_versions');
  const list = r.sub(1, 'versions', 2, 254);
  if (list.remaining % 2 !== 0) list.fail('odd list length');
  const out: number[] = [];
  while (!list.atEnd) out.push(list.u16());
  r.expectEnd();
  return out;
}

/** ServerHello / HelloRetryRequest form: the one selected version. */
export function decodeServerSupportedVersion(data: Uint8Array): number {
  const r = new ByteReader(data, 'supported_versions');
  const v = r.u16('selected_version');
  r.expectEnd();
  return v;
}

export function encodeServerSupportedVersion(version: number): Uint8Array {
  return new ByteWriter(2).u16(version).finish();
}
