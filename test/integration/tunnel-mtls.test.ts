// The tunnel against real peers: curl and openssl s_client in front of a server tunnel,
// a client tunnel in front of it, a TCP echo server and an HTTP server behind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type LogRecord, recordingLogger } from '../../src/core/logger.ts';
import {
  parseEndpoint,
  startTunnelClient,
  startTunnelServer,
  type Tunnel,
} from '../../src/tunnel/index.ts';
import { createRegistry } from '../../src/metrics/registry.ts';
import { exec } from '../helpers/exec.ts';
import { type LeafFiles, type TunnelPki, makeTunnelPki } from '../helpers/tunnel-pki.ts';
import {
  type Peer,
  echoExchange,
  startEchoServer,
  startHttpServer,
  waitForRecord,
} from '../helpers/tunnel.ts';

const APP = 'spiffe://example.org/ns/prod/app';
let pki: TunnelPki;
let other: TunnelPki;
let serverLeaf: LeafFiles;
let clientLeaf: LeafFiles;
let strangerLeaf: LeafFiles;
let foreignLeaf: LeafFiles;
let http: Peer;
let echo: Peer;
const logger = recordingLogger();
const registry = createRegistry({ defaultMetrics: false });
let httpTunnel: Tunnel;
let echoTunnel: Tunnel;
let clientTunnel: Tunnel;

const listen = parseEndpoint('--listen', '127.0.0.1:0', { anyPort: true }) as {
  kind: 'tcp';
  host: string;
  port: number;
};

before(async () => {
  pki = await makeTunnelPki();
  other = await makeTunnelPki();
  serverLeaf = await pki.issue(
    'server',
    [
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
    ],
    'server',
  );
  clientLeaf = await pki.issue('client', [{ type: 'uri', value: APP }], 'client');
  strangerLeaf = await pki.issue(
    'stranger',
    [{ type: 'uri', value: 'spiffe://example.org/ns/dev/x' }],
    'client',
  );
  foreignLeaf = await other.issue('foreign', [{ type: 'uri', value: APP }], 'client');
  http = await startHttpServer('hello through the tunnel\n');
  echo = await startEchoServer();
  const server = { cert: serverLeaf.cert, key: serverLeaf.key, ca: pki.ca };
  httpTunnel = await startTunnelServer({
    listen,
    target: { kind: 'tcp', host: '127.0.0.1', port: http.port },
    credentials: server,
    allow: { uri: ['spiffe://example.org/ns/prod/*'] },
    reload: { watch: false, intervalMs: 0 },
    logger: logger.child({ tunnel: 'http' }),
    registry,
  });
  echoTunnel = await startTunnelServer({
    listen,
    target: { kind: 'tcp', host: '127.0.0.1', port: echo.port },
    credentials: server,
    allow: { uri: [APP] },
    reload: { watch: false, intervalMs: 0 },
    logger: logger.child({ tunnel: 'echo' }),
  });
  clientTunnel = await startTunnelClient({
    listen,
    target: { kind: 'tcp', host: '127.0.0.1', port: echoTunnel.address.port },
    serverName: 'localhost',
    credentials: { cert: clientLeaf.cert, key: clientLeaf.key, ca: pki.ca },
    reload: { watch: false, intervalMs: 0 },
    logger: logger.child({ tunnel: 'client' }),
  });
});

after(async () => {
  await Promise.all([httpTunnel?.close(), echoTunnel?.close(), clientTunnel?.close()]);
  await Promise.all([http?.close(), echo?.close()]);
  await Promise.all([pki?.close(), other?.close()]);
});

const fromTunnel = (name: string) => (r: { fields: Record<string, unknown> }) =>
  r.fields['tunnel'] === name;

