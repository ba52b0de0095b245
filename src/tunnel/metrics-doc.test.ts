import { test } from 'node:test';
import { Registry } from 'prom-client';
import { assertMetricsDocumented } from '../../test/helpers/metrics-doc.ts';
import { tunnelMetrics } from './metrics.ts';

test('docs/metrics.md lists exactly the tunnel series, with their types and labels', async () => {
  const registry = new Registry();
  tunnelMetrics(registry, 'server');
  await assertMetricsDocumented(registry, ['tunnel']);
});
