export { METRIC_PREFIX, type RegistryOptions, type Registry, createRegistry } from './registry.ts';
export { registerMetricsRoute } from './route.ts';
