import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type Harness, problemType, startAcme } from './testdata/harness.ts';
import { type TestAcmeClient, newAccountKey, signJws } from './testdata/client.ts';

let acme: Harness;
before(async () => {
  acme = await startAcme();
});
after(() => acme.close());

test('newAccount creates (201) once per key; the same key again returns it (200)', async () => {
  const client = await acme.client();
  const created = await client.newAccount({
    termsOfServiceAgreed: true,
    contact: ['mailto:ops@example.test'],
  });
  assert.equal(created.status, 201);
  assert.match(client.kid!, /^https:\/\/acme\.test:8443\/acme\/account\/[A-Za-z0-9_-]+$/);
  assert.deepEqual(created.json.contact, ['mailto:ops@example.test']);
  assert.equal(created.json.status, 'valid');
  assert.equal(created.json.orders, `${client.kid}/orders`);
  const again = await client.newAccount({ termsOfServiceAgreed: true });
  assert.equal(again.status, 200);
  assert.equal(client.location(again), client.kid);
  const lookup = await client.newAccount({ onlyReturnExisting: true });
  assert.equal(lookup.status, 200);
  const stranger = await acme.client();
  const missing = await stranger.newAccount({ onlyReturnExisting: true });
  assert.equal(problemType(missing), 'accountDoesNotExist');
  assert.equal(acme.store.accounts.size >= 1, true);
});

test('every accepted account key algorithm works end to end', async () => {
  for (const alg of ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA']) {
    const client = await acme.account(alg);
    const order = await client.newOrder([
      { type: 'dns', value: `${alg.toLowerCase()}.accounts.test` },
    ]);
    assert.equal(order.status, 201, `${alg}: ${order.body}`);
  }
});

test('contacts: mailto only, one plain address each, at most ten; updates replace them', async () => {
  const client = await acme.client();
  for (const [contact, type] of [
    [['tel:+1555'], 'unsupportedContact'],
    [['mailto:a@b.test,c@d.test'], 'invalidContact'],
    [['mailto:a@b.test?subject=x'], 'invalidContact'],
    [['mailto:no-domain'], 'invalidContact'],
    [[42], 'invalidContact'],
    [Array.from({ length: 11 }, (_, i) => `mailto:a${i}@b.test`), 'invalidContact'],
    ['mailto:a@b.test', 'malformed'],
  ] as const) {
    const res = await client.newAccount({ termsOfServiceAgreed: true, contact });
    assert.equal(problemType(res), type, JSON.stringify(contact));
  }
  const ok = await client.newAccount({ contact: ['mailto:first@example.test'] });
  assert.equal(ok.status, 201);
  const updated = await client.post(client.kid!, { contact: ['mailto:second@example.test'] });
  assert.deepEqual(updated.json.contact, ['mailto:second@example.test']);
  assert.equal(
    problemType(await client.post(client.kid!, { contact: ['http://x'] })),
    'unsupportedContact',
  );
  assert.equal(problemType(await client.post(client.kid!, { status: 'revoked' })), 'malformed');
  const read = await client.get(client.kid!);
  assert.deepEqual(read.json.contact, ['mailto:second@example.test']);
});

test("an account's orders resource lists its orders that are not invalid, newest first", async () => {
  const client = await acme.account();
  const first = await client.newOrder([{ type: 'dns', value: 'one.accounts.test' }]);
  const second = await client.newOrder([{ type: 'dns', value: 'two.accounts.test' }]);
  const list = await client.get(`${client.kid}/orders`);
  assert.deepEqual(list.json.orders, [client.location(second), client.location(first)]);
});

async function keyChange(
  client: TestAcmeClient,
  next: Awaited<ReturnType<typeof newAccountKey>>,
  inner: {
    url?: string;
    account?: string;
    oldKey?: unknown;
    signer?: Awaited<ReturnType<typeof newAccountKey>>;
  } = {},
) {
  const url = client.endpoint('keyChange');
  const jws = await signJws(
    { account: inner.account ?? client.kid, oldKey: inner.oldKey ?? client.key.jwk },
    { alg: next.alg, jwk: next.jwk, url: inner.url ?? url },
    (inner.signer ?? next).privateKey,
  );
  return client.post(url, jws);
}

