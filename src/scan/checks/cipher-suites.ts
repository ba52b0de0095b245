import { bytesEqual } from '../../core/bytes.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { HANDSHAKE_TYPE } from '../../wire/handshake.ts';
import { cipherSuite } from '../../wire/registry/cipher-suites.ts';
import { TLS13_GROUPS } from '../../wire/registry/groups.ts';
import { type TlsProtocolName, protocolWire } from '../../wire/registry/versions.ts';
import { parseCertificateList } from '../../wire/certificate.ts';
import { type KeyExchangeParams, parseServerKeyExchange } from '../../wire/server-key-exchange.ts';
import { legacyHello, offeredSuites, tls13Hello } from '../hello-profiles.ts';
import type { Check, Job } from '../job.ts';
import { describeRefusal } from './refusal.ts';

type HelloJob = Extract<Job, { kind: 'tls-hello' }>;

/** RFC 8446 §6.2: the alert a server sends for a version it does not speak. */
const PROTOCOL_VERSION_ALERT = 70;

export interface AcceptedSuite {
  readonly id: number;
  /** TLS ≤ 1.2: the parameters of the ServerKeyExchange sent with this suite. */
  readonly keyExchange?: KeyExchangeParams;
}

export interface CipherSuiteFacts {
  readonly version: TlsProtocolName;
  readonly supported: boolean;
  /** In the order the server chose them: its preference order when it has one. */
  readonly accepted: readonly AcceptedSuite[];
  /** Undefined when fewer than two suites are accepted (there is no order to enforce). */
  readonly serverPreference: boolean | undefined;
  /** Certificate chains sent in these handshakes (DER), distinct, in order of first use. */
  readonly chains: readonly (readonly Uint8Array[])[];
  readonly certificateRequested: boolean;
  /** How the server refused the last hello (`alert handshake_failure`, `closed`…). */
  readonly refusal: string | undefined;
  /** Server behaviour that breaks the protocol, e.g. choosing a suite it was not offered. */
  readonly anomalies: readonly string[];
  /** Extension types the server's first accepting ServerHello carried (TLS ≤ 1.2: all in clear). */
  readonly serverHelloExtensions: readonly number[];
}

/**
 * Every suite the server accepts in one protocol version, at one connection per accepted
 * suite plus one: offer everything not yet seen, record the suite chosen, remove it, and
 * repeat until the server refuses. A last connection offers the accepted suites in reverse
 * to learn whether the server enforces its own order.
 */
export class CipherSuiteCheck implements Check<HelloJob, CipherSuiteFacts> {
  readonly #version: TlsProtocolName;
  readonly #sni: string | undefined;
  readonly #remaining: number[];
  readonly #accepted: AcceptedSuite[] = [];
  /** Distinct Certificate messages seen, with the chain each carries. */
  readonly #chains: { message: Uint8Array; chain: Uint8Array[] }[] = [];
  readonly #anomalies: string[] = [];
  #certificateRequested = false;
  #serverHelloExtensions: readonly number[] = [];
  #refusal: string | undefined;
  #phase: 'enumerate' | 'preference' | 'done' = 'enumerate';
  /** Accepted suites when DHE was dropped from the offer; undefined while it is offered. */
  #acceptedBeforeDheDropped: number | undefined;
  #serverPreference: boolean | undefined;

  constructor(
    version: TlsProtocolName,
    sni: string | undefined,
    suites: readonly number[] = offeredSuites(version),
  ) {
    this.#version = version;
    this.#sni = sni;
    this.#remaining = [...suites];
  }

