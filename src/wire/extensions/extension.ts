import { ByteReader, type ByteWriter } from '../../core/bytes.ts';

/** One extension as carried on the wire; unknown types are kept byte for byte. */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * Extension extensions<min..2^16-1>, read from `r` as the sub-structure `name`. Most
 * messages allow an empty list; TLS 1.3's CertificateRequest needs at least one (min 2).
 */
export function parseExtensions(r: ByteReader, name = 'extensions', min = 0): Extension[] {
  const list = r.sub(2, name, min);
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (!list.atEnd) {
    const type = list.u16('extension_type');
    const data = list.vector(2, `extension ${type}`);
    // RFC 8446 §4.2: a peer must not send the same extension twice in one message.
    if (seen.has(type)) list.fail(`duplicate extension ${type}`);
    seen.add(type);
    out.push({ type, data });
  }
  return out;
}

export function writeExtensions(w: ByteWriter, extensions: readonly Extension[]): void {
  w.vector(2, () => {
    for (const e of extensions) w.u16(e.type).vectorOf(2, e.data);
  });
}

export function findExtension(
  extensions: readonly Extension[],
  type: number,
): Extension | undefined {
  return extensions.find((e) => e.type === type);
}

/** A reader over one extension's data, with a path that names it. */
export function extensionReader(e: Extension, name: string): ByteReader {
  return new ByteReader(e.data, name);
}
