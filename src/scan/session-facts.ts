// Facts only a full handshake shows: session resumption, OCSP stapling, the key exchange
// a current client ends up with, and client-initiated renegotiation. The probes run
// through node:tls (src/probe/full-handshake.ts); `concludeSessionFacts` turns their
// outcomes into plain JSON, and is pure so it is tested on recorded outcomes.
import { Semaphore } from '../core/semaphore.ts';
import {
  DEFAULT_MAX_BYTES,
  type Dialer,
  type Endpoint,
  type ExchangeLimits,
} from '../probe/connection.ts';
import {
  type HandshakeFacts,
  type HandshakeOutcome,
  type NodeTlsVersion,
  type RenegotiationOutcome,
  type ResumptionOutcome,
  type TlsFailure,
  handshakeProbe,
  renegotiationProbe,
  resumptionProbe,
} from '../probe/full-handshake.ts';
import { CIPHER_SUITES, suiteIdHex } from '../wire/registry/cipher-suites.ts';
import { groupByName } from '../wire/registry/groups.ts';
import type { ProtocolName } from '../wire/registry/versions.ts';

/** The versions below TLS 1.3 that node:tls can speak, best first. */
const LEGACY_VERSIONS = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0'] as const;
export type LegacyTlsVersion = (typeof LEGACY_VERSIONS)[number];

/** Largest stapled OCSP response copied into the facts (real ones are a few KiB). */
export const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;

/** Connections open at once for these probes: few, since each is a full handshake. */
export const SESSION_MAX_CONNECTIONS = 3;

/** The handshake a current client makes: node's default suites and groups, ALPN h2 and http/1.1. */
export interface NegotiatedFacts {
  /** Null when that handshake failed; `error` says why. */
  readonly version: NodeTlsVersion | null;
  /** IANA name of the suite, null when the handshake failed. */
  readonly suite: string | null;
  /** The suite id as the report writes ids (`0x1301`), when the registry knows the name. */
  readonly suiteId?: string;
  /** The key exchange group by its registry name (`x25519`, `secp256r1`, `X25519MLKEM768`…). */
  readonly group?: string;
  /** Size of the key exchange in bits as OpenSSL gives it (253 for x25519, the DH prime size). */
  readonly groupBits?: number;
  /** The ALPN protocol the server chose from h2 and http/1.1. */
  readonly alpn?: string;
  readonly error?: string;
}

export interface OcspStaplingFacts {
  /** True: a response was stapled; false: asked for, none came; null: the handshake failed. */
  readonly stapled: boolean | null;
  /** The stapled response, DER in base64 (absent above MAX_OCSP_RESPONSE_BYTES). */
  readonly responseBase64?: string;
  /** Size of the stapled response in bytes. */
  readonly responseBytes?: number;
}

/** Which mechanism a resumption fact is about. */
export type ResumptionKind = 'sessionId' | 'ticket' | 'tls13Ticket';

export interface ResumptionFacts {
  /** The version the session-ID and ticket attempts used; null when the server has none below TLS 1.3 that node:tls speaks. */
  readonly legacyVersion: LegacyTlsVersion | null;
  /** Resumed by session ID with tickets off (RFC 5246). Null: not tried, or the attempt failed. */
  readonly sessionId: boolean | null;
  /** Resumed by a session ticket below TLS 1.3 (RFC 5077). Null: not tried, or failed. */
  readonly ticket: boolean | null;
  /** Resumed by a TLS 1.3 ticket (PSK). Null: TLS 1.3 is off, or the attempt failed. */
  readonly tls13Ticket: boolean | null;
  /** Why a mechanism is false or null, where there is more to say than the value. */
  readonly why: Partial<Record<ResumptionKind, string>>;
}

export interface RenegotiationFacts {
  /**
   * - `accepted`: the server completed a renegotiation the client started;
   * - `refused`: it answered with an alert, a close or a reset (`reason` says which);
   * - `not-applicable`: the server speaks only TLS 1.3, which has no renegotiation;
   * - `error`: it could not be told (no connection, no first handshake, no answer).
   */
  readonly result: 'accepted' | 'refused' | 'not-applicable' | 'error';
  /** The version the attempt used. */
  readonly version?: LegacyTlsVersion;
  readonly reason?: string;
}

/** Everything here goes into the scan report as is. */
export interface SessionFacts {
  readonly negotiated: NegotiatedFacts;
  readonly ocspStapling: OcspStaplingFacts;
  readonly resumption: ResumptionFacts;
  readonly clientRenegotiation: RenegotiationFacts;
}