  #job(suites: readonly number[]): HelloJob {
    if (this.#version === 'TLSv1.3') {
      return {
        kind: 'tls-hello',
        hello: tls13Hello(suites, TLS13_GROUPS, this.#sni),
        until: 'server-hello',
      };
    }
    return {
      kind: 'tls-hello',
      hello: legacyHello(this.#version, suites, this.#sni),
      until: 'flight',
    };
  }

  next(): HelloJob | undefined {
    if (this.#phase === 'enumerate') return this.#job(this.#remaining);
    if (this.#phase === 'preference') return this.#job(this.#accepted.map((s) => s.id).reverse());
    return undefined;
  }

  absorb(job: HelloJob, outcome: HelloOutcome): void {
    const chosen = this.#chosenSuite(outcome);
    if (this.#phase === 'preference') {
      // Offered in reverse: the server's first choice again means it enforces its order,
      // our first choice means it follows ours; no answer (or another suite) decides nothing.
      if (chosen === this.#accepted[0]?.id) this.#serverPreference = true;
      else if (chosen === this.#accepted.at(-1)?.id) this.#serverPreference = false;
      this.#phase = 'done';
      return;
    }
    if (chosen === undefined) {
      this.#refusal ??= describeRefusal(outcome, protocolWire(this.#version));
      if (this.#retryWithoutDhe(outcome)) return;
      this.#endEnumeration();
      return;
    }
    if (!job.hello.cipherSuites.includes(chosen)) {
      this.#anomalies.push(
        `server chose suite 0x${chosen.toString(16).padStart(4, '0')} that was not offered`,
      );
      this.#endEnumeration();
      return;
    }
    if (this.#accepted.length === 0 && outcome.kind === 'hello') {
      this.#serverHelloExtensions = outcome.facts.extensionTypes;
    }
    this.#accepted.push({ id: chosen, ...this.#flightFacts(chosen, outcome) });
    this.#remaining.splice(this.#remaining.indexOf(chosen), 1);
    if (this.#remaining.length === 0) this.#endEnumeration();
  }

  /**
   * A server that picks a DHE suite it cannot complete (no DH parameters configured)
   * refuses every hello that still offers one, and would hide the suites it does serve.
   * So a handshake_failure-style refusal, while DHE suites are still offered beside
   * others, gets one more hello without them. A version refusal (protocol_version) does not.
   */
  #retryWithoutDhe(outcome: HelloOutcome): boolean {
    if (this.#version === 'TLSv1.3' || this.#acceptedBeforeDheDropped !== undefined) return false;
    if (outcome.kind === 'alert' && outcome.alert.description === PROTOCOL_VERSION_ALERT)
      return false;
    if (outcome.kind !== 'alert' && outcome.kind !== 'closed' && outcome.kind !== 'reset')
      return false;
    const withoutDhe = this.#remaining.filter((id) => cipherSuite(id)?.kx !== 'DHE');
    if (withoutDhe.length === 0 || withoutDhe.length === this.#remaining.length) return false;
    this.#acceptedBeforeDheDropped = this.#accepted.length;
    this.#remaining.splice(0, this.#remaining.length, ...withoutDhe);
    return true;
  }

  #endEnumeration(): void {
    this.#phase = this.#accepted.length >= 2 ? 'preference' : 'done';
  }

  /** The suite a hello outcome settled on in this check's version, if any. */
  #chosenSuite(outcome: HelloOutcome): number | undefined {
    if (outcome.kind !== 'hello') return undefined;
    if (outcome.facts.version !== protocolWire(this.#version)) return undefined;
    return outcome.facts.cipherSuite;
  }

  #flightFacts(suite: number, outcome: HelloOutcome): { keyExchange?: KeyExchangeParams } {
    if (outcome.kind !== 'hello') return {};
    let keyExchange: KeyExchangeParams | undefined;
    const tls12 = this.#version === 'TLSv1.2';
    for (const msg of outcome.messages) {
      try {
        if (msg.type === HANDSHAKE_TYPE.certificate) {
          // Most flights repeat the chain already seen: compare before parsing again.
          if (!this.#chains.some((c) => bytesEqual(c.message, msg.body))) {
            const chain = parseCertificateList(msg.body);
            if (chain.length > 0) this.#chains.push({ message: msg.body, chain });
          }
        } else if (msg.type === HANDSHAKE_TYPE.server_key_exchange) {
          const kx = cipherSuite(suite)?.kx ?? '';
          keyExchange = parseServerKeyExchange(msg.body, kx, tls12);
        } else if (msg.type === HANDSHAKE_TYPE.certificate_request) {
          this.#certificateRequested = true;
        }
      } catch (err) {
        this.#anomalies.push(`unreadable handshake message ${msg.type}: ${(err as Error).message}`);
      }
    }
    return keyExchange === undefined ? {} : { keyExchange };
  }

  conclude(): CipherSuiteFacts {
    const before = this.#acceptedBeforeDheDropped;
    const dheFails =
      before !== undefined && this.#accepted.length > before
        ? [
            `hellos offering DHE suites were refused, but ${this.#accepted.length - before} more suites were accepted without them: the server's DHE suites fail (DH parameters missing?)`,
          ]
        : [];
    return {
      version: this.#version,
      supported: this.#accepted.length > 0,
      accepted: this.#accepted,
      serverPreference: this.#serverPreference,
      chains: this.#chains.map((c) => c.chain),
      certificateRequested: this.#certificateRequested,
      refusal: this.#accepted.length > 0 ? undefined : this.#refusal,
      anomalies: [...this.#anomalies, ...dheFails],
      serverHelloExtensions: this.#serverHelloExtensions,
    };
  }
}
