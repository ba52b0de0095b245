import { MAX_SIGNATURE_CHECKS } from './limits.ts';
import type { ParsedCertificate } from './parsed-certificate.ts';

/**
 * `issued`: `parent` names, identifies (key identifiers, key usage) and signed `child`.
 * `bad-signature`: it names and identifies `child`'s issuer, but the signature fails.
 */
export type Issuance = 'issued' | 'bad-signature' | 'not-issuer';

export { MAX_SIGNATURE_CHECKS } from './limits.ts';

/** Issuer checks with OpenSSL (X509_check_issued, X509_verify), each pair checked once. */
export class IssuanceChecks {
  readonly #memo = new Map<string, Issuance>();
  #budget: number;
  exhausted = false;

  constructor(budget = MAX_SIGNATURE_CHECKS) {
    this.#budget = budget;
  }

  check(child: ParsedCertificate, parent: ParsedCertificate): Issuance {
    const key = `${child.facts.sha256}:${parent.facts.sha256}`;
    let result = this.#memo.get(key);
    if (result === undefined) {
      result = this.#compute(child, parent);
      this.#memo.set(key, result);
    }
    return result;
  }

  #compute(child: ParsedCertificate, parent: ParsedCertificate): Issuance {
    // checkIssued compares names (canonically), key identifiers and key usage: cheap.
    if (!child.x509.checkIssued(parent.x509)) return 'not-issuer';
    if (this.#budget <= 0) {
      this.exhausted = true;
      return 'not-issuer';
    }
    this.#budget--;
    try {
      return child.x509.verify(parent.x509.publicKey) ? 'issued' : 'bad-signature';
    } catch {
      return 'bad-signature'; // a parent key OpenSSL cannot use for this signature
    }
  }
}