test('keyChange replaces the key: the old one stops working, the new one signs for the account', async () => {
  const client = await acme.account();
  const oldKey = client.key;
  const next = await newAccountKey('ES384');
  const res = await keyChange(client, next);
  assert.equal(res.status, 200, res.body);
  // The old key no longer authenticates the account...
  assert.equal(
    problemType(await client.newOrder([{ type: 'dns', value: 'old.accounts.test' }])),
    'malformed',
  );
  const lookupOld = await client.post(
    client.endpoint('newAccount'),
    { onlyReturnExisting: true },
    { jwk: true },
  );
  assert.equal(problemType(lookupOld), 'accountDoesNotExist');
  // ...the new one does, for the same account.
  client.key = next;
  assert.equal((await client.newOrder([{ type: 'dns', value: 'new.accounts.test' }])).status, 201);
  const lookupNew = await client.post(
    client.endpoint('newAccount'),
    { onlyReturnExisting: true },
    { jwk: true },
  );
  assert.equal(client.location(lookupNew), client.kid);
  assert.notDeepEqual(oldKey.jwk, next.jwk);
});

test("keyChange to another account's key is a 409 naming that account; a bad inner JWS is refused", async () => {
  const client = await acme.account();
  const other = await acme.account();
  const conflict = await keyChange(client, other.key);
  assert.equal(conflict.status, 409);
  assert.equal(problemType(conflict), 'malformed');
  assert.equal(conflict.headers['location'], other.kid);
  const next = await newAccountKey();
  assert.equal(
    problemType(await keyChange(client, next, { signer: await newAccountKey() })),
    'malformed',
  );
  assert.equal(
    problemType(await keyChange(client, next, { url: client.endpoint('newOrder') })),
    'malformed',
  );
  assert.equal(problemType(await keyChange(client, next, { account: other.kid! })), 'malformed');
  assert.equal(
    problemType(await keyChange(client, next, { oldKey: other.key.jwk })),
    'unauthorized',
  );
  assert.equal(problemType(await keyChange(client, client.key)), 'malformed');
  // None of the refusals changed the key.
  assert.equal((await client.newOrder([{ type: 'dns', value: 'kept.accounts.test' }])).status, 201);
});

test('terms of service: shown in the directory, and new accounts must agree', async () => {
  const tos = await startAcme({ termsOfService: 'https://acme.test/terms' });
  try {
    const client = await tos.client();
    const dir = await client.transport({ method: 'GET', url: `${client.baseUrl}/acme/directory` });
    assert.equal(JSON.parse(dir.body).meta.termsOfService, 'https://acme.test/terms');
    assert.equal(problemType(await client.newAccount({})), 'malformed');
    assert.equal((await client.newAccount({ termsOfServiceAgreed: true })).status, 201);
  } finally {
    await tos.close();
  }
});

test('external account binding: required, checked, and recorded on the account', async () => {
  const secret = randomBytes(32);
  const eab = await startAcme({
    eab: { required: true, keys: new Map([['kid-1', new Uint8Array(secret)]]) },
  });
  try {
    const client = await eab.client();
    const dir = await client.transport({ method: 'GET', url: `${client.baseUrl}/acme/directory` });
    assert.equal(JSON.parse(dir.body).meta.externalAccountRequired, true);
    const url = client.endpoint('newAccount');
    const binding = (kid: string, key: Uint8Array, jwk = client.key.jwk, at = url) =>
      signJws(jwk, { alg: 'HS256', kid, url: at }, key);
    assert.equal(
      problemType(await client.newAccount({ termsOfServiceAgreed: true })),
      'externalAccountRequired',
    );
    const wrongSecret = await binding('kid-1', new Uint8Array(randomBytes(32)));
    assert.equal(
      problemType(await client.newAccount({ externalAccountBinding: wrongSecret })),
      'unauthorized',
    );
    const unknownKid = await binding('kid-2', new Uint8Array(secret));
    assert.equal(
      problemType(await client.newAccount({ externalAccountBinding: unknownKid })),
      'unauthorized',
    );
    const otherKey = await binding('kid-1', new Uint8Array(secret), (await newAccountKey()).jwk);
    assert.equal(
      problemType(await client.newAccount({ externalAccountBinding: otherKey })),
      'unauthorized',
    );
    const otherUrl = await binding(
      'kid-1',
      new Uint8Array(secret),
      client.key.jwk,
      client.endpoint('newOrder'),
    );
    assert.equal(
      problemType(await client.newAccount({ externalAccountBinding: otherUrl })),
      'unauthorized',
    );
    const es256 = await signJws(
      client.key.jwk,
      { alg: 'ES256', kid: 'kid-1', url },
      client.key.privateKey,
    );
    assert.equal(
      problemType(await client.newAccount({ externalAccountBinding: es256 })),
      'malformed',
    );
    assert.equal(
      problemType(await client.newAccount({ externalAccountBinding: 'x' })),
      'malformed',
    );
    assert.equal(eab.store.accounts.size, 0);
    const good = await binding('kid-1', new Uint8Array(secret));
    const created = await client.newAccount({ externalAccountBinding: good });
    assert.equal(created.status, 201, created.body);
    assert.equal([...eab.store.accounts.values()][0]?.externalAccountKeyId, 'kid-1');
  } finally {
    await eab.close();
  }
});
