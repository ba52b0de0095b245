import * as nodeCrypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { concatBytes } from '../../core/bytes.ts';
import { DecodeError } from '../../errors.ts';

const { createECDH, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } =
  nodeCrypto;

/**
 * Client key shares for the TLS 1.3 key_share extension (RFC 8446 §4.2.8) and the
 * (EC)DHE or hybrid KEM shared secret they yield with the server's share. The server's
 * share is hostile: its length and form are checked and a bad one is a DecodeError.
 */

/** IANA NamedGroup codepoints this module can offer. */
export const KEY_SHARE_GROUPS = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  SecP256r1MLKEM768: 0x11eb,
  X25519MLKEM768: 0x11ec,
  SecP384r1MLKEM1024: 0x11ed,
} as const;

export interface ClientKeyShare {
  readonly group: number;
  /** Exactly the key_exchange bytes of the client's KeyShareEntry. */
  readonly publicKey: Uint8Array;
  /** The shared secret for the server's key_exchange bytes; DecodeError when they are unusable. */
  sharedSecret(serverKeyExchange: Uint8Array): Uint8Array;
}

export interface KeyShareOptions {
  /**
   * A fixed private key instead of a fresh one, for test vectors: the raw scalar for
   * x25519/x448 and the NIST curves; for a hybrid, the 64-byte ML-KEM seed (d || z)
   * followed by the raw scalar of the classical part.
   */
  readonly privateKey?: Uint8Array;
}

const PATH = 'KeyShareEntry.key_exchange';

/** A classical or post-quantum component: one public value and one secret per server value. */
interface Component {
  readonly publicKey: Uint8Array;
  readonly serverLength: number;
  secret(server: Uint8Array, at: number): Uint8Array;
}

interface ComponentKind {
  readonly privateLength: number;
  make(privateKey: Uint8Array | undefined): Component;
}

/** PKCS#8 header of a raw X25519/X448 private key (RFC 8410); JWK carries the public key. */
const MONTGOMERY = {
  x25519: { crv: 'X25519', pkcs8: '302e020100300506032b656e04220420' },
  x448: { crv: 'X448', pkcs8: '3046020100300506032b656f043a0438' },
} as const;

