import { ByteReader, ByteWriter, bytesEqual, fromHex } from '../core/bytes.ts';
import {
  type Extension,
  findExtension,
  parseExtensions,
  writeExtensions,
} from './extensions/extension.ts';
import { decodeServerSupportedVersion } from './extensions/supported-versions.ts';
import { decodeHelloRetryKeyShare, decodeServerKeyShare } from './extensions/key-share.ts';
import { decodeServerAlpn } from './extensions/alpn.ts';
import { EXTENSION_TYPES as X } from './registry/extension-types.ts';

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
export const HELLO_RETRY_REQUEST_RANDOM = fromHex(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
);

export interface ServerHello {
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  /** null when the server sent no extensions block at all. */
  readonly extensions: readonly Extension[] | null;
}

/** What a scanner concludes from one ServerHello. */
export interface ServerHelloFacts {
  readonly isHelloRetryRequest: boolean;
  /** supported_versions when present, else legacy_version. */
  readonly version: number;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  /** The group of the server's key share (TLS 1.3) or the one a HelloRetryRequest asks for. */
  readonly keyShareGroup: number | undefined;
  readonly serverKeyShare: Uint8Array | undefined;
  readonly alpn: string | undefined;
  readonly extensionTypes: readonly number[];
}

export function parseServerHello(body: Uint8Array): ServerHello {
  const r = new ByteReader(body, 'ServerHello');
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const sessionId = r.vector(1, 'legacy_session_id', 0, 32);
  const cipherSuite = r.u16('cipher_suite');
  const compressionMethod = r.u8('legacy_compression_method');
  const extensions = r.atEnd ? null : parseExtensions(r);
  r.expectEnd();
  return { legacyVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}

export function encodeServerHelloBody(sh: ServerHello): Uint8Array {
  const w = new ByteWriter(128)
    .u16(sh.legacyVersion)
    .bytes(sh.random)
    .vectorOf(1, sh.sessionId)
    .u16(sh.cipherSuite)
    .u8(sh.compressionMethod);
  if (sh.extensions !== null) writeExtensions(w, sh.extensions);
  return w.finish();
}

export function serverHelloFacts(sh: ServerHello): ServerHelloFacts {
  const exts = sh.extensions ?? [];
  const isHelloRetryRequest = bytesEqual(sh.random, HELLO_RETRY_REQUEST_RANDOM);
  const sv = findExtension(exts, X.supported_versions);
  const version = sv === undefined ? sh.legacyVersion : decodeServerSupportedVersion(sv.data);
  const ks = findExtension(exts, X.key_share);
  let keyShareGroup: number | undefined;
  let serverKeyShare: Uint8Array | undefined;
  if (ks !== undefined) {
    if (isHelloRetryRequest) {
      keyShareGroup = decodeHelloRetryKeyShare(ks.data);
    } else {
      const entry = decodeServerKeyShare(ks.data);
      keyShareGroup = entry.group;
      serverKeyShare = entry.keyExchange;
    }
  }
  const alpnExt = findExtension(exts, X.application_layer_protocol_negotiation);
  const alpn = alpnExt === undefined ? undefined : decodeServerAlpn(alpnExt.data);
  return {
    isHelloRetryRequest,
    version,
    cipherSuite: sh.cipherSuite,
    compressionMethod: sh.compressionMethod,
    keyShareGroup,
    serverKeyShare,
    alpn,
    extensionTypes: exts.map((e) => e.type),
  };
}
