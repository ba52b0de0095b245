import { randomBytes } from 'node:crypto';
import { ByteReader, ByteWriter } from '../core/bytes.ts';
import { type Extension, parseExtensions, writeExtensions } from './extensions/extension.ts';
import { encodeServerName } from './extensions/server-name.ts';
import { encodeSupportedGroups } from './extensions/supported-groups.ts';
import { encodeEcPointFormats } from './extensions/ec-point-formats.ts';
import { encodeSignatureAlgorithms } from './extensions/signature-algorithms.ts';
import { encodeSupportedVersions } from './extensions/supported-versions.ts';
import { encodeClientKeyShares, type KeyShareEntry } from './extensions/key-share.ts';
import { encodeAlpn } from './extensions/alpn.ts';
import { encodeRenegotiationInfo } from './extensions/renegotiation-info.ts';
import { encodeStatusRequest } from './extensions/status-request.ts';
import { encodeHeartbeat } from './extensions/heartbeat.ts';
import { encodePadding } from './extensions/padding.ts';
import { EXTENSION_TYPES as X } from './registry/extension-types.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from './handshake.ts';
import { CONTENT_TYPE, encodeRecords } from './record.ts';

/** The ClientHello exactly as on the wire. `extensions: null` means the block is absent (SSLv3 style). */
export interface ClientHello {
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: readonly number[];
  readonly extensions: readonly Extension[] | null;
}

export function encodeClientHelloBody(ch: ClientHello): Uint8Array {
  const w = new ByteWriter(512);
  w.u16(ch.legacyVersion);
  if (ch.random.length !== 32) throw new RangeError('random must be 32 bytes');
  w.bytes(ch.random);
  w.vectorOf(1, ch.sessionId);
  w.vector(2, () => {
    for (const s of ch.cipherSuites) w.u16(s);
  });
  w.vector(1, () => {
    for (const c of ch.compressionMethods) w.u8(c);
  });
  if (ch.extensions !== null) writeExtensions(w, ch.extensions);
  return w.finish();
}

/** The handshake message (4-byte header included), as hashed into a transcript. */
export function encodeClientHello(ch: ClientHello): Uint8Array {
  return encodeHandshake(HANDSHAKE_TYPE.client_hello, encodeClientHelloBody(ch));
}

export function parseClientHello(body: Uint8Array): ClientHello {
  const r = new ByteReader(body, 'ClientHello');
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const sessionId = r.vector(1, 'legacy_session_id', 0, 32);
  const suites = r.sub(2, 'cipher_suites', 2);
  if (suites.remaining % 2 !== 0) suites.fail('odd cipher_suites length');
  const cipherSuites: number[] = [];
  while (!suites.atEnd) cipherSuites.push(suites.u16());
  const compressionMethods = Array.from(r.vector(1, 'legacy_compression_methods', 1));
  const extensions = r.atEnd ? null : parseExtensions(r);
  r.expectEnd();
  return { legacyVersion, random, sessionId, cipherSuites, compressionMethods, extensions };
}

/** What a probe wants in its hello; each option maps to one extension. */
export interface HelloOptions {
  /** legacy_version; for TLS 1.3 probes this stays 0x0303 and supportedVersions carries 0x0304. */
  readonly version: number;
  readonly cipherSuites: readonly number[];
  readonly serverName?: string | undefined;
  readonly supportedGroups?: readonly number[];
  readonly signatureAlgorithms?: readonly number[];
  readonly supportedVersions?: readonly number[];
  readonly keyShares?: readonly KeyShareEntry[];
  readonly alpn?: readonly string[];
  readonly ecPointFormats?: readonly number[];
  readonly compressionMethods?: readonly number[];
  readonly renegotiationInfo?: boolean;
  readonly sessionTicket?: boolean;
  readonly statusRequest?: boolean;
  readonly signedCertificateTimestamp?: boolean;
  readonly extendedMasterSecret?: boolean;
  readonly encryptThenMac?: boolean;
  readonly heartbeat?: boolean;
  /** Pad the whole handshake message to at least this many bytes (RFC 7685). */
  readonly padTo?: number;
  /** Omit the extensions block entirely (some SSLv3-era servers choke on it). */
  readonly noExtensions?: boolean;
  readonly random?: Uint8Array;
  readonly sessionId?: Uint8Array;
  /** Extra extensions appended as given (unknown ones, or deliberately malformed ones). */
  readonly extraExtensions?: readonly Extension[];
}

