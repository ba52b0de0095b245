// The plugin behind real HTTPS, as the service runs it: the base URL is known only once
// the server listens, and requests arrive as bytes on a socket rather than through inject.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { issue, newKey } from '../pki/testdata/certificates.ts';
import { registerAcme } from './index.ts';
import { LIMITS } from './limits.ts';
import { TestAcmeClient, b64u, httpsTransport } from './testdata/client.ts';
import { buildCsr } from './testdata/csr.ts';
import { FakeCa } from './testdata/fake-ca.ts';
import { MemoryAcmeStore } from './testdata/memory-store.ts';
import { type HttpResponder, startHttpResponder } from './testdata/responders.ts';

let app: FastifyInstance;
let http: HttpResponder;
let base = '';
let caPem = '';
const ca = new FakeCa();

before(async () => {
  http = await startHttpResponder();
  const key = newKey('p256');
  const now = Date.now();
  const cert = issue({
    cn: '127.0.0.1',
    key,
    ips: ['127.0.0.1'],
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3_600_000),
  });
  caPem = cert.pem;
  app = Fastify({
    https: { cert: cert.pem, key: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) },
  });
  registerAcme(app, {
    ca,
    store: new MemoryAcmeStore(),
    baseUrl: () => base,
    validation: { connectHost: '127.0.0.1', http01Port: http.port, timeoutMs: 3000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app.close();
  await http.close();
});

test('a whole order over HTTPS, with the base URL learnt after listening', async () => {
  const client = await TestAcmeClient.create(httpsTransport(caPem), base);
  assert.equal(client.endpoint('newNonce'), `${base}/acme/new-nonce`);
  assert.equal((await client.newAccount()).status, 201);
  const order = await client.newOrder([{ type: 'dns', value: 'https.test' }]);
  const authz = await client.get(order.json.authorizations![0]!);
  const challenge = authz.json.challenges!.find((c) => c.type === 'http-01')!;
  http.routes.set(challenge.token!, `${challenge.token}.${await client.thumbprint()}`);
  assert.equal((await client.post(challenge.url!, {})).json.status, 'valid');
  const csr = buildCsr({ identifiers: [{ type: 'dns', value: 'https.test' }] });
  const done = await client.post(order.json.finalize!, { csr: b64u(csr) });
  assert.equal(done.json.status, 'valid', done.body);
  const chain = await client.get(done.json.certificate!);
  assert.match(chain.body, /^-----BEGIN CERTIFICATE-----/);
  const nonce = await client.transport({ method: 'HEAD', url: client.endpoint('newNonce') });
  assert.equal(nonce.status, 200);
  assert.equal(nonce.headers['cache-control'], 'no-store');
  assert.match(String(nonce.headers['link']), /<.*\/acme\/directory>;rel="index"/);
  const get = await client.transport({ method: 'GET', url: client.endpoint('newNonce') });
  assert.equal(get.status, 204);
});

test('an oversized body streamed over the socket is refused with 413 and the server keeps serving', async () => {
  const client = await TestAcmeClient.create(httpsTransport(caPem), base);
  const res = await client.raw(
    client.endpoint('newAccount'),
    Buffer.alloc(LIMITS.bodyBytes * 16, 0x41),
  );
  assert.equal(res.status, 413);
  assert.equal(res.json.type, 'urn:ietf:params:acme:error:malformed');
  assert.equal((await client.newAccount()).status, 201);
});
