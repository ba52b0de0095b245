// docs/metrics.md against a registry: the rows of one component's table (name, type,
// labels) must be exactly the series the component registers. Each component's doc test
// builds a registry with its metrics and calls this.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';

interface Row {
  type: string;
  labels: string[];
}

const DOC = new URL('../../docs/metrics.md', import.meta.url);

/** The documented rows whose names start with `wiretight_<prefix>_`, by name. */
function documented(prefixes: readonly string[]): Map<string, Row> {
  const doc = readFileSync(DOC, 'utf8');
  const rows = new Map<string, Row>();
  const pattern = new RegExp(
    `^\\| \`(wiretight_(?:${prefixes.join('|')})_[a-z_]+)\` +\\| (\\w+) +\\| ([^|]*)\\|`,
    'gm',
  );
  for (const m of doc.matchAll(pattern)) {
    const labels = [...(m[3] ?? '').matchAll(/`(\w+)`/g)].map((l) => l[1] ?? '');
    rows.set(m[1] ?? '', { type: m[2] ?? '', labels });
  }
  return rows;
}

export async function assertMetricsDocumented(
  registry: Registry,
  prefixes: readonly string[],
): Promise<void> {
  const registered = new Map<string, Row>();
  for (const metric of await registry.getMetricsAsJSON()) {
    const single = registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] };
    registered.set(metric.name, {
      type: String(metric.type),
      labels: [...(single.labelNames ?? [])],
    });
  }
  const byName = ([a]: [string, Row], [b]: [string, Row]): number => a.localeCompare(b);
  assert.deepEqual([...documented(prefixes)].sort(byName), [...registered].sort(byName));
}
