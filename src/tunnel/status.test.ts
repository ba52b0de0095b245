import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { createRegistry } from '../metrics/registry.ts';
import type { Credentials } from './credentials.ts';
import type { Tunnel } from './listen.ts';
import { startStatusServer } from './status.ts';

// Enough of a tunnel for /healthz: the status server reads only these members.
const fakeTunnel = (notAfter: string): Tunnel => ({
  mode: 'server',
  address: { host: '127.0.0.1', port: 1 },
  activeConnections: () => 3,
  credentials: () => ({ leaf: { validTo: notAfter } as X509Certificate }) as Credentials,
  reload: async () => 'unchanged',
  close: async () => undefined,
});

test('/healthz is 200 while the target accepts and 503 once it is gone; /metrics is served', async () => {
  const backend = createServer((s) => s.destroy());
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as { port: number }).port;
  const registry = createRegistry({ defaultMetrics: false });
  const status = await startStatusServer({
    listen: { kind: 'tcp', host: '127.0.0.1', port: 0 },
    registry,
    tunnels: [
      {
        tunnel: fakeTunnel('Jan  1 00:00:00 2031 GMT'),
        target: { kind: 'tcp', host: '127.0.0.1', port },
      },
    ],
  });
  try {
    const url = `http://127.0.0.1:${status.address.port}`;
    const up = await fetch(`${url}/healthz`);
    assert.equal(up.status, 200);
    const body = (await up.json()) as { tunnels: Record<string, unknown>[] };
    assert.equal(body.tunnels[0]?.['activeConnections'], 3);
    assert.equal(body.tunnels[0]?.['certificateNotAfter'], '2031-01-01T00:00:00.000Z');
    await new Promise<void>((r) => backend.close(() => r()));
    const down = await fetch(`${url}/healthz`);
    assert.equal(down.status, 503);
    const downBody = (await down.json()) as { status: string; tunnels: Record<string, unknown>[] };
    assert.equal(downBody.status, 'degraded');
    assert.match(String(downBody.tunnels[0]?.['targetError']), /ECONNREFUSED/);
    const metrics = await fetch(`${url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
  } finally {
    await status.close();
  }
});
