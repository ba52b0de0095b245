import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import { pemCertificates } from '../pki/pem.ts';
import type { CertificateAuthority } from '../ca/authority.ts';
import { type TestCa, makeTestCa } from '../ca/testdata/ca.ts';
import { certificateParts } from '../pki/certificate-parts.ts';
import { serialHex } from './certificates.ts';
import { type Harness, problemType, startAcmeOn } from './testdata/harness.ts';
import { MemoryAcmeStore } from './testdata/memory-store.ts';
import { type HttpResponder, startHttpResponder } from './testdata/responders.ts';
import type { AcmeResponse, TestAcmeClient } from './testdata/client.ts';
import { buildCsr } from './testdata/csr.ts';
import { b64u } from './testdata/client.ts';
import { opensslVerifyChain } from './testdata/openssl.ts';

// End to end with the real CertificateAuthority (src/ca) in a temporary directory.
let acme: Harness<CertificateAuthority, MemoryAcmeStore>;
let http: HttpResponder;
let testCa: TestCa;

before(async () => {
  http = await startHttpResponder();
  testCa = await makeTestCa({
    permitDns: ['.test'],
    permitIp: ['127.0.0.0/8'],
    clock: () => new Date(),
  });
  testCa.now = new Date();
  acme = await startAcmeOn(testCa.ca, new MemoryAcmeStore(), {
    validation: { connectHost: '127.0.0.1', http01Port: http.port, timeoutMs: 3000 },
  });
});
after(async () => {
  await acme.close();
  await http.close();
  await testCa.close();
});

const issuedCount = async (): Promise<number> => (await testCa.ca.list()).length;

/** Serves every http-01 challenge of the order's authorizations and triggers them. */
async function validateHttp01(
  client: TestAcmeClient,
  order: AcmeResponse,
): Promise<AcmeResponse[]> {
  const replies = [];
  for (const authzUrl of order.json.authorizations!) {
    const authz = await client.get(authzUrl);
    if (authz.json.status === 'valid') continue;
    const challenge = authz.json.challenges!.find((c) => c.type === 'http-01')!;
    http.routes.set(challenge.token!, `${challenge.token}.${await client.thumbprint()}`);
    replies.push(await client.post(challenge.url!, {}));
  }
  return replies;
}

test('an order goes pending → ready → valid and the chain verifies with openssl', async () => {
  const client = await acme.account();
  const identifiers = [
    { type: 'dns', value: 'a.flow.test' },
    { type: 'ip', value: '127.0.0.9' },
  ];
  const created = await client.newOrder(identifiers);
  assert.equal(created.status, 201, created.body);
  assert.equal(created.json.status, 'pending');
  assert.deepEqual(created.json.identifiers, identifiers);
  const orderUrl = client.location(created);

  const replies = await validateHttp01(client, created);
  // The challenge POST waited for its validation: the reply already says valid.
  assert.deepEqual(
    replies.map((r) => r.json.status),
    ['valid', 'valid'],
  );
  assert.match(String(replies[0]!.headers['link']), /rel="up"/);
  assert.ok(http.requests.some((r) => r.host === `a.flow.test:${http.port}`));

  const ready = await client.get(orderUrl);
  assert.equal(ready.json.status, 'ready');

  const csr = buildCsr({ identifiers: [identifiers[1]!, identifiers[0]!] as never });
  const finalized = await client.post(ready.json.finalize!, { csr: b64u(csr) });
  assert.equal(finalized.status, 200, finalized.body);
  assert.equal(finalized.json.status, 'valid');
  assert.equal(client.location(finalized), orderUrl);

  const chain = await client.get(finalized.json.certificate!);
  assert.equal(chain.status, 200);
  assert.equal(chain.headers['content-type'], 'application/pem-certificate-chain');
  const [leaf, intermediate] = pemCertificates(chain.body).map((der) => new X509Certificate(der));
  assert.ok(leaf !== undefined && intermediate !== undefined);
  assert.ok(leaf.verify(intermediate.publicKey));
  assert.match(await opensslVerifyChain(testCa.ca.rootPem, chain.body), /leaf\.pem: OK/);
  assert.match(leaf.subjectAltName ?? '', /DNS:a\.flow\.test/);
  const record = await testCa.ca.get(
    serialHex(certificateParts(pemCertificates(chain.body)[0]!).serial),
  );
  assert.equal(record?.provisioner, 'acme');
  assert.equal(record?.requestedBy, client.kid);
  assert.equal(record?.usage, 'server');
});

test("a second order for the same names reuses the account's valid authorizations: ready at once", async () => {
  const client = await acme.account();
  const identifiers = [{ type: 'dns', value: 'reuse.flow.test' }];
  const first = await client.newOrder(identifiers);
  await validateHttp01(client, first);
  const second = await client.newOrder(identifiers);
  assert.equal(second.json.status, 'ready');
  assert.deepEqual(second.json.authorizations, first.json.authorizations);
  // Another account does not inherit them.
  const other = await acme.account();
  assert.equal((await other.newOrder(identifiers)).json.status, 'pending');
});

test('finalize refuses a CSR naming other identifiers and leaves the order ready; nothing is issued', async () => {
  const client = await acme.account();
  const created = await client.newOrder([{ type: 'dns', value: 'csr.flow.test' }]);
  await validateHttp01(client, created);
  const issuedBefore = await issuedCount();
  const wrong = buildCsr({ identifiers: [{ type: 'dns', value: 'other.flow.test' }] });
  const refused = await client.post(created.json.finalize!, { csr: b64u(wrong) });
  assert.equal(refused.status, 400);
  assert.equal(problemType(refused), 'badCSR');
  const badSig = buildCsr({
    identifiers: [{ type: 'dns', value: 'csr.flow.test' }],
    badSignature: true,
  });
  const refused2 = await client.post(created.json.finalize!, { csr: b64u(badSig) });
  assert.equal(problemType(refused2), 'badCSR');
  assert.equal(await issuedCount(), issuedBefore);
  const order = await client.get(client.location(created));
  assert.equal(order.json.status, 'ready');
  assert.equal(order.json.certificate, undefined);
});

test('a CSR whose key the CA policy refuses is badCSR and the order stays ready', async () => {
  const client = await acme.account();
  const created = await client.newOrder([{ type: 'dns', value: 'weak.flow.test' }]);
  await validateHttp01(client, created);
  const issuedBefore = await issuedCount();
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const csr = buildCsr({ identifiers: [{ type: 'dns', value: 'weak.flow.test' }], ...weak });
  const refused = await client.post(created.json.finalize!, { csr: b64u(csr) });
  assert.equal(problemType(refused), 'badCSR');
  assert.match(refused.json.detail!, /1024-bit RSA key is too small/);
  assert.equal(await issuedCount(), issuedBefore);
  assert.equal((await client.get(client.location(created))).json.status, 'ready');
  const strong = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const good = buildCsr({ identifiers: [{ type: 'dns', value: 'weak.flow.test' }], ...strong });
  assert.equal(
    (await client.post(created.json.finalize!, { csr: b64u(good) })).json.status,
    'valid',
  );
});

test('identifiers outside the CA policy are refused at newOrder with one subproblem each', async () => {
  const client = await acme.account();
  const refused = await client.newOrder([
    { type: 'dns', value: 'ok.flow.test' },
    { type: 'dns', value: 'www.example.com' },
    { type: 'ip', value: '10.9.9.9' },
  ]);
  assert.equal(problemType(refused), 'rejectedIdentifier');
  assert.deepEqual(
    refused.json.subproblems?.map((p) => p.identifier?.value),
    ['www.example.com', '10.9.9.9'],
  );
});