/** What each probe came back with; undefined for a probe that was not run. */
export interface SessionProbeOutcomes {
  readonly versions: readonly ProtocolName[];
  readonly handshake: HandshakeOutcome | undefined;
  readonly sessionId: ResumptionOutcome | undefined;
  readonly ticket: ResumptionOutcome | undefined;
  readonly tls13Ticket: ResumptionOutcome | undefined;
  readonly renegotiation: RenegotiationOutcome | undefined;
}

/** The TLS ≤ 1.2 version the probes use: the best one the server speaks. */
export function legacyVersion(versions: readonly ProtocolName[]): LegacyTlsVersion | undefined {
  return LEGACY_VERSIONS.find((v) => versions.includes(v));
}

/** One line for a connection that failed before it was of use. */
export function describeTlsFailure(failure: TlsFailure): string {
  switch (failure.kind) {
    case 'connect-failed':
      return failure.error.message;
    case 'timeout':
      return 'no complete handshake within the timeout';
    case 'closed':
      return 'the server closed the connection during the handshake';
    case 'reset':
      return 'the server reset the connection during the handshake';
    case 'tls-error':
      return `the handshake failed: ${failure.reason}`;
  }
}

const SUITE_IDS = new Map(CIPHER_SUITES.map((s) => [s.name, s.id]));

// OpenSSL calls a few groups by other names than the IANA registry does.
const OPENSSL_GROUP_NAMES: Readonly<Record<string, string>> = {
  X25519: 'x25519',
  X448: 'x448',
  prime256v1: 'secp256r1',
  prime192v1: 'secp192r1',
};

/** The registry name of the key exchange group, where one can be told. */
function groupOf(facts: HandshakeFacts): string | undefined {
  const e = facts.ephemeral;
  if (e === undefined) return undefined;
  if (e.name !== undefined) return OPENSSL_GROUP_NAMES[e.name] ?? e.name;
  // TLS 1.3 finite-field DH is always one of the RFC 7919 groups; TLS 1.2 DHE primes are the server's own.
  if (e.type === 'DH' && facts.version === 'TLSv1.3' && e.size !== undefined) {
    return groupByName(`ffdhe${e.size}`)?.name;
  }
  return undefined;
}

function negotiatedFacts(outcome: HandshakeOutcome | undefined): NegotiatedFacts {
  if (outcome === undefined) {
    return { version: null, suite: null, error: 'the server speaks no version node:tls can' };
  }
  if (outcome.kind !== 'established') {
    return { version: null, suite: null, error: describeTlsFailure(outcome) };
  }
  const f = outcome.facts;
  const id = SUITE_IDS.get(f.suite);
  const group = groupOf(f);
  return {
    version: f.version ?? null,
    suite: f.suite,
    ...(id === undefined ? {} : { suiteId: suiteIdHex(id) }),
    ...(group === undefined ? {} : { group }),
    ...(f.ephemeral?.size === undefined ? {} : { groupBits: f.ephemeral.size }),
    ...(f.alpn === undefined ? {} : { alpn: f.alpn }),
  };
}

function ocspFacts(outcome: HandshakeOutcome | undefined): OcspStaplingFacts {
  if (outcome?.kind !== 'established') return { stapled: null };
  const response = outcome.ocspResponse;
  if (response === null) return { stapled: false };
  return {
    stapled: true,
    ...(response.length > MAX_OCSP_RESPONSE_BYTES
      ? {}
      : { responseBase64: Buffer.from(response).toString('base64') }),
    responseBytes: response.length,
  };
}

/** A resumption outcome as its fact value, and why when the value alone does not say. */
function resumed(outcome: ResumptionOutcome | undefined): [boolean | null, string | undefined] {
  if (outcome === undefined) return [null, undefined];
  switch (outcome.kind) {
    case 'resumed':
      return [true, undefined];
    case 'not-resumed':
      return [false, 'the server ran a full handshake for the offered session'];
    case 'no-session':
      return [false, outcome.reason];
    default: {
      const which = outcome.stage === 'first' ? 'first connection' : 'resuming connection';
      return [null, `${which}: ${describeTlsFailure(outcome)}`];
    }
  }
}

function resumptionFacts(outcomes: SessionProbeOutcomes): ResumptionFacts {
  const why: Partial<Record<ResumptionKind, string>> = {};
  const value = (kind: ResumptionKind): boolean | null => {
    const [v, reason] = resumed(outcomes[kind]);
    if (reason !== undefined) why[kind] = reason;
    return v;
  };
  return {
    legacyVersion: legacyVersion(outcomes.versions) ?? null,
    sessionId: value('sessionId'),
    ticket: value('ticket'),
    tls13Ticket: value('tls13Ticket'),
    why,
  };
}

