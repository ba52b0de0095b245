// `--status HOST:PORT`: plain HTTP for the orchestrator and Prometheus. /healthz answers
// 200 when every tunnel's target accepts a TCP connection now (the backend is part of the
// tunnel's health: a sidecar in front of a dead service is not ready), 503 otherwise;
// /metrics is the registry in the Prometheus text format.
import fastify from 'fastify';
import type { Registry } from 'prom-client';
import { registerMetricsRoute } from '../metrics/route.ts';
import { type Endpoint, dialPlain, formatEndpoint } from './endpoint.ts';
import type { Tunnel } from './listen.ts';

export interface StatusServerOptions {
  readonly listen: Endpoint & { kind: 'tcp' };
  readonly registry: Registry;
  readonly tunnels: readonly { readonly tunnel: Tunnel; readonly target: Endpoint }[];
  /** How long /healthz waits for each target. */
  readonly probeTimeoutMs?: number;
}

export interface StatusServer {
  readonly address: { readonly host: string; readonly port: number };
  close(): Promise<void>;
}

async function reachable(target: Endpoint, timeoutMs: number): Promise<string | null> {
  try {
    (await dialPlain(target, timeoutMs)).destroy();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const app = fastify({ logger: false, bodyLimit: 1024 });
  registerMetricsRoute(app, options.registry);
  app.get('/healthz', async (_request, reply) => {
    const tunnels = await Promise.all(
      options.tunnels.map(async ({ tunnel, target }) => {
        const error = await reachable(target, options.probeTimeoutMs ?? 2000);
        return {
          mode: tunnel.mode,
          listen: `${tunnel.address.host}:${tunnel.address.port}`,
          target: formatEndpoint(target),
          targetReachable: error === null,
          ...(error === null ? {} : { targetError: error }),
          activeConnections: tunnel.activeConnections(),
          certificateNotAfter: new Date(tunnel.credentials().leaf.validTo).toISOString(),
        };
      }),
    );
    const ok = tunnels.every((t) => t.targetReachable);
    return reply
      .code(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'degraded', tunnels });
  });
  await app.listen({ host: options.listen.host, port: options.listen.port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new TypeError('status listener has no TCP address');
  }
  return { address: { host: address.address, port: address.port }, close: () => app.close() };
}
