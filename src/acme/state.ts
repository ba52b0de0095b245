/**
 * RFC 8555 §7.1.6 state rules that depend on time or on other objects: an authorization
 * past its expiry is expired; a pending or ready order is invalid once it expires or once
 * any of its authorizations is no longer usable, and ready when all of them are valid.
 * Pure functions: the lifecycle module persists what they conclude.
 */
import type {
  AuthorizationRecord,
  AuthorizationStatus,
  OrderRecord,
  OrderStatus,
} from './store.ts';

export function authorizationStatus(authz: AuthorizationRecord, now: number): AuthorizationStatus {
  const live = authz.status === 'pending' || authz.status === 'valid';
  return live && authz.expires.getTime() <= now ? 'expired' : authz.status;
}

const FAILED: readonly AuthorizationStatus[] = ['invalid', 'deactivated', 'expired', 'revoked'];

/** The status an order should have now, given its authorizations' current statuses. */
export function orderStatus(
  order: OrderRecord,
  authorizations: readonly AuthorizationStatus[],
  now: number,
): OrderStatus {
  if (order.status !== 'pending' && order.status !== 'ready') return order.status;
  if (order.expires.getTime() <= now) return 'invalid';
  if (authorizations.some((s) => FAILED.includes(s))) return 'invalid';
  return authorizations.every((s) => s === 'valid') ? 'ready' : 'pending';
}
