import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { HANDSHAKE_TYPE } from '../../wire/handshake.ts';
import { TLS12_EC_GROUPS, TLS13_GROUPS } from '../../wire/registry/groups.ts';
import { type TlsProtocolName, protocolWire } from '../../wire/registry/versions.ts';
import { parseServerKeyExchange } from '../../wire/server-key-exchange.ts';
import { legacyHello, tls13Hello } from '../hello-profiles.ts';
import type { Check, Job } from '../job.ts';

type HelloJob = Extract<Job, { kind: 'tls-hello' }>;

export interface GroupFacts {
  readonly version: TlsProtocolName;
  /** Group ids in the order the server chose them. */
  readonly accepted: readonly number[];
}

/**
 * Shared loop of both group checks: offer every group not yet seen, learn the one the
 * server picks, remove it, repeat until the server refuses.
 */
abstract class GroupEnumeration implements Check<HelloJob, GroupFacts> {
  protected readonly remaining: number[];
  readonly #accepted: number[] = [];
  readonly #version: TlsProtocolName;
  #done = false;

  constructor(version: TlsProtocolName, groups: readonly number[]) {
    this.#version = version;
    this.remaining = [...groups];
  }

  protected abstract job(): HelloJob;
  /** The group this outcome shows the server chose, if it chose one. */
  protected abstract chosen(outcome: HelloOutcome): number | undefined;

  next(): HelloJob | undefined {
    return this.#done || this.remaining.length === 0 ? undefined : this.job();
  }

  absorb(_job: HelloJob, outcome: HelloOutcome): void {
    const group = this.chosen(outcome);
    const at = group === undefined ? -1 : this.remaining.indexOf(group);
    if (group === undefined || at < 0) {
      this.#done = true;
      return;
    }
    this.#accepted.push(group);
    this.remaining.splice(at, 1);
  }

  conclude(): GroupFacts {
    return { version: this.#version, accepted: this.#accepted };
  }
}

/** TLS 1.3: an empty key_share makes the server name its group in a HelloRetryRequest. */
export class Tls13GroupCheck extends GroupEnumeration {
  readonly #suites: readonly number[];
  readonly #sni: string | undefined;

  constructor(suites: readonly number[], sni: string | undefined) {
    super('TLSv1.3', TLS13_GROUPS);
    this.#suites = suites;
    this.#sni = sni;
  }

  protected job(): HelloJob {
    return {
      kind: 'tls-hello',
      hello: tls13Hello(this.#suites, this.remaining, this.#sni),
      until: 'server-hello',
    };
  }

  protected chosen(outcome: HelloOutcome): number | undefined {
    if (outcome.kind !== 'hello' || outcome.facts.version !== 0x0304) return undefined;
    return outcome.facts.isHelloRetryRequest ? outcome.facts.keyShareGroup : undefined;
  }
}

/** TLS ≤ 1.2: the ServerKeyExchange of an ECDHE suite names the curve. */
export class EcdheCurveCheck extends GroupEnumeration {
  readonly #legacyVersion: TlsProtocolName;
  readonly #ecdheSuites: readonly number[];
  readonly #sni: string | undefined;

  constructor(version: TlsProtocolName, ecdheSuites: readonly number[], sni: string | undefined) {
    super(version, TLS12_EC_GROUPS);
    this.#legacyVersion = version;
    this.#ecdheSuites = ecdheSuites;
    this.#sni = sni;
  }

  protected job(): HelloJob {
    const hello = {
      ...legacyHello(this.#legacyVersion, this.#ecdheSuites, this.#sni),
      supportedGroups: this.remaining,
    };
    return { kind: 'tls-hello', hello, until: 'flight' };
  }

  protected chosen(outcome: HelloOutcome): number | undefined {
    if (outcome.kind !== 'hello' || outcome.facts.version !== protocolWire(this.#legacyVersion))
      return undefined;
    const ske = outcome.messages.find((m) => m.type === HANDSHAKE_TYPE.server_key_exchange);
    if (ske === undefined) return undefined;
    try {
      const params = parseServerKeyExchange(ske.body, 'ECDHE', this.#legacyVersion === 'TLSv1.2');
      return params?.kind === 'ecdhe' ? params.group : undefined;
    } catch {
      return undefined;
    }
  }
}
