/**
 * One Prometheus registry per service process, with the process and Node.js default
 * metrics under the `wiretight_` prefix. Components define their own metrics on the
 * registry they are given (their names are a public contract, listed in docs/metrics.md),
 * so a test can build a fresh registry and read exactly what one component recorded.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

export const METRIC_PREFIX = 'wiretight_';

export interface RegistryOptions {
  /** Add process_* and nodejs_* series (off in unit tests that compare whole expositions). */
  readonly defaultMetrics?: boolean;
}

export function createRegistry(options: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}

export type { Registry } from 'prom-client';
