/**
 * The ACME server's storage port: accounts, orders, authorizations and challenges. The
 * server owns this interface; src/store/sqlite implements it (PostgreSQL can later). Every
 * method is async so a networked database fits, and every state change is a
 * compare-and-set on the current status, so two concurrent requests (a finalize raced by
 * another, a challenge POSTed twice) cannot both move the same object.
 */
import type { Identifier } from '../ca/types.ts';
import type { ProblemDocument } from './problems.ts';

/** An account's public key as a JWK, with only the members its thumbprint covers. */
export type AccountKey = Readonly<Record<string, string>>;

export const ACCOUNT_STATUSES = ['valid', 'deactivated', 'revoked'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface AccountRecord {
  readonly id: string;
  readonly key: AccountKey;
  /** RFC 7638 SHA-256 thumbprint of `key`, base64url: unique among accounts. */
  readonly thumbprint: string;
  readonly status: AccountStatus;
  readonly contact: readonly string[];
  readonly termsOfServiceAgreed: boolean;
  /** The external account binding key id the account was created with, if any. */
  readonly externalAccountKeyId: string | null;
  readonly createdAt: Date;
}

export const ORDER_STATUSES = ['pending', 'ready', 'processing', 'valid', 'invalid'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderRecord {
  readonly id: string;
  readonly accountId: string;
  readonly status: OrderStatus;
  readonly identifiers: readonly Identifier[];
  /** One per identifier, in the order of `identifiers`. */
  readonly authorizationIds: readonly string[];
  readonly expires: Date;
  readonly createdAt: Date;
  readonly certificateSerial: string | null;
  readonly error: ProblemDocument | null;
  /** RFC 9773 certID of the certificate this order replaces. */
  readonly replaces: string | null;
}

export const AUTHORIZATION_STATUSES = [
  'pending',
  'valid',
  'invalid',
  'deactivated',
  'expired',
  'revoked',
] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

export interface AuthorizationRecord {
  readonly id: string;
  readonly accountId: string;
  /** For a wildcard, the base domain (`*.` removed), as RFC 8555 §7.1.4 shows it. */
  readonly identifier: Identifier;
  readonly wildcard: boolean;
  /** As stored; `expired` is derived from `expires` when read (see authorization-state.ts). */
  readonly status: AuthorizationStatus;
  readonly expires: Date;
  readonly createdAt: Date;
}

export const CHALLENGE_TYPES = ['http-01', 'dns-01', 'tls-alpn-01'] as const;
export type ChallengeType = (typeof CHALLENGE_TYPES)[number];

export const CHALLENGE_STATUSES = ['pending', 'processing', 'valid', 'invalid'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

export interface ChallengeRecord {
  readonly id: string;
  readonly authorizationId: string;
  readonly type: ChallengeType;
  readonly token: string;
  readonly status: ChallengeStatus;
  readonly validated: Date | null;
  readonly error: ProblemDocument | null;
}

/** A fresh authorization with its challenges, written together with the order. */
export interface NewAuthorization {
  readonly authorization: AuthorizationRecord;
  readonly challenges: readonly ChallengeRecord[];
}

export interface OrderChanges {
  readonly status: OrderStatus;
  readonly certificateSerial?: string;
  readonly error?: ProblemDocument;
}

export interface AuthorizationChanges {
  readonly status: AuthorizationStatus;
  readonly expires?: Date;
}

export interface ChallengeChanges {
  readonly status: ChallengeStatus;
  readonly validated?: Date;
  readonly error?: ProblemDocument;
}

export type KeyChangeResult =
  | { readonly changed: true; readonly account: AccountRecord }
  | { readonly changed: false; readonly holderId: string };

export interface AcmeStore {
  /**
   * Inserts the account unless another holds the same key (thumbprint); either way returns
   * the account that holds the key, and whether it was created now.
   */
  createAccount(account: AccountRecord): Promise<{ account: AccountRecord; created: boolean }>;
  getAccount(id: string): Promise<AccountRecord | undefined>;
  findAccountByThumbprint(thumbprint: string): Promise<AccountRecord | undefined>;
  updateAccount(
    id: string,
    changes: { readonly status?: AccountStatus; readonly contact?: readonly string[] },
  ): Promise<AccountRecord | undefined>;
  /** Replaces the account's key unless another account holds the new one (then unchanged). */
  changeAccountKey(id: string, key: AccountKey, thumbprint: string): Promise<KeyChangeResult>;

  /** Writes the order, its new authorizations and their challenges in one transaction. */
  createOrder(order: OrderRecord, authorizations: readonly NewAuthorization[]): Promise<void>;
  getOrder(id: string): Promise<OrderRecord | undefined>;
  /** Ids of the account's orders that are not invalid, newest first, at most `limit`. */
  listOrderIds(accountId: string, limit: number): Promise<string[]>;
  /** Orders of the account still pending or ready at `now` (for the per-account cap). */
  countOpenOrders(accountId: string, now: Date): Promise<number>;
  /** Moves the order to `changes.status` if its status is one of `from`; else undefined. */
  updateOrder(
    id: string,
    from: readonly OrderStatus[],
    changes: OrderChanges,
  ): Promise<OrderRecord | undefined>;
  findOrderByCertificate(serial: string): Promise<OrderRecord | undefined>;
  /** Orders naming `certId` in `replaces`, any status. */
  findOrdersReplacing(certId: string): Promise<OrderRecord[]>;
  /** Pending or ready orders that use the authorization. */
  findOpenOrdersByAuthorization(authorizationId: string): Promise<OrderRecord[]>;
  /** How many orders are in each status at `now` (pending or ready past `expires` count as invalid). */
  countOrders(now: Date): Promise<Record<OrderStatus, number>>;

  getAuthorization(id: string): Promise<AuthorizationRecord | undefined>;
  /** A valid authorization of the account for the identifier that is unexpired at `validAt`. */
  findValidAuthorization(
    accountId: string,
    identifier: Identifier,
    wildcard: boolean,
    validAt: Date,
  ): Promise<AuthorizationRecord | undefined>;
  updateAuthorization(
    id: string,
    from: readonly AuthorizationStatus[],
    changes: AuthorizationChanges,
  ): Promise<AuthorizationRecord | undefined>;

  listChallenges(authorizationId: string): Promise<ChallengeRecord[]>;
  getChallenge(id: string): Promise<ChallengeRecord | undefined>;
  updateChallenge(
    id: string,
    from: readonly ChallengeStatus[],
    changes: ChallengeChanges,
  ): Promise<ChallengeRecord | undefined>;
}
