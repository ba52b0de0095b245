/**
 * Order state transitions, persisted and counted. Every change goes through the store's
 * compare-and-set, so when two requests race only one moves the order, and each move that
 * happens is counted once in wiretight_acme_orders_total.
 */
import type { AcmeMetrics } from './metrics.ts';
import { authorizationStatus, orderStatus } from './state.ts';
import type {
  AcmeStore,
  AuthorizationRecord,
  OrderChanges,
  OrderRecord,
  OrderStatus,
} from './store.ts';

export interface LifecycleDeps {
  readonly store: AcmeStore;
  readonly metrics: AcmeMetrics;
  readonly now: () => number;
}

/** Moves the order if it is still in one of `from`; undefined when another request moved it first. */
export async function moveOrder(
  deps: LifecycleDeps,
  order: OrderRecord,
  from: readonly OrderStatus[],
  changes: OrderChanges,
): Promise<OrderRecord | undefined> {
  const moved = await deps.store.updateOrder(order.id, from, changes);
  if (moved !== undefined) deps.metrics.orderEntered(moved.status);
  return moved;
}

export interface OrderView {
  readonly order: OrderRecord;
  readonly authorizations: readonly AuthorizationRecord[];
}

/** The order with its authorizations, after applying what time and their states imply. */
export async function refreshOrder(deps: LifecycleDeps, order: OrderRecord): Promise<OrderView> {
  const found = await Promise.all(
    order.authorizationIds.map((id) => deps.store.getAuthorization(id)),
  );
  const authorizations = found.filter((a): a is AuthorizationRecord => a !== undefined);
  const now = deps.now();
  const statuses = authorizations.map((a) => authorizationStatus(a, now));
  // A missing authorization (never expected) makes the order unusable, not a crash.
  if (authorizations.length !== order.authorizationIds.length) statuses.push('invalid');
  const next = orderStatus(order, statuses, now);
  if (next === order.status) return { order, authorizations };
  const moved = await moveOrder(deps, order, [order.status], { status: next });
  const current = moved ?? (await deps.store.getOrder(order.id)) ?? order;
  return { order: current, authorizations };
}

/** Re-derives every open order that uses the authorization (after it changed state). */
export async function refreshOrdersOf(deps: LifecycleDeps, authorizationId: string): Promise<void> {
  const orders = await deps.store.findOpenOrdersByAuthorization(authorizationId);
  for (const order of orders) await refreshOrder(deps, order);
}