const EMPTY = new Uint8Array(0);

/** SNI carries DNS names only (RFC 6066 §3): never an IP literal. */
function isIpLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

export function buildClientHello(o: HelloOptions): ClientHello {
  const ext: Extension[] = [];
  const add = (type: number, data: Uint8Array): void => {
    ext.push({ type, data });
  };
  if (o.serverName !== undefined && o.serverName !== '' && !isIpLiteral(o.serverName)) {
    add(X.server_name, encodeServerName(o.serverName));
  }
  if (o.extendedMasterSecret === true) add(X.extended_master_secret, EMPTY);
  if (o.renegotiationInfo === true) add(X.renegotiation_info, encodeRenegotiationInfo());
  if (o.supportedGroups !== undefined && o.supportedGroups.length > 0) {
    add(X.supported_groups, encodeSupportedGroups(o.supportedGroups));
  }
  if (o.ecPointFormats !== undefined)
    add(X.ec_point_formats, encodeEcPointFormats(o.ecPointFormats));
  if (o.sessionTicket === true) add(X.session_ticket, EMPTY);
  if (o.alpn !== undefined && o.alpn.length > 0) {
    add(X.application_layer_protocol_negotiation, encodeAlpn(o.alpn));
  }
  if (o.statusRequest === true) add(X.status_request, encodeStatusRequest());
  if (o.signatureAlgorithms !== undefined && o.signatureAlgorithms.length > 0) {
    add(X.signature_algorithms, encodeSignatureAlgorithms(o.signatureAlgorithms));
  }
  if (o.signedCertificateTimestamp === true) add(X.signed_certificate_timestamp, EMPTY);
  if (o.encryptThenMac === true) add(X.encrypt_then_mac, EMPTY);
  if (o.heartbeat === true) add(X.heartbeat, encodeHeartbeat(1));
  if (o.keyShares !== undefined) add(X.key_share, encodeClientKeyShares(o.keyShares));
  if (o.supportedVersions !== undefined && o.supportedVersions.length > 0) {
    add(X.supported_versions, encodeSupportedVersions(o.supportedVersions));
  }
  if (o.supportedVersions?.includes(0x0304) === true) {
    // psk_dhe_ke: RFC 8446 §4.2.9 requires it beside key_share for some servers.
    add(X.psk_key_exchange_modes, Uint8Array.of(1, 1));
  }
  for (const e of o.extraExtensions ?? []) ext.push(e);

  const hello: ClientHello = {
    legacyVersion: o.version,
    random: o.random ?? new Uint8Array(randomBytes(32)),
    // A non-empty session id makes TLS 1.3 middlebox-compatibility servers behave as in the wild.
    sessionId:
      o.sessionId ??
      (o.supportedVersions?.includes(0x0304) === true ? new Uint8Array(randomBytes(32)) : EMPTY),
    cipherSuites: o.cipherSuites,
    compressionMethods: o.compressionMethods ?? [0],
    extensions: o.noExtensions === true ? null : ext,
  };
  if (o.padTo === undefined || hello.extensions === null) return hello;
  const size = clientHelloLength(hello);
  if (size >= o.padTo) return hello;
  // Within 4 bytes of the target an empty padding extension still lifts it past.
  const missing = Math.max(0, o.padTo - size - 4);
  return {
    ...hello,
    extensions: [...hello.extensions, { type: X.padding, data: encodePadding(missing) }],
  };
}

/** Length of `encodeClientHello(ch)`, computed without encoding (hellos are built per connection). */
export function clientHelloLength(ch: ClientHello): number {
  let n =
    4 +
    2 +
    32 +
    1 +
    ch.sessionId.length +
    2 +
    2 * ch.cipherSuites.length +
    1 +
    ch.compressionMethods.length;
  if (ch.extensions !== null) {
    n += 2;
    for (const e of ch.extensions) n += 4 + e.data.length;
  }
  return n;
}

/**
 * The bytes to send: the hello in handshake records. The record-layer version of a first
 * flight is conventionally TLS 1.0 (RFC 8446 §5.1), except for SSLv3 probes where some
 * servers require the record version to match.
 */
export function clientHelloRecords(ch: ClientHello): Uint8Array {
  const recordVersion = ch.legacyVersion === 0x0300 ? 0x0300 : 0x0301;
  return encodeRecords(CONTENT_TYPE.handshake, recordVersion, encodeClientHello(ch));
}
