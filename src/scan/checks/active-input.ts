import { type TlsProtocolName, protocolRank } from '../../wire/registry/versions.ts';
import type { CipherSuiteFacts } from './cipher-suites.ts';

/** What the active vulnerability checks need from the suite enumeration. */
export interface ActiveCheckInput {
  readonly sni: string | undefined;
  /** Accepted suite ids per version, in the server's order; absent or empty: not supported. */
  readonly accepted: Partial<Record<TlsProtocolName, readonly number[]>>;
}

/**
 * How an active vulnerability check came out. `inconclusive` is said with its reason (the
 * server refused the probe, cut it short, or answered in a way that proves nothing), never
 * silently turned into one of the others; `not-applicable` means the question does not
 * arise for this server (no TLS ≤ 1.2, no RSA key exchange, a single protocol version).
 */
export type Verdict = 'vulnerable' | 'not-vulnerable' | 'inconclusive' | 'not-applicable';

/** The part every active check's facts share. JSON-serializable, like all scan facts. */
export interface VerdictFacts {
  readonly verdict: Verdict;
  /** Why, in a sentence a person can check against the server. */
  readonly reason: string;
  /** The protocol version the probe spoke, once one was chosen. */
  readonly version?: TlsProtocolName;
}

/**
 * How long a server may stay silent (connection open) after a probe before that silence
 * counts as its answer. Servers refuse in milliseconds; the margin covers a loaded host.
 */
export const DEFAULT_QUIET_MS = 1500;

/**
 * The quiet period for connections that each have `timeoutMs`: at most a third of it, so
 * silence is recognised well before the deadline (CCS injection waits for it twice).
 */
export function quietPeriodFor(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`timeoutMs ${timeoutMs} must be a positive number of milliseconds`);
  }
  return Math.max(1, Math.min(DEFAULT_QUIET_MS, Math.floor(timeoutMs / 3)));
}

const LEGACY_VERSIONS: readonly TlsProtocolName[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];

/** The input of the active checks, from the facts of the suite enumerations. */
export function activeCheckInput(
  suites: ReadonlyMap<TlsProtocolName, CipherSuiteFacts>,
  sni: string | undefined,
): ActiveCheckInput {
  const accepted: Partial<Record<TlsProtocolName, readonly number[]>> = {};
  for (const [version, facts] of suites) {
    if (facts.supported) accepted[version] = facts.accepted.map((s) => s.id);
  }
  return { sni, accepted };
}

/** Every supported version, highest first. */
export function supportedVersions(input: ActiveCheckInput): TlsProtocolName[] {
  return (Object.keys(input.accepted) as TlsProtocolName[])
    .filter((v) => (input.accepted[v]?.length ?? 0) > 0)
    .sort((a, b) => protocolRank(b) - protocolRank(a));
}

/**
 * The highest TLS ≤ 1.2 version with an accepted suite that `keep` allows, and those suites
 * in the server's order: the version the cleartext probes speak.
 */
export function bestLegacyVersion(
  input: ActiveCheckInput,
  keep: (suite: number) => boolean = () => true,
): { readonly version: TlsProtocolName; readonly suites: readonly number[] } | undefined {
  for (const version of LEGACY_VERSIONS) {
    const suites = (input.accepted[version] ?? []).filter(keep);
    if (suites.length > 0) return { version, suites };
  }
  return undefined;
}
