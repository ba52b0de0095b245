import { bytesEqual, fromHex } from '../../core/bytes.ts';
import { WiretightError, isWiretightError } from '../../errors.ts';
import {
  type ClientHello,
  encodeClientHelloBody,
  parseClientHello,
} from '../../wire/client-hello.ts';
import { decodeAlpn } from '../../wire/extensions/alpn.ts';
import { type Extension, findExtension } from '../../wire/extensions/extension.ts';
import { type KeyShareEntry, decodeClientKeyShares } from '../../wire/extensions/key-share.ts';
import { decodeServerName } from '../../wire/extensions/server-name.ts';
import { decodeSignatureAlgorithms } from '../../wire/extensions/signature-algorithms.ts';
import { decodeSupportedGroups } from '../../wire/extensions/supported-groups.ts';
import { decodeClientSupportedVersions } from '../../wire/extensions/supported-versions.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';

/**
 * A recorded client: the ClientHello it sends and what it is known to refuse. Data, not
 * code (profiles.json, listed in docs/clients.md); `loadClientProfiles` checks every field.
 */
export interface ClientProfile {
  /** Stable, lower-case, `a-z0-9.-`: what reports and suppressions name. */
  readonly id: string;
  /** As a person names the client: `Chrome 101 (Win 10)`, `curl 7.88.1 (Debian 12)`. */
  readonly name: string;
  /** Browser or library family, for grouping: `Chrome`, `Java`, `OpenSSL`… */
  readonly family: string;
  /** The ClientHello handshake body (no record or handshake header), hex, as the client sent it. */
  readonly hello: string;
  /** Only the limits known for this client; absent ones are not checked. */
  readonly constraints?: ClientConstraints;
  readonly source: ProfileSource;
}

/** Limits a client enforces beyond what its hello says, as SSL Labs' client database gives them. */
export interface ClientConstraints {
  /** Smallest DHE prime accepted, in bits. */
  readonly minDhBits?: number;
  /** Largest DHE prime accepted (Java 7 handled at most 1024). */
  readonly maxDhBits?: number;
  /** Smallest RSA key accepted in the server certificate. */
  readonly minRsaBits?: number;
  readonly maxRsaBits?: number;
  /** Smallest ECDSA key accepted in the server certificate. */
  readonly minEcdsaBits?: number;
  /** The client cannot verify SHA-1 signatures (certificates or key exchange). */
  readonly requiresSha2?: boolean;
}

export const CONSTRAINT_NAMES = [
  'minDhBits',
  'maxDhBits',
  'minRsaBits',
  'maxRsaBits',
  'minEcdsaBits',
  'requiresSha2',
] as const satisfies readonly (keyof ClientConstraints)[];

export const PROFILE_SOURCE_KINDS = ['recorded', 'ssllabs'] as const;

export interface ProfileSource {
  /** `recorded`: captured here by scripts/clients/record.ts; `ssllabs`: SSL Labs' client database. */
  readonly kind: (typeof PROFILE_SOURCE_KINDS)[number];
  /** The exact command that made the client send it, or the file and entry it was read from. */
  readonly how: string;
  /** The version the program printed, or the client's name in the database. */
  readonly program: string;
  /** YYYY-MM-DD. */
  readonly recordedOn: string;
  /** Where the constraints come from, when not from the same source as the hello. */
  readonly constraintsFrom?: string;
}

/** What a profile's hello offers, decoded once at load for the replay and the verdicts. */
export interface ClientOffers {
  readonly suites: readonly number[];
  /** supported_groups, when the hello has the extension. */
  readonly groups: readonly number[] | undefined;
  /** supported_versions, when the hello has the extension. */
  readonly versions: readonly number[] | undefined;
  readonly keyShares: readonly KeyShareEntry[];
  readonly alpn: readonly string[];
  /** signature_algorithms, when the hello has the extension. */
  readonly signatureSchemes: readonly number[] | undefined;
}

/** A profile checked and decoded: the JSON form, the parsed hello, and its offers. */
export interface LoadedProfile {
  readonly profile: ClientProfile;
  readonly hello: ClientHello;
  readonly offers: ClientOffers;
}

/** Caps on profile data: the file is trusted more than a peer, but not blindly. */
export const PROFILE_LIMITS = {
  profiles: 1000,
  helloBytes: 16 * 1024,
  text: 1000,
} as const;

const ID = /^[a-z0-9][a-z0-9.-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PROFILE_KEYS: ReadonlySet<string> = new Set([
  'id',
  'name',
  'family',
  'hello',
  'constraints',
  'source',
]);
const SOURCE_KEYS: ReadonlySet<string> = new Set([
  'kind',
  'how',
  'program',
  'recordedOn',
  'constraintsFrom',
]);

function profileError(where: string, what: string, cause?: unknown): WiretightError {
  return new WiretightError(
    'WT_ERR_SCAN_CLIENT_PROFILE',
    `client profile ${where}: ${what}`,
    cause === undefined ? undefined : { cause },
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.has(key)) throw profileError(where, `unknown field "${key}"`);
  }
}

function text(
  o: Record<string, unknown>,
  key: string,
  where: string,
  pattern?: RegExp,
  max: number = PROFILE_LIMITS.text,
): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw profileError(where, `"${key}" must be a string of 1..${max} characters`);
  }
  if (pattern !== undefined && !pattern.test(v)) {
    throw profileError(where, `"${key}" ${JSON.stringify(v)} does not match ${pattern}`);
  }
  return v;
}

