import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import type { HelloOptions } from '../../wire/client-hello.ts';
import type { Check, Job } from '../job.ts';

type HelloJob = Extract<Job, { kind: 'tls-hello' }>;

/**
 * Protocol ids from the IANA ALPN registry a TLS server may speak; web protocols first, so a
 * server that follows the client's order answers as a browser would see it.
 */
export const ALPN_CANDIDATES: readonly string[] = [
  'h2',
  'http/1.1',
  'http/1.0',
  'http/0.9',
  'spdy/3.1',
  'spdy/3',
  'spdy/2',
  'spdy/1',
  'h2c',
  'imap',
  'pop3',
  'managesieve',
  'ftp',
  'xmpp-client',
  'xmpp-server',
  'smb',
  'irc',
  'nntp',
  'nnsp',
  'sip/2',
  'mqtt',
  'coap',
  'dot',
  'ntske/1',
  'sunrpc',
  'tds/8.0',
  'dicom',
  'postgresql',
  'radius/1.0',
  'radius/1.1',
  'webrtc',
  'c-webrtc',
  'stun.turn',
  'stun.nat-discovery',
];

export interface AlpnFacts {
  /** Protocols the server selected, in the order it selected them. */
  readonly protocols: readonly string[];
}

/**
 * Offers every candidate not yet selected and records the server's pick until it selects
 * none. Runs on a TLS ≤ 1.2 hello, where the choice is in the clear ServerHello.
 */
export class AlpnCheck implements Check<HelloJob, AlpnFacts> {
  readonly #base: HelloOptions;
  readonly #remaining: string[];
  readonly #selected: string[] = [];
  #done = false;

  constructor(base: HelloOptions, candidates: readonly string[] = ALPN_CANDIDATES) {
    this.#base = base;
    this.#remaining = [...candidates];
  }

  next(): HelloJob | undefined {
    if (this.#done || this.#remaining.length === 0) return undefined;
    return {
      kind: 'tls-hello',
      hello: { ...this.#base, alpn: this.#remaining },
      until: 'server-hello',
    };
  }

  absorb(_job: HelloJob, outcome: HelloOutcome): void {
    const picked = outcome.kind === 'hello' ? outcome.facts.alpn : undefined;
    const at = picked === undefined ? -1 : this.#remaining.indexOf(picked);
    if (picked === undefined || at < 0) {
      this.#done = true;
      return;
    }
    this.#selected.push(picked);
    this.#remaining.splice(at, 1);
  }

  conclude(): AlpnFacts {
    return { protocols: this.#selected };
  }
}
