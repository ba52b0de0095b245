/**
 * The ACME server's Prometheus series. Their names are a public contract (docs/acme.md):
 * dashboards and alerts match on them. Without a registry the series are kept but not
 * exposed, so the handlers never test whether metrics are on.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../core/logger.ts';
import { ORDER_STATUSES, type OrderStatus } from './store.ts';

export const ACME_METRIC_NAMES = {
  ordersTotal: 'wiretight_acme_orders_total',
  orders: 'wiretight_acme_orders',
  requestsTotal: 'wiretight_acme_requests_total',
  problemsTotal: 'wiretight_acme_problems_total',
  validationsTotal: 'wiretight_acme_validations_total',
  validationSeconds: 'wiretight_acme_validation_duration_seconds',
} as const;

/** `ok` (2xx), `problem` (a 4xx problem document) or `error` (5xx). */
export type RequestResult = 'ok' | 'problem' | 'error';

export interface AcmeMetrics {
  /** An order entered `state` (created in it, or moved to it). */
  orderEntered(state: OrderStatus): void;
  request(endpoint: string, result: RequestResult): void;
  problem(type: string): void;
  validation(type: string, valid: boolean, seconds: number): void;
}

export function createAcmeMetrics(
  registry: Registry | undefined,
  countOrders: () => Promise<Record<OrderStatus, number>>,
  logger: Logger,
): AcmeMetrics {
  const registers = registry === undefined ? [] : [registry];
  const ordersTotal = new Counter({
    name: ACME_METRIC_NAMES.ordersTotal,
    help: 'ACME orders that entered each state (created pending or ready, then moved on).',
    labelNames: ['state'],
    registers,
  });
  new Gauge({
    name: ACME_METRIC_NAMES.orders,
    help: 'ACME orders in the store by state at scrape time (expired pending or ready orders count as invalid).',
    labelNames: ['state'],
    registers,
    async collect() {
      try {
        const counts = await countOrders();
        for (const state of ORDER_STATUSES) this.set({ state }, counts[state]);
      } catch (error) {
        // A scrape must not fail because the store is busy; the gauge keeps its last values.
        logger.warn({ err: String(error) }, 'acme: orders gauge not refreshed');
      }
    },
  });
  const requestsTotal = new Counter({
    name: ACME_METRIC_NAMES.requestsTotal,
    help: 'ACME requests by endpoint and result (ok, problem, error).',
    labelNames: ['endpoint', 'result'],
    registers,
  });
  const problemsTotal = new Counter({
    name: ACME_METRIC_NAMES.problemsTotal,
    help: 'ACME problem documents sent, by problem type.',
    labelNames: ['type'],
    registers,
  });
  const validationsTotal = new Counter({
    name: ACME_METRIC_NAMES.validationsTotal,
    help: 'Challenge validations by challenge type and result (valid, invalid).',
    labelNames: ['type', 'result'],
    registers,
  });
  const validationSeconds = new Histogram({
    name: ACME_METRIC_NAMES.validationSeconds,
    help: 'Time a challenge validation took, by challenge type.',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  return {
    orderEntered: (state) => ordersTotal.inc({ state }),
    request: (endpoint, result) => requestsTotal.inc({ endpoint, result }),
    problem: (type) => problemsTotal.inc({ type }),
    validation: (type, valid, seconds) => {
      validationsTotal.inc({ type, result: valid ? 'valid' : 'invalid' });
      validationSeconds.observe({ type }, seconds);
    },
  };
}
