import { type ClientHello, encodeClientHello } from '../client-hello.ts';
import { findExtension } from '../extensions/extension.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';
import { bindersLength, encodeOfferedPsks } from './pre-shared-key.ts';
import { binderKey, earlySecretFromPsk, pskBinder } from './psk-key-schedule.ts';
import { tls13Suite } from './suites.ts';
import { transcriptHash } from './transcript.ts';

/**
 * A ClientHello that offers one resumption PSK (RFC 8446 §4.2.11): pre_shared_key is
 * appended as the last extension, and its binder is the HMAC of the hello truncated just
 * before the binders, so it is computed over the final bytes with a placeholder binder of
 * the right length and written in place.
 */

export interface PskOffer {
  /** The suite the ticket was issued under: its hash keys the binder and the early secret. */
  readonly suite: number;
  readonly psk: Uint8Array;
  /** The ticket, sent back as the PSK identity. */
  readonly identity: Uint8Array;
  readonly obfuscatedTicketAge: number;
}

export interface PskClientHello {
  readonly hello: ClientHello;
  /** The handshake message, header included: what the transcript hashes. */
  readonly message: Uint8Array;
  readonly earlySecret: Uint8Array;
  readonly binder: Uint8Array;
}

/** obfuscated_ticket_age: the ticket's age in ms plus ticket_age_add, modulo 2^32 (§4.2.11.1). */
export function obfuscateTicketAge(ageAdd: number, ageMs: number): number {
  if (!Number.isInteger(ageMs) || ageMs < 0) {
    throw new RangeError(`ticket age ${ageMs} ms is not a non-negative integer`);
  }
  return Number((BigInt(ageMs) + BigInt(ageAdd >>> 0)) % 2n ** 32n);
}

export function offerPsk(hello: ClientHello, offer: PskOffer): PskClientHello {
  const extensions = hello.extensions;
  if (extensions === null || findExtension(extensions, X.psk_key_exchange_modes) === undefined) {
    throw new TypeError('a ClientHello that offers a PSK needs psk_key_exchange_modes (§4.2.9)');
  }
  if (findExtension(extensions, X.pre_shared_key) !== undefined) {
    throw new TypeError('the ClientHello already carries pre_shared_key');
  }
  const { hash, hashLength } = tls13Suite(offer.suite);
  const identities = [{ identity: offer.identity, obfuscatedTicketAge: offer.obfuscatedTicketAge }];
  const withBinder = (binder: Uint8Array): ClientHello => ({
    ...hello,
    extensions: [
      ...extensions,
      { type: X.pre_shared_key, data: encodeOfferedPsks({ identities, binders: [binder] }) },
    ],
  });
  const draft = encodeClientHello(withBinder(new Uint8Array(hashLength)));
  const truncated = draft.subarray(0, draft.length - bindersLength([hashLength]));
  const earlySecret = earlySecretFromPsk(offer.suite, offer.psk);
  const binder = pskBinder(
    offer.suite,
    binderKey(offer.suite, earlySecret),
    transcriptHash(hash, [truncated]),
  );
  const message = draft.slice();
  message.set(binder, message.length - hashLength);
  return { hello: withBinder(binder), message, earlySecret, binder };
}
