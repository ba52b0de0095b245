// The ACME server's public door: the fastify registration, its options, the ports it
// needs (CA, store) and the vocabulary of its store, which backends implement.
export { type AcmeServer, registerAcme } from './plugin.ts';
export type { AcmeOptions, ExternalAccountBindingOptions, ValidationOptions } from './options.ts';
export type { AcmeCertificateAuthority } from './ca-port.ts';
export {
  ACCOUNT_STATUSES,
  AUTHORIZATION_STATUSES,
  CHALLENGE_STATUSES,
  CHALLENGE_TYPES,
  ORDER_STATUSES,
  type AccountKey,
  type AccountRecord,
  type AccountStatus,
  type AcmeStore,
  type AuthorizationChanges,
  type AuthorizationRecord,
  type AuthorizationStatus,
  type ChallengeChanges,
  type ChallengeRecord,
  type ChallengeStatus,
  type ChallengeType,
  type KeyChangeResult,
  type NewAuthorization,
  type OrderChanges,
  type OrderRecord,
  type OrderStatus,
} from './store.ts';
export { PROBLEM_TYPES, type ProblemDocument, type ProblemType } from './problems.ts';
export { ACME_METRIC_NAMES } from './metrics.ts';
export { ACME_PREFIX } from './urls.ts';
export { LIMITS as ACME_LIMITS, LIFETIMES_MS as ACME_LIFETIMES_MS } from './limits.ts';