function constraints(v: unknown, where: string): ClientConstraints {
  if (!isRecord(v)) throw profileError(where, '"constraints" must be an object');
  onlyKeys(v, new Set<string>(CONSTRAINT_NAMES), where);
  const out: Record<string, number | boolean> = {};
  for (const name of CONSTRAINT_NAMES) {
    const value = v[name];
    if (value === undefined) continue;
    const ok =
      name === 'requiresSha2'
        ? typeof value === 'boolean'
        : typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65536;
    if (!ok) throw profileError(where, `constraint "${name}" has a bad value ${String(value)}`);
    out[name] = value as number | boolean;
  }
  return out;
}

function source(v: unknown, where: string): ProfileSource {
  if (!isRecord(v)) throw profileError(where, '"source" must be an object');
  onlyKeys(v, SOURCE_KEYS, where);
  const kind = v['kind'];
  if (!PROFILE_SOURCE_KINDS.includes(kind as ProfileSource['kind'])) {
    throw profileError(where, `source "kind" must be one of ${PROFILE_SOURCE_KINDS.join(', ')}`);
  }
  return {
    kind: kind as ProfileSource['kind'],
    how: text(v, 'how', where),
    program: text(v, 'program', where),
    recordedOn: text(v, 'recordedOn', where, DATE),
    ...(v['constraintsFrom'] === undefined
      ? {}
      : { constraintsFrom: text(v, 'constraintsFrom', where) }),
  };
}

function decodeHex(hex: string, where: string): Uint8Array {
  try {
    return fromHex(hex);
  } catch (err) {
    throw profileError(where, 'hello is not an even-length hex string', err);
  }
}

/** Decodes an extension the replay or the verdicts read; undefined when it is absent. */
function decoded<T>(
  extensions: readonly Extension[],
  type: number,
  decode: (data: Uint8Array) => T,
): T | undefined {
  const e = findExtension(extensions, type);
  return e === undefined ? undefined : decode(e.data);
}

function offersOf(hello: ClientHello, where: string): ClientOffers {
  const exts = hello.extensions ?? [];
  // RFC 8446 §4.2.11: pre_shared_key comes last; the replay drops it with its binders.
  const psk = exts.findIndex((e) => e.type === X.pre_shared_key);
  if (psk >= 0 && psk !== exts.length - 1) {
    throw profileError(where, 'pre_shared_key is not the last extension');
  }
  // server_name is replaced per target: a malformed one must fail here, not mid-scan.
  decoded(exts, X.server_name, decodeServerName);
  return {
    suites: hello.cipherSuites,
    groups: decoded(exts, X.supported_groups, decodeSupportedGroups),
    versions: decoded(exts, X.supported_versions, decodeClientSupportedVersions),
    keyShares: decoded(exts, X.key_share, decodeClientKeyShares) ?? [],
    alpn: decoded(exts, X.application_layer_protocol_negotiation, decodeAlpn) ?? [],
    signatureSchemes: decoded(exts, X.signature_algorithms, decodeSignatureAlgorithms),
  };
}

function parseHello(
  bytes: Uint8Array,
  where: string,
): { hello: ClientHello; offers: ClientOffers } {
  try {
    const hello = parseClientHello(bytes);
    // The replay re-encodes the parsed hello: it must give back exactly what was recorded.
    if (!bytesEqual(encodeClientHelloBody(hello), bytes)) {
      throw profileError(where, 'hello does not re-encode byte for byte');
    }
    return { hello, offers: offersOf(hello, where) };
  } catch (err) {
    if (isWiretightError(err) && err.code === 'WT_ERR_SCAN_CLIENT_PROFILE') throw err;
    if (isWiretightError(err) || err instanceof RangeError) {
      throw profileError(where, `hello is not a valid ClientHello: ${err.message}`, err);
    }
    throw err;
  }
}

/** Checks one profile (the `index`-th of its file) and decodes its hello. */
export function loadProfile(data: unknown, index: number): LoadedProfile {
  let where = `#${index}`;
  if (!isRecord(data)) throw profileError(where, 'must be an object');
  const id = text(data, 'id', where, ID);
  where = `#${index} (${id})`;
  onlyKeys(data, PROFILE_KEYS, where);
  const hex = text(data, 'hello', where, undefined, PROFILE_LIMITS.helloBytes * 2);
  const profile: ClientProfile = {
    id,
    name: text(data, 'name', where),
    family: text(data, 'family', where),
    hello: hex,
    ...(data['constraints'] === undefined
      ? {}
      : { constraints: constraints(data['constraints'], where) }),
    source: source(data['source'], where),
  };
  return { profile, ...parseHello(decodeHex(hex, where), where) };
}

/** Checks a whole profile file: an array of profiles with distinct ids. */
export function loadProfiles(data: unknown): LoadedProfile[] {
  if (!Array.isArray(data)) throw profileError('file', 'must be an array of profiles');
  if (data.length > PROFILE_LIMITS.profiles) {
    throw profileError('file', `holds ${data.length} profiles, over ${PROFILE_LIMITS.profiles}`);
  }
  const seen = new Set<string>();
  return data.map((entry, i) => {
    const loaded = loadProfile(entry, i);
    if (seen.has(loaded.profile.id)) {
      throw profileError(`#${i}`, `duplicate id "${loaded.profile.id}"`);
    }
    seen.add(loaded.profile.id);
    return loaded;
  });
}
