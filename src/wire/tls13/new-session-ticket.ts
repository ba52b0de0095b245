import { ByteReader, ByteWriter } from '../../core/bytes.ts';
import { WiretightError } from '../../errors.ts';
import {
  type Extension,
  findExtension,
  parseExtensions,
  writeExtensions,
} from '../extensions/extension.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';
import { decodeTicketEarlyData } from './early-data.ts';

/**
 * NewSessionTicket (RFC 8446 §4.6.1), the post-handshake message that hands the client a
 * ticket to resume with, and the early_data limit that says whether 0-RTT may ride on it.
 */

export interface NewSessionTicket {
  /** Seconds the ticket may be used for, as the server said (RFC 8446 caps it at 7 days). */
  readonly lifetimeSec: number;
  readonly ageAdd: number;
  readonly nonce: Uint8Array;
  readonly ticket: Uint8Array;
  readonly extensions: readonly Extension[];
  /** From the early_data extension: present only when the ticket allows 0-RTT. */
  readonly maxEarlyDataSize?: number;
}

/**
 * OpenSSL's tickets are about 200 bytes, a few KiB with a client certificate inside. The
 * ticket goes back to the server in the next ClientHello, so a cap keeps a hostile server
 * from making us build and send hellos of its choosing size.
 */
export const MAX_TICKET_LENGTH = 16 * 1024;

export function parseNewSessionTicket(
  body: Uint8Array,
  maxTicketLength = MAX_TICKET_LENGTH,
): NewSessionTicket {
  const r = new ByteReader(body, 'NewSessionTicket');
  const lifetimeSec = r.u32('ticket_lifetime');
  const ageAdd = r.u32('ticket_age_add');
  const nonce = r.vector(1, 'ticket_nonce');
  const ticketLength = r.u16('ticket');
  if (ticketLength > maxTicketLength) {
    throw new WiretightError(
      'WT_ERR_WIRE_TOO_LARGE',
      `NewSessionTicket.ticket of ${ticketLength} bytes exceeds the ${maxTicketLength}-byte cap`,
    );
  }
  if (ticketLength === 0) r.fail('ticket is empty');
  const ticket = r.bytes(ticketLength, 'ticket');
  const extensions = parseExtensions(r);
  r.expectEnd();
  const earlyData = findExtension(extensions, X.early_data);
  const base = { lifetimeSec, ageAdd, nonce, ticket, extensions };
  return earlyData === undefined
    ? base
    : { ...base, maxEarlyDataSize: decodeTicketEarlyData(earlyData.data) };
}

/** The message body; `extensions` are written as given (early_data included). */
export function encodeNewSessionTicket(
  nst: Omit<NewSessionTicket, 'maxEarlyDataSize'>,
): Uint8Array {
  const w = new ByteWriter(64 + nst.ticket.length);
  w.u32(nst.lifetimeSec).u32(nst.ageAdd).vectorOf(1, nst.nonce).vectorOf(2, nst.ticket);
  writeExtensions(w, nst.extensions);
  return w.finish();
}
