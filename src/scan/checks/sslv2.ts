import type { Sslv2Outcome } from '../../probe/sslv2-exchange.ts';
import { suitesForProtocol } from '../../wire/registry/cipher-suites.ts';
import type { Check, Job } from '../job.ts';

type Sslv2Job = Extract<Job, { kind: 'sslv2-hello' }>;

export interface Sslv2Facts {
  readonly supported: boolean;
  /** Specs the server listed in its SERVER-HELLO (all it shares with us, in one answer). */
  readonly cipherSpecs: readonly number[];
  readonly certificate: Uint8Array | undefined;
}

/**
 * SSLv2 needs one connection: the SERVER-HELLO lists every cipher spec the server shares
 * with the client. A server that answers with an empty list still speaks SSLv2 (the
 * CVE-2015-3197 behaviour), which the facts keep visible.
 */
export class Sslv2Check implements Check<Sslv2Job, Sslv2Facts> {
  #outcome: Sslv2Outcome | undefined;
  #asked = false;

  next(): Sslv2Job | undefined {
    if (this.#asked) return undefined;
    this.#asked = true;
    return { kind: 'sslv2-hello', cipherSpecs: suitesForProtocol('SSLv2').map((s) => s.id) };
  }

  absorb(_job: Sslv2Job, outcome: Sslv2Outcome): void {
    this.#outcome = outcome;
  }

  conclude(): Sslv2Facts {
    const o = this.#outcome;
    if (o?.kind !== 'sslv2-hello')
      return { supported: false, cipherSpecs: [], certificate: undefined };
    return {
      supported: true,
      cipherSpecs: o.serverHello.cipherSpecs,
      certificate: o.serverHello.certificate.length > 0 ? o.serverHello.certificate : undefined,
    };
  }
}
