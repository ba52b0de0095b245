/**
 * The caps and lifetimes of the ACME server, in one place (docs/acme.md lists them). Every
 * one bounds what a hostile or broken client can make the server hold or do.
 */
export const LIMITS = {
  /** A request body (the JWS) above this is refused with malformed/413 before parsing. */
  bodyBytes: 64 * 1024,
  /** A CSR (DER) above this is refused with badCSR. */
  csrBytes: 16 * 1024,
  /** A certificate sent to revokeCert above this is refused with malformed. */
  certificateBytes: 16 * 1024,
  /** Contact URLs per account, and the length of each. */
  contacts: 10,
  contactLength: 320,
  /** Orders of one account that may be pending or ready at once (rateLimited beyond). */
  openOrdersPerAccount: 1000,
  /** Order URLs listed by an account's orders resource (newest first). */
  listedOrders: 1000,
  /** Validations running at once (outbound connections and DNS queries); more wait their turn. */
  concurrentValidations: 128,
} as const;

export const LIFETIMES_MS = {
  /** A new order and its new (pending) authorizations expire this long after creation. */
  order: 60 * 60 * 1000,
  /** A validated authorization stays valid, and is reused by the account's new orders, this long. */
  validAuthorization: 8 * 60 * 60 * 1000,
  /** An authorization is reused only if it stays valid at least this much longer. */
  reuseMargin: 5 * 60 * 1000,
} as const;

/** Validation defaults: a whole attempt's deadline, and how long a challenge POST waits for it. */
export const VALIDATION_DEFAULTS = {
  timeoutMs: 10_000,
  waitMs: 5_000,
  http01Port: 80,
  tlsAlpn01Port: 443,
} as const;
