import { test } from 'node:test';
import { Registry } from 'prom-client';
import { assertMetricsDocumented } from '../../test/helpers/metrics-doc.ts';
import { silentLogger } from '../core/logger.ts';
import { caMetrics } from '../ca/ca-metrics.ts';
import { createAcmeMetrics } from './metrics.ts';

test('docs/metrics.md lists exactly the CA and ACME series, with their types and labels', async () => {
  const registry = new Registry();
  caMetrics(registry, {
    counts: async () => ({ valid: 0, expired: 0, revoked: 0 }),
    crlAgeSeconds: async () => 0,
  });
  createAcmeMetrics(
    registry,
    async () => ({ pending: 0, ready: 0, processing: 0, valid: 0, invalid: 0 }),
    silentLogger,
  );
  await assertMetricsDocumented(registry, ['ca', 'acme']);
});
