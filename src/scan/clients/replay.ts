import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { type ClientHello, clientHelloLength } from '../../wire/client-hello.ts';
import type { Extension } from '../../wire/extensions/extension.ts';
import { type KeyShareEntry, encodeClientKeyShares } from '../../wire/extensions/key-share.ts';
import { encodePadding } from '../../wire/extensions/padding.ts';
import { encodeServerName } from '../../wire/extensions/server-name.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import {
  type ClientKeyShare,
  generateKeyShare,
  isKeyShareAvailable,
} from '../../wire/tls13/key-exchange.ts';
import type { LoadedProfile } from './profile.ts';

/**
 * Where the fresh parts of a replayed hello come from. Injected, so tests can pin them;
 * the default is node:crypto.
 */
export interface HelloMaterial {
  random(length: number): Uint8Array;
  /**
   * A new key pair for `group`, private half and all (a TLS 1.3 server's flight is
   * decrypted with it on the replay's own connection), or undefined when this runtime
   * cannot make one.
   */
  keyShare(group: number): ClientKeyShare | undefined;
}

export const FRESH_MATERIAL: HelloMaterial = {
  random: (length) => new Uint8Array(randomBytes(length)),
  keyShare: (group) => (isKeyShareAvailable(group) ? generateKeyShare(group) : undefined),
};

/** RFC 8701: GREASE values are 0x?A?A with both bytes equal; servers must ignore them. */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

export type ReplayedHello =
  | {
      readonly kind: 'hello';
      readonly hello: ClientHello;
      /** The key pairs behind its key_share entries, GREASE aside, in the same order. */
      readonly shares: readonly ClientKeyShare[];
    }
  /** A key share for a group this runtime cannot make: the client cannot be replayed. */
  | { readonly kind: 'no-key-share'; readonly group: number };

/** SNI carries DNS names only (RFC 6066 §3). */
function usableSni(sni: string | undefined): string | undefined {
  return sni === undefined || sni === '' || isIP(sni) !== 0 ? undefined : sni;
}

interface FreshShares {
  /** The entries to send: GREASE ones as recorded, the others the public half of `shares`. */
  readonly entries: KeyShareEntry[];
  readonly shares: ClientKeyShare[];
}

/** Fresh shares for the recorded ones; GREASE entries stay byte for byte. */
function freshShares(
  recorded: readonly KeyShareEntry[],
  material: HelloMaterial,
): FreshShares | number {
  const fresh: FreshShares = { entries: [], shares: [] };
  for (const e of recorded) {
    if (isGrease(e.group)) {
      fresh.entries.push(e);
      continue;
    }
    const share = material.keyShare(e.group);
    if (share === undefined) return e.group;
    fresh.entries.push({ group: e.group, keyExchange: share.publicKey });
    fresh.shares.push(share);
  }
  return fresh;
}

/**
 * The padding extension resized so the hello keeps `length` bytes where it can: a longer
 * name or share is paid for by padding, never by dropping anything else.
 */
function keepLength(hello: ClientHello, length: number): ClientHello {
  const extensions = hello.extensions;
  const at = extensions?.findIndex((e) => e.type === X.padding) ?? -1;
  if (extensions === null || at < 0) return hello;
  const padding = extensions[at] as Extension;
  const size = padding.data.length + length - clientHelloLength(hello);
  const data = encodePadding(Math.min(0xffff, Math.max(0, size)));
  return { ...hello, extensions: extensions.with(at, { type: X.padding, data }) };
}

/**
 * The profile's hello, made fresh for one connection to a target: a new random; a new
 * session id when the recorded one was not empty; server_name naming `sni` (dropped for
 * none or an IP address, and never added where the client sent none); key shares made
 * anew for the same groups (`onlyGroup`: a single share for that group, as the second
 * hello after a HelloRetryRequest carries), returned with the hello so the TLS 1.3 flight
 * can be decrypted; pre_shared_key and early_data dropped (no session to resume); padding
 * resized to keep the recorded length. Everything else — order, GREASE, unknown
 * extensions — byte for byte.
 */
export function replayHello(
  loaded: LoadedProfile,
  sni: string | undefined,
  material: HelloMaterial = FRESH_MATERIAL,
  onlyGroup?: number,
): ReplayedHello {
  const recorded = loaded.hello;
  const name = usableSni(sni);
  let extensions: Extension[] | null = null;
  let shares: readonly ClientKeyShare[] = [];
  if (recorded.extensions !== null) {
    extensions = [];
    for (const e of recorded.extensions) {
      if (e.type === X.pre_shared_key || e.type === X.early_data) continue;
      if (e.type === X.server_name) {
        if (name !== undefined) extensions.push({ type: e.type, data: encodeServerName(name) });
        continue;
      }
      if (e.type === X.key_share) {
        const wanted =
          onlyGroup === undefined
            ? loaded.offers.keyShares
            : [{ group: onlyGroup, keyExchange: new Uint8Array(0) }];
        const fresh = freshShares(wanted, material);
        if (typeof fresh === 'number') return { kind: 'no-key-share', group: fresh };
        extensions.push({ type: e.type, data: encodeClientKeyShares(fresh.entries) });
        shares = fresh.shares;
        continue;
      }
      extensions.push(e);
    }
  }
  const hello: ClientHello = {
    ...recorded,
    random: material.random(32),
    sessionId:
      recorded.sessionId.length === 0
        ? recorded.sessionId
        : material.random(recorded.sessionId.length),
    extensions,
  };
  return { kind: 'hello', hello: keepLength(hello, clientHelloLength(recorded)), shares };
}
