// Every request below is refused with the RFC 8555 problem the spec names, a fresh
// Replay-Nonce and no stack trace, and none of them makes the CA issue anything.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, test } from 'node:test';
import { exportJWK } from 'jose';
import { LIMITS } from './limits.ts';
import { type Harness, problemType, startAcme } from './testdata/harness.ts';
import {
  type AcmeResponse,
  type TestAcmeClient,
  b64u,
  newAccountKey,
  signJws,
} from './testdata/client.ts';
import { buildCsr } from './testdata/csr.ts';

let acme: Harness;
let client: TestAcmeClient;
let issuedBefore: number;

before(async () => {
  acme = await startAcme();
  client = await acme.account();
  issuedBefore = acme.ca.records.size;
});
after(async () => {
  // Nothing any test below sent made the CA sign.
  assert.equal(acme.ca.records.size, issuedBefore);
  await acme.close();
});

function expectProblem(res: AcmeResponse, type: string, status: number): void {
  assert.equal(res.status, status, res.body);
  assert.equal(problemType(res), type, res.body);
  assert.equal(res.json.status, status);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.match(String(res.headers['replay-nonce']), /^[A-Za-z0-9_-]{22}$/);
  assert.doesNotMatch(res.body, /\n\s+at |\.ts:\d+/);
}

const newOrderUrl = (): string => client.endpoint('newOrder');
const order = { identifiers: [{ type: 'dns', value: 'x.hostile.test' }] };

test('a body that is not JSON, not a JWS, or a general-serialization JWS is malformed', async () => {
  expectProblem(await client.raw(newOrderUrl(), '{"protected":'), 'malformed', 400);
  expectProblem(
    await client.raw(newOrderUrl(), Buffer.from([0xff, 0xfe, 0x00, 0x81])),
    'malformed',
    400,
  );
  expectProblem(await client.raw(newOrderUrl(), '[1,2,3]'), 'malformed', 400);
  expectProblem(await client.raw(newOrderUrl(), '{}'), 'malformed', 400);
  expectProblem(
    await client.raw(
      newOrderUrl(),
      JSON.stringify({ payload: '', signatures: [{ protected: 'e30', signature: '' }] }),
    ),
    'malformed',
    400,
  );
  expectProblem(
    await client.raw(
      newOrderUrl(),
      JSON.stringify({ protected: '!!', payload: '', signature: '' }),
    ),
    'malformed',
    400,
  );
  expectProblem(
    await client.raw(
      newOrderUrl(),
      JSON.stringify({ protected: b64u('[]'), payload: '', signature: '' }),
    ),
    'malformed',
    400,
  );
});

test('an unprotected header, a missing alg, or neither jwk nor kid is malformed', async () => {
  const nonce = await client.freshNonce();
  const jws = await signJws(
    order,
    { alg: 'ES256', nonce, url: newOrderUrl(), kid: client.kid! },
    client.key.privateKey,
  );
  expectProblem(
    await client.raw(newOrderUrl(), JSON.stringify({ ...jws, header: { kid: 'x' } })),
    'malformed',
    400,
  );
  const noAlg = {
    protected: b64u(JSON.stringify({ nonce, url: newOrderUrl() })),
    payload: '',
    signature: '',
  };
  expectProblem(await client.raw(newOrderUrl(), JSON.stringify(noAlg)), 'malformed', 400);
  const neither = await signJws(
    order,
    { alg: 'ES256', nonce: await client.freshNonce(), url: newOrderUrl() },
    client.key.privateKey,
  );
  expectProblem(await client.raw(newOrderUrl(), JSON.stringify(neither)), 'malformed', 400);
  const both = await client.post(newOrderUrl(), order, { extraHeader: { jwk: client.key.jwk } });
  expectProblem(both, 'malformed', 400);
});

