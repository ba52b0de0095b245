import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { silentLogger } from '../core/logger.ts';
import { caMetrics } from '../ca/ca-metrics.ts';
import { createAcmeMetrics } from './metrics.ts';

interface Row {
  type: string;
  labels: string[];
}

/** The metric tables of docs/metrics.md, by name (rows of the CA and ACME sections). */
function documented(): Map<string, Row> {
  const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  const rows = new Map<string, Row>();
  for (const m of doc.matchAll(/^\| `(wiretight_(?:ca|acme)_[a-z_]+)` +\| (\w+) +\| ([^|]*)\|/gm)) {
    const labels = [...(m[3] ?? '').matchAll(/`(\w+)`/g)].map((l) => l[1] ?? '');
    rows.set(m[1] ?? '', { type: m[2] ?? '', labels });
  }
  return rows;
}

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
  const registered = new Map<string, Row>();
  for (const metric of await registry.getMetricsAsJSON()) {
    const single = registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] };
    registered.set(metric.name, {
      type: String(metric.type),
      labels: [...(single.labelNames ?? [])],
    });
  }
  assert.deepEqual(
    [...documented()].sort(([a], [b]) => a.localeCompare(b)),
    [...registered].sort(([a], [b]) => a.localeCompare(b)),
  );
});
