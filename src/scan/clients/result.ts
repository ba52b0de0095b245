import { cipherSuite, suiteIdHex } from '../../wire/registry/cipher-suites.ts';
import { groupName } from '../../wire/registry/groups.ts';
import { type TlsProtocolName, protocolName } from '../../wire/registry/versions.ts';
import type { ClientProfile } from './profile.ts';
import type { Negotiated } from './server-answer.ts';

/** One simulated client, as the scan report keeps it (JSON-serializable). */
export interface ClientResult {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  /** Whether this client would complete a handshake with the server. */
  readonly connected: boolean;
  /** What the server chose, when it answered with a ServerHello (also when the client then fails). */
  readonly version?: TlsProtocolName;
  /** IANA name. */
  readonly suite?: string;
  /** Lower-case hex, `0xc02f`. */
  readonly suiteId?: string;
  /** ECDHE curve (TLS ≤ 1.2) or TLS 1.3 key share group. */
  readonly group?: string;
  /**
   * TLS ≤ 1.2 key exchange size: the DHE prime, the ECDHE curve (253 for x25519, as
   * OpenSSL counts it), or the RSA key for RSA key exchange.
   */
  readonly kexBits?: number;
  readonly alpn?: string;
  /** TLS 1.3: the server first answered with a HelloRetryRequest for `group`. */
  readonly helloRetry?: boolean;
  /**
   * Why it would not connect: the server's alert (`handshake_failure alert`), `no answer`,
   * or the limit broken (`DH 4096 bits, above the 2048 this client accepts`).
   */
  readonly failure?: string;
  /** Why this client could not be simulated here; `connected` is then false and means nothing. */
  readonly skipped?: string;
}

/** Every field of a result, each once: the docs test checks docs/clients.md explains them all. */
export const CLIENT_RESULT_FIELDS = Object.keys({
  id: true,
  name: true,
  family: true,
  connected: true,
  version: true,
  suite: true,
  suiteId: true,
  group: true,
  kexBits: true,
  alpn: true,
  helloRetry: true,
  failure: true,
  skipped: true,
} satisfies Record<keyof ClientResult, true>);

/** The `clients` facts of a scan: one result per profile, in the profiles' order. */
export interface ClientSimulationFacts {
  readonly clients: readonly ClientResult[];
}

/** Curve sizes in bits, as OpenSSL's "Server Temp Key" gives them. */
const CURVE_BITS: ReadonlyMap<number, number> = new Map([
  [0x0013, 192],
  [0x0015, 224],
  [0x0016, 256],
  [0x0017, 256],
  [0x0018, 384],
  [0x0019, 521],
  [0x001a, 256],
  [0x001b, 384],
  [0x001c, 512],
  [0x001d, 253],
  [0x001e, 448],
]);

function kexBits(n: Negotiated): number | undefined {
  if (n.version === 0x0304) return undefined;
  if (n.dhBits !== undefined) return n.dhBits;
  if (n.group !== undefined) return CURVE_BITS.get(n.group);
  const rsaKx = cipherSuite(n.suite)?.kx === 'RSA';
  return rsaKx ? (n.certificate?.keyBits ?? undefined) : undefined;
}

/** The parts of a result that name the client. */
export function clientIdentity(p: ClientProfile): Pick<ClientResult, 'id' | 'name' | 'family'> {
  return { id: p.id, name: p.name, family: p.family };
}

/** A result from what was negotiated, whether or not the client accepts it. */
export function negotiatedResult(
  profile: ClientProfile,
  n: Negotiated,
  verdict: { readonly failure?: string | undefined; readonly helloRetry: boolean },
): ClientResult {
  const version = protocolName(n.version);
  const suite = cipherSuite(n.suite);
  const bits = kexBits(n);
  return {
    ...clientIdentity(profile),
    connected: verdict.failure === undefined,
    ...(version === undefined || version === 'SSLv2' ? {} : { version }),
    ...(suite === undefined ? {} : { suite: suite.name }),
    suiteId: suiteIdHex(n.suite),
    ...(n.group === undefined ? {} : { group: groupName(n.group) }),
    ...(bits === undefined ? {} : { kexBits: bits }),
    ...(n.alpn === undefined ? {} : { alpn: n.alpn }),
    ...(verdict.helloRetry ? { helloRetry: true } : {}),
    ...(verdict.failure === undefined ? {} : { failure: verdict.failure }),
  };
}

/** A client that got no ServerHello it could use. */
export function refusedResult(profile: ClientProfile, failure: string): ClientResult {
  return { ...clientIdentity(profile), connected: false, failure };
}

export function skippedResult(profile: ClientProfile, why: string): ClientResult {
  return { ...clientIdentity(profile), connected: false, skipped: why };
}
