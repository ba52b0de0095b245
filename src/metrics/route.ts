/**
 * `GET /metrics` in the Prometheus text format, for any service built on fastify. The
 * registry is collected on each scrape, so gauges computed at collect time (a CRL's age,
 * the days left on a certificate) are read fresh.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', async (_request, reply) => {
    const body = await registry.metrics();
    return reply
      .header('content-type', registry.contentType)
      .header('cache-control', 'no-store')
      .send(body);
  });
}