test('curl with an allowed client certificate reaches the HTTP server over TLS 1.3', async () => {
  const r = await exec('curl', [
    '-sS',
    '--cacert',
    pki.ca,
    '--cert',
    clientLeaf.cert,
    '--key',
    clientLeaf.key,
    `https://localhost:${httpTunnel.address.port}/`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello through the tunnel\n');
  const line = await waitForRecord(
    logger.records,
    (rec) => fromTunnel('http')(rec) && rec.fields['event'] === 'tunnel.connection',
  );
  assert.equal(line.fields['rule'], 'uri:spiffe://example.org/ns/prod/*');
  assert.equal(line.fields['version'], 'TLSv1.3');
  assert.match(String(line.fields['cipher']), /^TLS_(AES_\d+_GCM|CHACHA20_POLY1305)_SHA\d+$/);
  assert.deepEqual((line.fields['identity'] as { uri: string[] }).uri, [APP]);
  assert.equal((line.fields['identity'] as { serial: string }).serial, clientLeaf.serial);
  assert.ok((line.fields['bytesToClient'] as number) > 0);
  assert.ok((line.fields['bytesFromClient'] as number) > 0);
});

async function refusal(args: string[], reason: string): Promise<LogRecord> {
  const before = logger.records.length;
  const r = await exec(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${httpTunnel.address.port}`,
      '-CAfile',
      pki.ca,
      '-servername',
      'localhost',
      '-ign_eof',
      ...args,
    ],
    { input: 'GET / HTTP/1.0\r\n\r\n', timeoutMs: 10_000 },
  );
  assert.doesNotMatch(r.stdout, /hello through the tunnel/);
  const line = await waitForRecord(
    logger.records.slice(before),
    (rec) => fromTunnel('http')(rec) && rec.fields['event'] === 'tunnel.refused',
  );
  assert.equal(line.fields['reason'], reason, JSON.stringify(line.fields));
  assert.match(String(line.fields['peer']), /^127\.0\.0\.1:\d+$/);
  return line;
}

test('openssl s_client without a certificate is refused: no-client-certificate', async () => {
  await refusal([], 'no-client-certificate');
});

test('a certificate from another CA is refused: untrusted-certificate', async () => {
  await refusal(
    ['-cert', foreignLeaf.cert, '-cert_chain', foreignLeaf.cert, '-key', foreignLeaf.key],
    'untrusted-certificate',
  );
});

test('a valid certificate with a disallowed SPIFFE ID is refused: not-allowed', async () => {
  await refusal(
    ['-cert', strangerLeaf.cert, '-cert_chain', strangerLeaf.cert, '-key', strangerLeaf.key],
    'not-allowed',
  );
});

test('TLS 1.2 with a CBC suite only is refused; TLS 1.2 with AEAD is served', async () => {
  const cbc = await exec(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${httpTunnel.address.port}`,
      '-tls1_2',
      '-cipher',
      'ECDHE-ECDSA-AES128-SHA256',
      '-cert',
      clientLeaf.cert,
      '-key',
      clientLeaf.key,
    ],
    { input: '', timeoutMs: 10_000 },
  );
  assert.notEqual(cbc.code, 0);
  const aead = await exec(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${httpTunnel.address.port}`,
      '-tls1_2',
      '-CAfile',
      pki.ca,
      '-cert',
      clientLeaf.cert,
      '-cert_chain',
      clientLeaf.cert,
      '-key',
      clientLeaf.key,
      '-ign_eof',
    ],
    { input: 'GET / HTTP/1.0\r\n\r\n', timeoutMs: 10_000 },
  );
  assert.match(aead.stdout, /hello through the tunnel/);
  assert.match(aead.stdout, /Cipher is ECDHE-ECDSA-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)/);
});

test('client tunnel → server tunnel → echo: 24 MiB both ways, half-close, hybrid PQ group', async () => {
  const r = await echoExchange(clientTunnel.address.port, 24 * 1024 * 1024, { chunks: 96 });
  assert.equal(r.receivedBytes, 24 * 1024 * 1024);
  assert.equal(r.received, r.sent);
  const client = await waitForRecord(
    logger.records,
    (rec) => fromTunnel('client')(rec) && rec.fields['event'] === 'tunnel.connection',
  );
  assert.equal(client.fields['group'], 'X25519MLKEM768');
  assert.equal(client.fields['reason'], 'closed-by-client');
  assert.equal(client.fields['bytesFromClient'], 24 * 1024 * 1024);
  assert.equal(client.fields['bytesToClient'], 24 * 1024 * 1024);
  assert.deepEqual((client.fields['identity'] as { dns: string[] }).dns, ['localhost']);
  const server = await waitForRecord(
    logger.records,
    (rec) => fromTunnel('echo')(rec) && rec.fields['event'] === 'tunnel.connection',
  );
  assert.equal(server.fields['rule'], `uri:${APP}`);
  assert.equal(server.fields['bytesFromClient'], 24 * 1024 * 1024);
});

test('the metrics carry each refusal by reason, handshakes by version and suite, and rules', async () => {
  const text = await registry.metrics();
  for (const reason of ['no-client-certificate', 'untrusted-certificate', 'not-allowed']) {
    assert.match(
      text,
      new RegExp(
        `wiretight_tunnel_refused_connections_total\\{mode="server",reason="${reason}"\\} [1-9]`,
      ),
    );
  }
  assert.match(
    text,
    /wiretight_tunnel_handshakes_total\{mode="server",result="ok",reason="",version="TLSv1.3",cipher="TLS_[A-Z0-9_]+",group=""\} [1-9]/,
  );
  assert.match(
    text,
    /wiretight_tunnel_authorizations_total\{mode="server",result="allowed",rule="uri:spiffe:\/\/example.org\/ns\/prod\/\*"\} [1-9]/,
  );
  assert.match(
    text,
    /wiretight_tunnel_authorizations_total\{mode="server",result="denied",rule=""\} [1-9]/,
  );
  assert.match(text, /wiretight_tunnel_bytes_total\{mode="server",direction="to_client"\} [1-9]/);
  assert.match(
    text,
    /wiretight_tunnel_handshake_duration_seconds_count\{mode="server",result="ok"\} [1-9]/,
  );
  assert.match(text, /wiretight_tunnel_active_connections\{mode="server"\} 0/);
  const leaf =
    /wiretight_tunnel_certificate_expiry_timestamp_seconds\{mode="server",certificate="leaf"\} (\d+)/.exec(
      text,
    );
  assert.ok(leaf, text);
  assert.ok(Number(leaf[1]) * 1000 > Date.now());
  assert.match(text, /certificate="issuer"\} \d+/);
  assert.match(text, /certificate="root"\} \d+/);
});
