/**
 * Imported account keys, kept so an account's key is turned into a CryptoKey once and not
 * on every request it signs (importing costs about as much as verifying). Keyed by the
 * key's thumbprint and the algorithm; bounded, oldest dropped first. A key change gives a
 * new thumbprint, so an old key never verifies for the account again.
 */
import type { CryptoKey } from 'jose';
import type { AccountKey } from '../store.ts';
import { importAccountKey } from './account-key.ts';
import type { AccountAlgorithm } from './algorithms.ts';

export class AccountKeyCache {
  readonly #keys = new Map<string, CryptoKey>();
  readonly #capacity: number;

  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }

  async get(key: AccountKey, thumbprint: string, alg: AccountAlgorithm): Promise<CryptoKey> {
    const id = `${alg} ${thumbprint}`;
    const cached = this.#keys.get(id);
    if (cached !== undefined) return cached;
    const imported = await importAccountKey(key, alg);
    if (this.#keys.size >= this.#capacity) {
      const oldest = this.#keys.keys().next().value;
      if (oldest !== undefined) this.#keys.delete(oldest);
    }
    this.#keys.set(id, imported);
    return imported;
  }
}
