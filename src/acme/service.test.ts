import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { recordingLogger } from '../core/logger.ts';
import { CertificateAuthority } from '../ca/authority.ts';
import { initCa } from '../ca/init.ts';
import { memoryCaStore } from '../ca/testdata/memory-store.ts';
import { createRegistry } from '../metrics/registry.ts';
import { type CaService, servingIdentifiers, startCaService } from './service.ts';
import { MemoryAcmeStore } from './testdata/memory-store.ts';

const passphrase = 'service test passphrase';
let home: string;
let ca: CertificateAuthority;
let service: CaService;
const log = serviceLogger();

// fastify's logger wants a pino-shaped object: levels plus child.
function serviceLogger() {
  const base = recordingLogger();
  const shaped = (l: typeof base): never =>
    ({
      ...l,
      level: 'info',
      fatal: l.error,
      debug: () => undefined,
      trace: () => undefined,
      silent: () => undefined,
      child: (b: Record<string, unknown>) => shaped(l.child(b) as typeof base),
    }) as never;
  return { logger: shaped(base), records: base.records };
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'wt-ca-service-'));
  await initCa({
    dir: home,
    passphrase,
    permitDns: ['.wiretight.test'],
    permitIp: ['127.0.0.0/8'],
  });
  ca = await CertificateAuthority.open({ dir: home, passphrase, store: memoryCaStore() });
  service = await startCaService({
    ca,
    acmeStore: new MemoryAcmeStore(),
    listen: { host: '127.0.0.1', port: 0 },
    registry: createRegistry({ defaultMetrics: false }),
    logger: log.logger,
    servingLifetimeSeconds: 3,
    servingCheckSeconds: 0.2,
  });
});

after(async () => {
  await service.close();
  await ca.close();
  rmSync(home, { recursive: true, force: true });
});

/** The serial of the certificate the service presents on a new connection. */
function presentedSerial(): Promise<string> {
  const url = new URL(service.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), ca: ca.rootPem }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.once('error', reject);
  });
}

function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${service.url}${path}`, { ca: ca.rootPem }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

test('the HTTPS certificate verifies against the root for the listen address', async () => {
  assert.match(await presentedSerial(), /^[0-9A-F]+$/);
  const health = await get('/healthz');
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).status, 'ok');
  const line = log.records.find((r) => r.message === 'request' && r.fields['url'] === '/healthz');
  assert.equal(line?.fields['status'], 200);
  assert.equal(line?.fields['method'], 'GET');
});

test('the HTTPS certificate is replaced before it expires, without a restart', async () => {
  const first = await presentedSerial();
  const firstNotAfter = service.servingCertificate().notAfter;
  // Lifetime 3 s, renewed at two thirds: a new one is served within about 2.2 s.
  let now = first;
  for (let i = 0; i < 50 && now === first; i++) {
    await sleep(100);
    now = await presentedSerial();
  }
  assert.notEqual(now, first);
  assert.ok(service.servingCertificate().notAfter > firstNotAfter);
});

test('a URL the router cannot route is an ACME problem under /acme/, JSON elsewhere', async () => {
  const acme = await get('/acme/%E0%A4%A');
  assert.equal(acme.status, 400);
  assert.match(acme.type, /^application\/problem\+json/);
  assert.equal(JSON.parse(acme.body).type, 'urn:ietf:params:acme:error:malformed');
  const other = await get('/crl%E0%A4%A');
  assert.equal(other.status, 400);
  assert.match(other.type, /^application\/json/);
});

test('a wildcard listen address needs a name; names become DNS or IP identifiers', () => {
  assert.throws(() => servingIdentifiers('0.0.0.0', []), RangeError);
  assert.deepEqual(
    servingIdentifiers('0.0.0.0', ['ca.wiretight.test', '10.0.0.1', 'CA.wiretight.test']),
    [
      { type: 'dns', value: 'ca.wiretight.test' },
      { type: 'ip', value: '10.0.0.1' },
    ],
  );
});
