// Keeps the current CRL: signed again after every revocation and once it is older than the
// refresh interval, numbered from the store's counter and saved in the store, so the CLI
// and every `ca serve` process on the same directory serve one CRL, and a revocation made
// by one is on the CRL of the others at their next request.
import type { Issuer } from './certificate-builder.ts';
import { wholeSeconds } from './certificate-builder.ts';
import { buildCrl } from './crl.ts';
import type { CaStore, StoredCrl } from './store.ts';

export interface CurrentCrl {
  readonly der: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly number: bigint;
}

export interface CrlPublisherOptions {
  readonly issuer: Issuer;
  readonly store: CaStore;
  readonly clock: () => Date;
  /** nextUpdate − thisUpdate. */
  readonly validitySeconds: number;
  /** Sign again once the CRL is this old. */
  readonly refreshSeconds: number;
}

const shape = (crl: StoredCrl): CurrentCrl => ({
  der: crl.der,
  thisUpdate: crl.thisUpdate,
  nextUpdate: crl.nextUpdate,
  number: crl.number,
});

export class CrlPublisher {
  readonly #o: CrlPublisherOptions;
  #cached: StoredCrl | undefined;
  /** Signings run one after another, each after the revocations before it. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Concurrent readers of a stale CRL share one refresh. */
  #refreshing: Promise<StoredCrl> | undefined;

  constructor(options: CrlPublisherOptions) {
    this.#o = options;
  }

  /** The thisUpdate of the CRL in memory, if one was read or signed. */
  get cachedThisUpdate(): Date | undefined {
    return this.#cached?.thisUpdate;
  }

  #usable(crl: StoredCrl | undefined, revokedCount: number, now: Date): crl is StoredCrl {
    const age = now.getTime() - (crl?.thisUpdate.getTime() ?? 0);
    return (
      crl !== undefined &&
      crl.revokedCount === revokedCount &&
      age >= 0 &&
      age < this.#o.refreshSeconds * 1000
    );
  }

  /** The CRL to serve: the one in memory, a newer one in the store, or a new one. */
  async current(): Promise<CurrentCrl> {
    const revoked = await this.#o.store.countRevoked();
    if (this.#usable(this.#cached, revoked, this.#o.clock())) return shape(this.#cached);
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return shape(await this.#refreshing);
  }

  async #refresh(): Promise<StoredCrl> {
    await this.#queue;
    const revoked = await this.#o.store.countRevoked();
    const now = this.#o.clock();
    if (this.#usable(this.#cached, revoked, now)) return this.#cached;
    const stored = await this.#o.store.latestCrl();
    if (this.#usable(stored, revoked, now)) {
      this.#cached = stored;
      return stored;
    }
    return this.regenerate();
  }

  /** Resolves once no signing is in progress. */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /** Signs a new CRL, after any signing in progress (so it includes every earlier revocation). */
  regenerate(): Promise<StoredCrl> {
    const run = this.#queue.then(
      () => this.#sign(),
      () => this.#sign(),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #sign(): Promise<StoredCrl> {
    const { store, issuer, validitySeconds } = this.#o;
    const thisUpdate = wholeSeconds(this.#o.clock().getTime());
    const nextUpdate = new Date(thisUpdate.getTime() + validitySeconds * 1000);
    // Counted before listing: a revocation landing in between makes this CRL look stale
    // (and signed again at the next request) rather than look current while missing it.
    const revokedCount = await store.countRevoked();
    // A revoked certificate stays listed for one CRL period after it expires (RFC 5280 §3.3).
    const revoked = await store.listRevoked(
      new Date(thisUpdate.getTime() - validitySeconds * 1000),
    );
    const number = await store.nextCrlNumber();
    const der = buildCrl(issuer, { number, thisUpdate, nextUpdate, revoked });
    const crl: StoredCrl = { number, thisUpdate, nextUpdate, der, revokedCount };
    await store.saveCrl(crl);
    this.#cached = crl;
    return crl;
  }
}
