import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { TLS_FALLBACK_SCSV } from '../../wire/registry/cipher-suites.ts';
import { type TlsProtocolName, protocolWire } from '../../wire/registry/versions.ts';
import { legacyHello } from '../hello-profiles.ts';
import { type HelloJob, type OneJob, OneJobCheck, serverHelloJob } from './one-job.ts';
import { type ActiveCheckInput, type VerdictFacts, supportedVersions } from './active-input.ts';
import { describeRefusal } from './refusal.ts';

/** RFC 7507 §3: the alert a server sends to a fallback hello below its highest version. */
const INAPPROPRIATE_FALLBACK = 86;

export interface FallbackScsvFacts extends VerdictFacts {
  /** The highest version the server supports, which a fallback hello stays below. */
  readonly highest?: TlsProtocolName;
}

/**
 * Downgrade protection (RFC 7507): a hello for the second-highest supported version,
 * carrying TLS_FALLBACK_SCSV, must be refused with inappropriate_fallback. A server with a
 * single version has nothing to protect (a fact, no finding).
 */
export class FallbackScsvCheck extends OneJobCheck<HelloJob, FallbackScsvFacts> {
  readonly #highest: TlsProtocolName | undefined;
  readonly #lower: { version: TlsProtocolName; suites: readonly number[] } | undefined;
  readonly #sni: string | undefined;

  constructor(input: ActiveCheckInput) {
    super();
    const [highest, lower] = supportedVersions(input);
    this.#highest = highest;
    this.#lower =
      lower === undefined ? undefined : { version: lower, suites: input.accepted[lower] ?? [] };
    this.#sni = input.sni;
  }

  protected plan(): OneJob<HelloJob> | undefined {
    if (this.#lower === undefined || this.#highest === undefined) return undefined;
    const { version, suites } = this.#lower;
    return {
      version,
      job: serverHelloJob(legacyHello(version, [...suites, TLS_FALLBACK_SCSV], this.#sni)),
    };
  }

  protected notApplicable(): FallbackScsvFacts {
    const highest = this.#highest;
    return {
      verdict: 'not-applicable',
      reason:
        highest === undefined
          ? 'no protocol version is supported'
          : `only ${highest} is supported: there is no lower version to fall back to`,
    };
  }

  protected judge(o: HelloOutcome, version: TlsProtocolName): FallbackScsvFacts {
    const highest = this.#highest ?? version;
    if (o.kind === 'alert' && o.alert.description === INAPPROPRIATE_FALLBACK) {
      return {
        verdict: 'not-vulnerable',
        reason: `a ${version} hello with TLS_FALLBACK_SCSV was refused with inappropriate_fallback`,
        version,
        highest,
      };
    }
    if (o.kind === 'hello' && o.facts.version === protocolWire(version)) {
      return {
        verdict: 'vulnerable',
        reason: `the server accepted a ${version} hello carrying TLS_FALLBACK_SCSV although it supports ${highest}`,
        version,
        highest,
      };
    }
    return {
      verdict: 'inconclusive',
      reason: `a ${version} hello with TLS_FALLBACK_SCSV got neither inappropriate_fallback nor a ${version} ServerHello: ${describeRefusal(o, protocolWire(version))}`,
      version,
      highest,
    };
  }
}