test('alg none, an HMAC, or an unknown alg is badSignatureAlgorithm listing the accepted ones', async () => {
  for (const alg of ['none', 'HS256', 'ES512', 'RS1']) {
    const nonce = await client.freshNonce();
    const header = b64u(JSON.stringify({ alg, nonce, url: newOrderUrl(), kid: client.kid }));
    const res = await client.raw(
      newOrderUrl(),
      JSON.stringify({ protected: header, payload: b64u('{}'), signature: '' }),
    );
    expectProblem(res, 'badSignatureAlgorithm', 400);
    assert.deepEqual(res.json.algorithms, ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519']);
  }
});

test('a bad signature, and a kid signed by another key, are malformed', async () => {
  const nonce = await client.freshNonce();
  const jws = await signJws(
    order,
    { alg: 'ES256', nonce, url: newOrderUrl(), kid: client.kid! },
    client.key.privateKey,
  );
  const tampered = {
    ...jws,
    payload: b64u(JSON.stringify({ identifiers: [{ type: 'dns', value: 'evil.test' }] })),
  };
  expectProblem(await client.raw(newOrderUrl(), JSON.stringify(tampered)), 'malformed', 400);
  const stranger = await newAccountKey();
  expectProblem(await client.post(newOrderUrl(), order, { key: stranger }), 'malformed', 400);
});

test('a replayed, unknown or missing nonce is badNonce, and the reply carries a fresh one', async () => {
  const nonce = await client.freshNonce();
  const first = await client.post(newOrderUrl(), order, { nonce });
  assert.equal(first.status, 201);
  const replay = await client.post(newOrderUrl(), order, { nonce });
  expectProblem(replay, 'badNonce', 400);
  assert.notEqual(replay.headers['replay-nonce'], nonce);
  expectProblem(
    await client.post(newOrderUrl(), order, { nonce: 'A'.repeat(22) }),
    'badNonce',
    400,
  );
  expectProblem(
    await client.post(newOrderUrl(), order, { nonce: 'not a nonce at all' }),
    'badNonce',
    400,
  );
  const noNonce = await signJws(
    order,
    { alg: 'ES256', url: newOrderUrl(), kid: client.kid! },
    client.key.privateKey,
  );
  expectProblem(await client.raw(newOrderUrl(), JSON.stringify(noNonce)), 'badNonce', 400);
  // The nonce a problem carried is good for the next request.
  const retried = await client.post(newOrderUrl(), order, {
    nonce: String(replay.headers['replay-nonce']),
  });
  assert.equal(retried.status, 201);
});

test('a header url other than the request URL is unauthorized', async () => {
  expectProblem(
    await client.post(newOrderUrl(), order, { headerUrl: `${newOrderUrl()}?x` }),
    'unauthorized',
    403,
  );
  expectProblem(
    await client.post(newOrderUrl(), order, { headerUrl: client.endpoint('newAccount') }),
    'unauthorized',
    403,
  );
  expectProblem(
    await client.post(newOrderUrl(), order, { headerUrl: 42 as never }),
    'unauthorized',
    403,
  );
});

test('a body over the cap is malformed/413 before it is parsed; a wrong media type is malformed/415', async () => {
  const huge = JSON.stringify({
    protected: 'e30',
    payload: 'A'.repeat(LIMITS.bodyBytes),
    signature: '',
  });
  expectProblem(await client.raw(newOrderUrl(), huge), 'malformed', 413);
  expectProblem(await client.raw(newOrderUrl(), '{}', 'application/json'), 'malformed', 415);
  expectProblem(await client.raw(newOrderUrl(), '{}', 'text/plain'), 'malformed', 415);
  const res = await client.transport({ method: 'POST', url: newOrderUrl() });
  assert.ok(res.status === 400 || res.status === 415, res.body);
});

test('an unknown kid is accountDoesNotExist; a kid that is no account URL is malformed', async () => {
  const stranger = await acme.client();
  stranger.kid = `${client.kid!.replace(/\/[^/]+$/, '')}/nobody`;
  expectProblem(await stranger.post(newOrderUrl(), order), 'accountDoesNotExist', 400);
  stranger.kid = 'https://elsewhere.test/acme/account/1';
  expectProblem(await stranger.post(newOrderUrl(), order), 'malformed', 400);
});

test('jwk where kid is required, kid on newAccount, private or weak keys are refused', async () => {
  expectProblem(await client.post(newOrderUrl(), order, { jwk: true }), 'malformed', 400);
  expectProblem(
    await client.post(client.endpoint('newAccount'), { termsOfServiceAgreed: true }),
    'malformed',
    400,
  );
  const fresh = await acme.client();
  const priv = {
    ...(await exportJWK(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)),
  };
  expectProblem(
    await fresh.post(fresh.endpoint('newAccount'), {}, { jwk: true, extraHeader: { jwk: priv } }),
    'malformed',
    400,
  );
  // jose will not sign with these keys, so the JWS is made by hand with node:crypto.
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  for (const [key, alg, digest] of [
    [weak, 'RS256', 'sha256'],
    [p521, 'ES512', 'sha512'],
  ] as const) {
    const url = fresh.endpoint('newAccount');
    const header = b64u(
      JSON.stringify({
        alg,
        nonce: await fresh.freshNonce(),
        url,
        jwk: key.publicKey.export({ format: 'jwk' }),
      }),
    );
    const payload = b64u('{}');
    const signature = b64u(
      sign(digest, Buffer.from(`${header}.${payload}`), {
        key: key.privateKey,
        dsaEncoding: 'ieee-p1363',
      }),
    );
    const res = await fresh.raw(url, JSON.stringify({ protected: header, payload, signature }));
    expectProblem(res, alg === 'ES512' ? 'badSignatureAlgorithm' : 'badPublicKey', 400);
  }
  const p384 = await newAccountKey('ES384');
  // An ES256 header over a P-384 key: the key does not fit the algorithm.
  const mismatch = b64u(
    JSON.stringify({
      alg: 'ES256',
      nonce: await fresh.freshNonce(),
      url: fresh.endpoint('newAccount'),
      jwk: p384.jwk,
    }),
  );
  const res = await fresh.raw(
    fresh.endpoint('newAccount'),
    JSON.stringify({ protected: mismatch, payload: b64u('{}'), signature: 'AAAA' }),
  );
  expectProblem(res, 'malformed', 400);
});

test('a payload that is not a JSON object, or POST-as-GET where a payload is needed, is malformed', async () => {
  expectProblem(await client.post(newOrderUrl(), [1, 2]), 'malformed', 400);
  expectProblem(await client.post(newOrderUrl(), 'text'), 'malformed', 400);
  expectProblem(await client.post(newOrderUrl(), ''), 'malformed', 400);
});

test('identifiers the server cannot or will not certify are refused, one subproblem each', async () => {
  expectProblem(
    await client.newOrder([{ type: 'email', value: 'a@b.test' }]),
    'unsupportedIdentifier',
    400,
  );
  expectProblem(await client.newOrder([]), 'malformed', 400);
  expectProblem(await client.post(newOrderUrl(), { identifiers: 'a.test' }), 'malformed', 400);
  expectProblem(await client.newOrder([{ type: 'dns', value: 5 } as never]), 'malformed', 400);
  const many = Array.from({ length: 101 }, (_, i) => ({
    type: 'dns',
    value: `n${i}.hostile.test`,
  }));
  expectProblem(await client.newOrder(many), 'rejectedIdentifier', 400);
  const bad = await client.newOrder([
    { type: 'dns', value: 'ok.hostile.test' },
    { type: 'dns', value: 'bad_name.hostile.test' },
    { type: 'dns', value: 'a.*.hostile.test' },
    { type: 'ip', value: '300.1.1.1' },
  ]);
  expectProblem(bad, 'rejectedIdentifier', 400);
  assert.equal(bad.json.subproblems?.length, 3);
  const policy = await client.newOrder([
    { type: 'dns', value: 'ok.hostile.test' },
    { type: 'dns', value: 'www.example.com' },
    { type: 'ip', value: '10.0.0.1' },
  ]);
  expectProblem(policy, 'rejectedIdentifier', 400);
  assert.deepEqual(
    policy.json.subproblems?.map((p) => p.identifier),
    [
      { type: 'dns', value: 'www.example.com' },
      { type: 'ip', value: '10.0.0.1' },
    ],
  );
  expectProblem(
    await client.newOrder(order.identifiers, { notAfter: '2030-01-01T00:00:00Z' }),
    'malformed',
    400,
  );
});

test('finalize is orderNotReady before validation; a CSR outside the order or the policy is badCSR', async () => {
  const created = await client.newOrder([{ type: 'dns', value: 'fin.hostile.test' }]);
  const csr = b64u(buildCsr({ identifiers: [{ type: 'dns', value: 'fin.hostile.test' }] }));
  expectProblem(await client.post(created.json.finalize!, { csr }), 'orderNotReady', 403);
  // Make the order ready by validating its authorization directly in the store.
  const authzId = created.json.authorizations![0]!.split('/').pop()!;
  await acme.store.updateAuthorization(authzId, ['pending'], {
    status: 'valid',
    expires: new Date(Date.now() + 3_600_000),
  });
  const outside = b64u(
    buildCsr({
      identifiers: [
        { type: 'dns', value: 'fin.hostile.test' },
        { type: 'dns', value: 'www.example.com' },
      ],
    }),
  );
  expectProblem(await client.post(created.json.finalize!, { csr: outside }), 'badCSR', 400);
  const badSig = b64u(
    buildCsr({ identifiers: [{ type: 'dns', value: 'fin.hostile.test' }], badSignature: true }),
  );
  expectProblem(await client.post(created.json.finalize!, { csr: badSig }), 'badCSR', 400);
  expectProblem(await client.post(created.json.finalize!, { csr: 'not base64!' }), 'badCSR', 400);
  expectProblem(await client.post(created.json.finalize!, { csr: b64u('garbage') }), 'badCSR', 400);
  expectProblem(
    await client.post(created.json.finalize!, { csr: 'A'.repeat(30_000) }),
    'badCSR',
    400,
  );
  expectProblem(await client.post(created.json.finalize!, {}), 'malformed', 400);
  assert.equal((await client.get(client.location(created))).json.status, 'ready');
});

test("another account's order, authorization and challenge are unauthorized; unknown ids are 404", async () => {
  const created = await client.newOrder([{ type: 'dns', value: 'mine.hostile.test' }]);
  const other = await acme.account();
  expectProblem(await other.get(client.location(created)), 'unauthorized', 403);
  const authzUrl = created.json.authorizations![0]!;
  expectProblem(await other.get(authzUrl), 'unauthorized', 403);
  const authz = await client.get(authzUrl);
  expectProblem(await other.post(authz.json.challenges![0]!.url!, {}), 'unauthorized', 403);
  expectProblem(await other.get(client.kid!), 'unauthorized', 403);
  expectProblem(await client.get(`${client.location(created)}x`), 'malformed', 404);
  expectProblem(
    await client.get(client.location(created).replace(/[^/]+$/, 'a%2F..')),
    'malformed',
    404,
  );
});

test('GET on a POST-as-GET resource is 405; an unknown path is 404; both are problems', async () => {
  const get = await client.transport({ method: 'GET', url: newOrderUrl() });
  assert.equal(get.status, 405);
  assert.equal(get.headers['allow'], 'POST');
  assert.match(String(get.headers['content-type']), /problem\+json/);
  const unknown = await client.transport({
    method: 'GET',
    url: `${client.baseUrl}/acme/nothing-here`,
  });
  assert.equal(unknown.status, 404);
  assert.match(String(unknown.headers['content-type']), /problem\+json/);
});

test('a deactivated account can no longer sign anything', async () => {
  const gone = await acme.account();
  const res = await gone.post(gone.kid!, { status: 'deactivated' });
  assert.equal(res.json.status, 'deactivated');
  expectProblem(await gone.newOrder(order.identifiers), 'unauthorized', 403);
  expectProblem(await gone.newAccount(), 'unauthorized', 403);
});

test('after all of the above the server still issues for a well-formed request', async () => {
  const res = await client.newOrder([{ type: 'dns', value: 'still.hostile.test' }]);
  assert.equal(res.status, 201);
});
