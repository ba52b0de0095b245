// An in-memory AcmeStore for the ACME unit tests (src/acme may not import src/store).
// It runs the same contract tests as the SQLite store (store-contract.ts), so the two
// cannot drift. Test-only (testdata/ is not built).
import type {
  AccountRecord,
  AcmeStore,
  AuthorizationRecord,
  ChallengeRecord,
  KeyChangeResult,
  NewAuthorization,
  OrderRecord,
  OrderStatus,
} from '../store.ts';
import type { Identifier } from '../../ca/types.ts';

const OPEN: readonly OrderStatus[] = ['pending', 'ready'];

export class MemoryAcmeStore implements AcmeStore {
  readonly accounts = new Map<string, AccountRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly authorizations = new Map<string, AuthorizationRecord>();
  readonly challenges = new Map<string, ChallengeRecord>();

  async createAccount(
    account: AccountRecord,
  ): Promise<{ account: AccountRecord; created: boolean }> {
    const holder = await this.findAccountByThumbprint(account.thumbprint);
    if (holder !== undefined) return { account: holder, created: false };
    this.accounts.set(account.id, account);
    return { account, created: true };
  }

  async getAccount(id: string): Promise<AccountRecord | undefined> {
    return this.accounts.get(id);
  }

  async findAccountByThumbprint(thumbprint: string): Promise<AccountRecord | undefined> {
    return [...this.accounts.values()].find((a) => a.thumbprint === thumbprint);
  }

  async updateAccount(
    id: string,
    changes: { status?: AccountRecord['status']; contact?: readonly string[] },
  ): Promise<AccountRecord | undefined> {
    const account = this.accounts.get(id);
    if (account === undefined) return undefined;
    const updated = { ...account, ...changes };
    this.accounts.set(id, updated);
    return updated;
  }

  async changeAccountKey(
    id: string,
    key: AccountRecord['key'],
    thumbprint: string,
  ): Promise<KeyChangeResult> {
    const holder = await this.findAccountByThumbprint(thumbprint);
    if (holder !== undefined && holder.id !== id) return { changed: false, holderId: holder.id };
    const account = this.accounts.get(id);
    if (account === undefined) throw new RangeError(`no account ${id}`);
    const updated = { ...account, key, thumbprint };
    this.accounts.set(id, updated);
    return { changed: true, account: updated };
  }

  async createOrder(
    order: OrderRecord,
    authorizations: readonly NewAuthorization[],
  ): Promise<void> {
    for (const { authorization, challenges } of authorizations) {
      this.authorizations.set(authorization.id, authorization);
      for (const challenge of challenges) this.challenges.set(challenge.id, challenge);
    }
    this.orders.set(order.id, order);
  }

  async getOrder(id: string): Promise<OrderRecord | undefined> {
    return this.orders.get(id);
  }

  async listOrderIds(accountId: string, limit: number): Promise<string[]> {
    // Reversed first so that the stable sort puts the later of two same-millisecond orders first.
    return [...this.orders.values()]
      .reverse()
      .filter((o) => o.accountId === accountId && o.status !== 'invalid')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, limit)
      .map((o) => o.id);
  }

  async countOpenOrders(accountId: string, now: Date): Promise<number> {
    return [...this.orders.values()].filter(
      (o) => o.accountId === accountId && OPEN.includes(o.status) && o.expires > now,
    ).length;
  }

  async updateOrder(
    id: string,
    from: readonly OrderStatus[],
    changes: { status: OrderStatus; certificateSerial?: string; error?: OrderRecord['error'] },
  ): Promise<OrderRecord | undefined> {
    const order = this.orders.get(id);
    if (order === undefined || !from.includes(order.status)) return undefined;
    const updated = { ...order, ...changes };
    this.orders.set(id, updated);
    return updated;
  }

  async findOrderByCertificate(serial: string): Promise<OrderRecord | undefined> {
    return [...this.orders.values()].find((o) => o.certificateSerial === serial);
  }

  async findOrdersReplacing(certId: string): Promise<OrderRecord[]> {
    return [...this.orders.values()].filter((o) => o.replaces === certId);
  }

  async findOpenOrdersByAuthorization(authorizationId: string): Promise<OrderRecord[]> {
    return [...this.orders.values()].filter(
      (o) => OPEN.includes(o.status) && o.authorizationIds.includes(authorizationId),
    );
  }

  async countOrders(now: Date): Promise<Record<OrderStatus, number>> {
    const counts = { pending: 0, ready: 0, processing: 0, valid: 0, invalid: 0 };
    for (const o of this.orders.values()) {
      counts[OPEN.includes(o.status) && o.expires <= now ? 'invalid' : o.status] += 1;
    }
    return counts;
  }

  async getAuthorization(id: string): Promise<AuthorizationRecord | undefined> {
    return this.authorizations.get(id);
  }

  async findValidAuthorization(
    accountId: string,
    identifier: Identifier,
    wildcard: boolean,
    validAt: Date,
  ): Promise<AuthorizationRecord | undefined> {
    return [...this.authorizations.values()]
      .filter(
        (a) =>
          a.accountId === accountId &&
          a.status === 'valid' &&
          a.wildcard === wildcard &&
          a.identifier.type === identifier.type &&
          a.identifier.value === identifier.value &&
          a.expires > validAt,
      )
      .sort((a, b) => b.expires.getTime() - a.expires.getTime())[0];
  }

  async updateAuthorization(
    id: string,
    from: readonly AuthorizationRecord['status'][],
    changes: { status: AuthorizationRecord['status']; expires?: Date },
  ): Promise<AuthorizationRecord | undefined> {
    const authz = this.authorizations.get(id);
    if (authz === undefined || !from.includes(authz.status)) return undefined;
    const updated = { ...authz, ...changes };
    this.authorizations.set(id, updated);
    return updated;
  }

  async listChallenges(authorizationId: string): Promise<ChallengeRecord[]> {
    return [...this.challenges.values()].filter((c) => c.authorizationId === authorizationId);
  }

  async getChallenge(id: string): Promise<ChallengeRecord | undefined> {
    return this.challenges.get(id);
  }

  async updateChallenge(
    id: string,
    from: readonly ChallengeRecord['status'][],
    changes: {
      status: ChallengeRecord['status'];
      validated?: Date;
      error?: ChallengeRecord['error'];
    },
  ): Promise<ChallengeRecord | undefined> {
    const challenge = this.challenges.get(id);
    if (challenge === undefined || !from.includes(challenge.status)) return undefined;
    const updated = { ...challenge, ...changes };
    this.challenges.set(id, updated);
    return updated;
  }
}
