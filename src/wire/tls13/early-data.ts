import { ByteReader, ByteWriter } from '../../core/bytes.ts';
import { type Extension, findExtension } from '../extensions/extension.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';

/**
 * The early_data extension (RFC 8446 §4.2.10) in its three forms: empty in a ClientHello
 * (the client sends 0-RTT data) and in EncryptedExtensions (the server accepted it), and a
 * uint32 max_early_data_size in a NewSessionTicket (the ticket may carry that much).
 */

const EMPTY = new Uint8Array(0);

/** The ClientHello and EncryptedExtensions form. */
export function earlyDataIndication(): Extension {
  return { type: X.early_data, data: EMPTY };
}

/**
 * True when `extensions` (a ClientHello's or an EncryptedExtensions') carry early_data.
 * The indication is empty: any data in it is a DecodeError, not a yes.
 */
export function hasEarlyDataIndication(extensions: readonly Extension[]): boolean {
  const ext = findExtension(extensions, X.early_data);
  if (ext === undefined) return false;
  new ByteReader(ext.data, 'early_data').expectEnd();
  return true;
}

/** NewSessionTicket form: max_early_data_size. */
export function decodeTicketEarlyData(data: Uint8Array): number {
  const r = new ByteReader(data, 'early_data');
  const max = r.u32('max_early_data_size');
  r.expectEnd();
  return max;
}

export function encodeTicketEarlyData(maxEarlyDataSize: number): Uint8Array {
  return new ByteWriter(4).u32(maxEarlyDataSize).finish();
}
