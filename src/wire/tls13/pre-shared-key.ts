import { ByteReader, ByteWriter } from '../../core/bytes.ts';

/**
 * The pre_shared_key extension (RFC 8446 §4.2.11): the client's OfferedPsks (identities,
 * then one binder per identity) and the server's selected_identity. The binders come last
 * in the last extension of the ClientHello, which is what lets a binder be computed over
 * the hello "truncated" just before them.
 */

export interface PskIdentity {
  /** The ticket as the server sent it (or an external PSK's label). */
  readonly identity: Uint8Array;
  /** Ticket age in ms plus ticket_age_add, modulo 2^32; 0 for external PSKs. */
  readonly obfuscatedTicketAge: number;
}

export interface OfferedPsks {
  readonly identities: readonly PskIdentity[];
  readonly binders: readonly Uint8Array[];
}

/** PskBinderEntry<32..255>: a binder is an HMAC as long as the suite's hash. */
const MIN_BINDER = 32;
const MAX_BINDER = 255;

export function encodeOfferedPsks(psks: OfferedPsks): Uint8Array {
  if (psks.identities.length === 0 || psks.identities.length !== psks.binders.length) {
    throw new RangeError('OfferedPsks needs one binder per identity, and at least one');
  }
  const w = new ByteWriter(256);
  w.vector(2, () => {
    for (const id of psks.identities) {
      if (id.identity.length === 0) throw new RangeError('a PSK identity cannot be empty');
      w.vectorOf(2, id.identity).u32(id.obfuscatedTicketAge);
    }
  });
  w.vector(2, () => {
    for (const binder of psks.binders) {
      if (binder.length < MIN_BINDER || binder.length > MAX_BINDER) {
        throw new RangeError(`a PSK binder is ${MIN_BINDER}..${MAX_BINDER} bytes`);
      }
      w.vectorOf(1, binder);
    }
  });
  return w.finish();
}

export function decodeOfferedPsks(data: Uint8Array): OfferedPsks {
  const r = new ByteReader(data, 'pre_shared_key');
  const ids = r.sub(2, 'identities', 7);
  const identities: PskIdentity[] = [];
  while (!ids.atEnd) {
    const identity = ids.vector(2, `identities[${identities.length}].identity`, 1);
    identities.push({ identity, obfuscatedTicketAge: ids.u32('obfuscated_ticket_age') });
  }
  const list = r.sub(2, 'binders', 33);
  const binders: Uint8Array[] = [];
  while (!list.atEnd) {
    binders.push(list.vector(1, `binders[${binders.length}]`, MIN_BINDER, MAX_BINDER));
  }
  r.expectEnd();
  if (binders.length !== identities.length) {
    r.fail(`${identities.length} identities but ${binders.length} binders`);
  }
  return { identities, binders };
}

/**
 * Bytes the binders take at the end of the extension (and so of the ClientHello): the
 * 2-byte list length, then a 1-byte length and the HMAC for each binder.
 */
export function bindersLength(binderLengths: readonly number[]): number {
  return 2 + binderLengths.reduce((n, length) => n + 1 + length, 0);
}

/** ServerHello form: the index of the identity the server accepted. */
export function decodeServerPreSharedKey(data: Uint8Array): number {
  const r = new ByteReader(data, 'pre_shared_key');
  const selected = r.u16('selected_identity');
  r.expectEnd();
  return selected;
}

export function encodeServerPreSharedKey(selectedIdentity: number): Uint8Array {
  return new ByteWriter(2).u16(selectedIdentity).finish();
}