function montgomery(type: 'x25519' | 'x448', size: number): ComponentKind {
  const { crv, pkcs8 } = MONTGOMERY[type];
  return {
    privateLength: size,
    make(raw) {
      const privateKey: KeyObject =
        raw === undefined
          ? (type === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448'))
              .privateKey
          : createPrivateKey({
              key: Buffer.concat([Buffer.from(pkcs8, 'hex'), raw]),
              format: 'der',
              type: 'pkcs8',
            });
      const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
      const publicKey = new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
      return {
        publicKey,
        serverLength: size,
        secret(server, at) {
          let shared: Uint8Array;
          try {
            const peer = createPublicKey({
              key: { kty: 'OKP', crv, x: Buffer.from(server).toString('base64url') },
              format: 'jwk',
            });
            shared = new Uint8Array(diffieHellman({ privateKey, publicKey: peer }));
          } catch {
            // OpenSSL refuses an all-zero result: the server sent a low-order point.
            throw new DecodeError(PATH, at, `${type} share is a low-order point`);
          }
          if (shared.every((b) => b === 0)) {
            throw new DecodeError(PATH, at, `${type} share is a low-order point`);
          }
          return shared;
        },
      };
    },
  };
}

function nist(curve: 'prime256v1' | 'secp384r1' | 'secp521r1', coordinate: number): ComponentKind {
  return {
    privateLength: coordinate,
    make(raw) {
      const ecdh = createECDH(curve);
      if (raw === undefined) ecdh.generateKeys();
      else ecdh.setPrivateKey(Buffer.from(raw));
      const publicKey = new Uint8Array(ecdh.getPublicKey(null, 'uncompressed'));
      return {
        publicKey,
        serverLength: 1 + 2 * coordinate,
        secret(server, at) {
          // RFC 8446 §4.2.8.2: only the uncompressed form, legacy_form 4.
          if (server[0] !== 0x04) {
            throw new DecodeError(PATH, at, `${curve} share is not an uncompressed point`);
          }
          try {
            return new Uint8Array(ecdh.computeSecret(Buffer.from(server)));
          } catch {
            throw new DecodeError(PATH, at, `${curve} share is not a point on the curve`);
          }
        },
      };
    },
  };
}

function mlkem(type: 'ml-kem-768' | 'ml-kem-1024', ciphertextLength: number): ComponentKind {
  return {
    privateLength: 64,
    make(seed) {
      const privateKey: KeyObject =
        seed === undefined
          ? generateKeyPairSync(type).privateKey
          : createPrivateKey({
              key: Buffer.from(seed),
              format: 'raw-seed',
              asymmetricKeyType: type,
            });
      const publicKey = new Uint8Array(
        createPublicKey(privateKey).export({ format: 'raw-public' }),
      );
      return {
        publicKey,
        serverLength: ciphertextLength,
        secret(server, at) {
          // ML-KEM decapsulation never fails on a well-sized ciphertext (implicit rejection):
          // a forged one yields a secret the server does not know, and decryption fails later.
          try {
            return new Uint8Array(nodeCrypto.decapsulate(privateKey, Buffer.from(server)));
          } catch {
            throw new DecodeError(PATH, at, `${type} ciphertext was rejected`);
          }
        },
      };
    },
  };
}

const X25519 = montgomery('x25519', 32);
const X448 = montgomery('x448', 56);
const P256 = nist('prime256v1', 32);
const P384 = nist('secp384r1', 48);
const P521 = nist('secp521r1', 66);
const MLKEM768 = mlkem('ml-kem-768', 1088);
const MLKEM1024 = mlkem('ml-kem-1024', 1568);

type GroupSpec = { readonly name: string; readonly parts: readonly ComponentKind[] };

/**
 * Each group is its components in wire order: key_exchange, server share and shared secret
 * are all the concatenation in that order (draft-ietf-tls-ecdhe-mlkem: ML-KEM first for
 * X25519MLKEM768, the NIST curve first for the SecP…MLKEM… hybrids; OpenSSL 3.5 agrees).
 */
const GROUPS: ReadonlyMap<number, GroupSpec> = new Map([
  [KEY_SHARE_GROUPS.secp256r1, { name: 'secp256r1', parts: [P256] }],
  [KEY_SHARE_GROUPS.secp384r1, { name: 'secp384r1', parts: [P384] }],
  [KEY_SHARE_GROUPS.secp521r1, { name: 'secp521r1', parts: [P521] }],
  [KEY_SHARE_GROUPS.x25519, { name: 'x25519', parts: [X25519] }],
  [KEY_SHARE_GROUPS.x448, { name: 'x448', parts: [X448] }],
  [KEY_SHARE_GROUPS.SecP256r1MLKEM768, { name: 'SecP256r1MLKEM768', parts: [P256, MLKEM768] }],
  [KEY_SHARE_GROUPS.X25519MLKEM768, { name: 'X25519MLKEM768', parts: [MLKEM768, X25519] }],
  [KEY_SHARE_GROUPS.SecP384r1MLKEM1024, { name: 'SecP384r1MLKEM1024', parts: [P384, MLKEM1024] }],
]);

const availability = new Map<number, boolean>();

/**
 * Whether this Node can make shares for `group` (ML-KEM needs Node 24.7+ on OpenSSL 3.5+).
 * Learned by trying once per group, lazily: a scan pays only for the group it uses.
 */
export function isKeyShareAvailable(group: number): boolean {
  const spec = GROUPS.get(group);
  if (spec === undefined) return false;
  let ok = availability.get(group);
  if (ok === undefined) {
    try {
      makeParts(spec, undefined);
      ok = true;
    } catch {
      ok = false;
    }
    availability.set(group, ok);
  }
  return ok;
}

/** The groups this Node can generate shares for. */
export function supportedKeyShareGroups(): readonly number[] {
  return [...GROUPS.keys()].filter(isKeyShareAvailable);
}

export function generateKeyShare(group: number, options: KeyShareOptions = {}): ClientKeyShare {
  const spec = GROUPS.get(group);
  const hex = `0x${group.toString(16).padStart(4, '0')}`;
  if (spec === undefined) {
    throw new RangeError(`key share group ${hex} is not supported`);
  }
  let parts: Component[];
  try {
    parts = makeParts(spec, options.privateKey);
    availability.set(group, true);
  } catch (cause) {
    if (!isKeyShareAvailable(group)) {
      throw new RangeError(`key share group ${spec.name} (${hex}) is not available on this Node`, {
        cause,
      });
    }
    if (cause instanceof RangeError) throw cause;
    throw new RangeError(`the ${spec.name} private key is not valid`, { cause });
  }
  const publicKey = concatBytes(parts.map((p) => p.publicKey));
  const serverLength = parts.reduce((n, p) => n + p.serverLength, 0);
  return {
    group,
    publicKey,
    sharedSecret(server: Uint8Array): Uint8Array {
      if (server.length !== serverLength) {
        throw new DecodeError(
          PATH,
          0,
          `${spec.name} share must be ${serverLength} bytes, got ${server.length}`,
        );
      }
      let at = 0;
      const secrets = parts.map((p) => {
        const s = p.secret(server.subarray(at, at + p.serverLength), at);
        at += p.serverLength;
        return s;
      });
      return concatBytes(secrets);
    },
  };
}

function makeParts(spec: GroupSpec, privateKey: Uint8Array | undefined): Component[] {
  const keys = splitPrivateKey(spec.name, spec.parts, privateKey);
  return spec.parts.map((kind, i) => kind.make(keys[i]));
}

function splitPrivateKey(
  name: string,
  kinds: readonly ComponentKind[],
  privateKey: Uint8Array | undefined,
): (Uint8Array | undefined)[] {
  if (privateKey === undefined) return kinds.map(() => undefined);
  const total = kinds.reduce((n, k) => n + k.privateLength, 0);
  if (privateKey.length !== total) {
    throw new RangeError(`a ${name} private key is ${total} bytes, got ${privateKey.length}`);
  }
  let at = 0;
  return kinds.map((k) => privateKey.subarray(at, (at += k.privateLength)));
}