function renegotiationFacts(outcomes: SessionProbeOutcomes): RenegotiationFacts {
  const version = legacyVersion(outcomes.versions);
  const outcome = outcomes.renegotiation;
  if (version === undefined) {
    if (outcomes.versions.includes('SSLv3')) {
      return {
        result: 'error',
        reason: 'node:tls cannot speak SSLv3, the only version below TLS 1.3',
      };
    }
    return outcomes.versions.includes('TLSv1.3')
      ? { result: 'not-applicable', reason: 'TLS 1.3 has no renegotiation' }
      : { result: 'not-applicable', reason: 'the server speaks no TLS version' };
  }
  if (outcome === undefined) return { result: 'error', version, reason: 'not tried' };
  switch (outcome.kind) {
    case 'accepted':
      return { result: 'accepted', version };
    case 'refused':
      return { result: 'refused', version, reason: outcome.reason };
    case 'no-answer':
      return {
        result: 'error',
        version,
        reason: 'no answer to the renegotiation hello within the timeout',
      };
    case 'not-started':
      return { result: 'error', version, reason: outcome.reason };
    default:
      return { result: 'error', version, reason: describeTlsFailure(outcome) };
  }
}

/** The facts from the probes' outcomes. Pure. */
export function concludeSessionFacts(outcomes: SessionProbeOutcomes): SessionFacts {
  return {
    negotiated: negotiatedFacts(outcomes.handshake),
    ocspStapling: ocspFacts(outcomes.handshake),
    resumption: resumptionFacts(outcomes),
    clientRenegotiation: renegotiationFacts(outcomes),
  };
}

export interface SessionFactsOptions {
  /** The SNI name the scan uses; undefined sends none. */
  readonly sni: string | undefined;
  /** The versions the scan found the server to accept: only these are tried. */
  readonly versions: readonly ProtocolName[];
  /** Deadline for each connection, from connect to close. */
  readonly timeoutMs: number;
  /** Connections open at once (SESSION_MAX_CONNECTIONS by default). */
  readonly maxConnections?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly dialer?: Dialer | undefined;
}

export interface GatheredSessionFacts {
  readonly facts: SessionFacts;
  /** The stapled OCSP response (DER), for the code that verifies it. */
  readonly ocspResponse: Uint8Array | undefined;
}

/**
 * Runs the full-handshake probes the server's versions allow, at most `maxConnections`
 * at a time: one default handshake (negotiated facts and OCSP stapling); resumption by
 * session ID and by ticket on the best version below TLS 1.3 and by ticket on TLS 1.3
 * (two connections each); one renegotiation attempt below TLS 1.3.
 */
export async function gatherSessionFacts(
  endpoint: Endpoint,
  options: SessionFactsOptions,
): Promise<GatheredSessionFacts> {
  const semaphore = new Semaphore(options.maxConnections ?? SESSION_MAX_CONNECTIONS);
  const limits: ExchangeLimits = {
    timeoutMs: options.timeoutMs,
    maxBytes: DEFAULT_MAX_BYTES,
    signal: options.signal,
    dialer: options.dialer,
  };
  const servername = options.sni;
  const legacy = legacyVersion(options.versions);
  const tls13 = options.versions.includes('TLSv1.3');
  const when = <T>(go: boolean, probe: () => Promise<T>): Promise<T | undefined> =>
    go ? semaphore.run(probe) : Promise.resolve(undefined);
  const resumption = (version: NodeTlsVersion, mechanism: 'session-id' | 'ticket') => () =>
    resumptionProbe(endpoint, { servername, version, mechanism }, limits);

  const [handshake, sessionId, ticket, tls13Ticket, renegotiation] = await Promise.all([
    when(legacy !== undefined || tls13, () =>
      handshakeProbe(endpoint, { servername, alpn: ['h2', 'http/1.1'], requestOcsp: true }, limits),
    ),
    when(legacy !== undefined, resumption(legacy ?? 'TLSv1.2', 'session-id')),
    when(legacy !== undefined, resumption(legacy ?? 'TLSv1.2', 'ticket')),
    when(tls13, resumption('TLSv1.3', 'ticket')),
    when(legacy !== undefined, () =>
      renegotiationProbe(endpoint, { servername, version: legacy ?? 'TLSv1.2' }, limits),
    ),
  ]);
  const facts = concludeSessionFacts({
    versions: options.versions,
    handshake,
    sessionId,
    ticket,
    tls13Ticket,
    renegotiation,
  });
  const ocsp = handshake?.kind === 'established' ? handshake.ocspResponse : null;
  return { facts, ocspResponse: ocsp ?? undefined };
}
