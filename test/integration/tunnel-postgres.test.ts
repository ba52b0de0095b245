// psql → tunnel client → tunnel server → PostgreSQL (TLS off): a real database protocol
// through both ends of the tunnel, SPIFFE-authorized, with a query that moves some data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { recordingLogger } from '../../src/core/logger.ts';
import { startTunnelClient, startTunnelServer, type Tunnel } from '../../src/tunnel/index.ts';
import { exec } from '../helpers/exec.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { RunningServer } from '../helpers/process.ts';
import { type TunnelPki, makeTunnelPki } from '../helpers/tunnel-pki.ts';
import { waitForRecord } from '../helpers/tunnel.ts';

const LISTEN = { kind: 'tcp', host: '127.0.0.1', port: 0 } as const;
const APP = 'spiffe://example.org/ns/prod/billing';
let pki: TunnelPki;
let postgres: RunningServer;
let server: Tunnel;
let client: Tunnel;
const logger = recordingLogger();

before(async () => {
  pki = await makeTunnelPki();
  postgres = await startPostgres({ ssl: false });
  const serverLeaf = await pki.issue('db', [{ type: 'dns', value: 'db.svc.internal' }], 'server');
  const clientLeaf = await pki.issue('billing', [{ type: 'uri', value: APP }], 'client');
  server = await startTunnelServer({
    listen: LISTEN,
    target: { kind: 'tcp', host: '127.0.0.1', port: postgres.port },
    credentials: { cert: serverLeaf.cert, key: serverLeaf.key, ca: pki.ca },
    allow: { uri: [APP] },
    reload: { watch: false, intervalMs: 0 },
    logger: logger.child({ tunnel: 'server' }),
  });
  client = await startTunnelClient({
    listen: LISTEN,
    target: { kind: 'tcp', host: '127.0.0.1', port: server.address.port },
    serverName: 'db.svc.internal',
    credentials: { cert: clientLeaf.cert, key: clientLeaf.key, ca: pki.ca },
    reload: { watch: false, intervalMs: 0 },
    logger: logger.child({ tunnel: 'client' }),
  });
});

after(async () => {
  await Promise.all([client?.close(), server?.close()]);
  await postgres?.stop();
  await pki?.close();
});

test('psql runs a query through the client and server tunnels', async () => {
  const r = await exec(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(client.address.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-X',
      '-A',
      '-t',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      "select count(*), sum(length(repeat('x', g))) from generate_series(1, 2000) g",
    ],
    { env: { ...process.env, PGSSLMODE: 'disable', PGCONNECT_TIMEOUT: '10' }, timeoutMs: 30_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2000|2001000');
  const line = await waitForRecord(
    logger.records,
    (rec) => rec.fields['tunnel'] === 'server' && rec.fields['event'] === 'tunnel.connection',
  );
  assert.equal(line.fields['rule'], `uri:${APP}`);
  assert.equal(line.fields['reason'], 'closed-by-client');
});
