/**
 * Anti-replay nonces (RFC 8555 §6.5): random, single use, kept in memory with a time to
 * live and a cap on how many are outstanding. When the cap is reached the oldest is
 * dropped: a client holding it gets badNonce with a fresh nonce and retries, which every
 * ACME client does, so a flood of newNonce requests costs memory up to the cap and no more.
 */
import { randomBytes } from 'node:crypto';

export interface NonceOptions {
  /** Outstanding nonces kept at most (default 100 000, a few MB). */
  readonly capacity?: number;
  /** How long an unused nonce stays valid, in ms (default 1 h). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

const NONCE_BYTES = 16;
const NONCE_SHAPE = /^[A-Za-z0-9_-]{22}$/;

export class NonceStore {
  // A Map iterates in insertion order, so its first key is always the oldest nonce.
  readonly #issued = new Map<string, number>();
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: NonceOptions = {}) {
    this.#capacity = options.capacity ?? 100_000;
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#capacity) || this.#capacity < 1) {
      throw new RangeError('nonce capacity must be a positive integer');
    }
  }

  get size(): number {
    return this.#issued.size;
  }

  issue(): string {
    const nonce = randomBytes(NONCE_BYTES).toString('base64url');
    const now = this.#now();
    // Every nonce lives as long, so insertion order is expiry order: drop from the front.
    for (const [oldest, expires] of this.#issued) {
      if (expires > now && this.#issued.size < this.#capacity) break;
      this.#issued.delete(oldest);
    }
    this.#issued.set(nonce, now + this.#ttlMs);
    return nonce;
  }

  /** True once for a nonce this store issued and has not seen expire or used. */
  consume(nonce: string): boolean {
    if (!NONCE_SHAPE.test(nonce)) return false;
    const expires = this.#issued.get(nonce);
    if (expires === undefined) return false;
    this.#issued.delete(nonce);
    return expires > this.#now();
  }
}
