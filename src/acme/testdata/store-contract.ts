// The behaviour every AcmeStore must have, as node:test cases: the memory store
// (src/acme/store.test.ts) and the SQLite store (src/store/sqlite/acme-store.test.ts) both
// run it. Test-only (testdata/ is not built).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemDocument } from '../problems.ts';
import type {
  AccountRecord,
  AcmeStore,
  AuthorizationRecord,
  ChallengeRecord,
  NewAuthorization,
  OrderRecord,
} from '../store.ts';

const T0 = new Date('2026-06-01T12:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
let counter = 0;
function must<T>(value: T | undefined): T {
  assert.ok(value !== undefined);
  return value;
}
const id = (prefix: string): string => `${prefix}${++counter}`;

export function account(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: id('acct'),
    key: { crv: 'P-256', kty: 'EC', x: `x${counter}`, y: 'y' },
    thumbprint: id('tp'),
    status: 'valid',
    contact: ['mailto:ops@example.test'],
    termsOfServiceAgreed: true,
    externalAccountKeyId: null,
    createdAt: T0,
    ...overrides,
  };
}

export function authorization(
  accountId: string,
  overrides: Partial<AuthorizationRecord> = {},
): NewAuthorization {
  const authz: AuthorizationRecord = {
    id: id('authz'),
    accountId,
    identifier: { type: 'dns', value: 'a.example.test' },
    wildcard: false,
    status: 'pending',
    expires: at(3_600_000),
    createdAt: T0,
    ...overrides,
  };
  const challenges: ChallengeRecord[] = (['http-01', 'dns-01', 'tls-alpn-01'] as const).map(
    (type) => ({
      id: id('ch'),
      authorizationId: authz.id,
      type,
      token: id('token'),
      status: 'pending',
      validated: null,
      error: null,
    }),
  );
  return { authorization: authz, challenges };
}

export function order(
  accountId: string,
  authzs: readonly NewAuthorization[],
  overrides: Partial<OrderRecord> = {},
): OrderRecord {
  return {
    id: id('order'),
    accountId,
    status: 'pending',
    identifiers: authzs.map((a) => a.authorization.identifier),
    authorizationIds: authzs.map((a) => a.authorization.id),
    expires: at(3_600_000),
    createdAt: T0,
    certificateSerial: null,
    error: null,
    replaces: null,
    ...overrides,
  };
}

export function storeContract(name: string, open: () => AcmeStore | Promise<AcmeStore>): void {
  test(`${name}: an account per key; a second create returns the holder`, async () => {
    const store = await open();
    const a = account();
    assert.deepEqual(await store.createAccount(a), { account: a, created: true });
    const again = await store.createAccount(account({ thumbprint: a.thumbprint }));
    assert.equal(again.created, false);
    assert.deepEqual(again.account, a);
    assert.deepEqual(await store.getAccount(a.id), a);
    assert.deepEqual(await store.findAccountByThumbprint(a.thumbprint), a);
    assert.equal(await store.getAccount('nobody'), undefined);
  });

  test(`${name}: contacts and status change; key change moves the thumbprint or names the holder`, async () => {
    const store = await open();
    const a = account();
    const b = account();
    await store.createAccount(a);
    await store.createAccount(b);
    const updated = await store.updateAccount(a.id, { contact: [], status: 'deactivated' });
    assert.deepEqual(updated, { ...a, contact: [], status: 'deactivated' });
    assert.equal(await store.updateAccount('nobody', { contact: [] }), undefined);
    const conflict = await store.changeAccountKey(a.id, b.key, b.thumbprint);
    assert.deepEqual(conflict, { changed: false, holderId: b.id });
    const key = { crv: 'P-256', kty: 'EC', x: 'new', y: 'new' };
    const changed = await store.changeAccountKey(a.id, key, 'new-thumbprint');
    assert.equal(changed.changed, true);
    assert.equal((await store.findAccountByThumbprint('new-thumbprint'))?.id, a.id);
    assert.equal(await store.findAccountByThumbprint(a.thumbprint), undefined);
    assert.deepEqual((await store.getAccount(a.id))?.key, key);
  });

  test(`${name}: an order, its authorizations and challenges round-trip`, async () => {
    const store = await open();
    const a = account();
    await store.createAccount(a);
    const first = authorization(a.id);
    const second = authorization(a.id, {
      identifier: { type: 'ip', value: '::1' },
      wildcard: false,
    });
    const o = order(a.id, [first, second], { replaces: 'aaa.bbb' });
    await store.createOrder(o, [first, second]);
    assert.deepEqual(await store.getOrder(o.id), o);
    assert.deepEqual(await store.getAuthorization(second.authorization.id), second.authorization);
    assert.deepEqual(await store.listChallenges(first.authorization.id), first.challenges);
    const ch = must(first.challenges[1]);
    assert.deepEqual(await store.getChallenge(ch.id), ch);
    assert.deepEqual(await store.findOrdersReplacing('aaa.bbb'), [o]);
    assert.deepEqual(await store.findOrdersReplacing('other'), []);
  });

  test(`${name}: state changes are compare-and-set`, async () => {
    const store = await open();
    const a = account();
    await store.createAccount(a);
    const authz = authorization(a.id);
    const o = order(a.id, [authz]);
    await store.createOrder(o, [authz]);
    assert.equal(await store.updateOrder(o.id, ['ready'], { status: 'processing' }), undefined);
    assert.equal(
      (await store.updateOrder(o.id, ['pending'], { status: 'ready' }))?.status,
      'ready',
    );
    const error = problemDocument('serverInternal', 'boom');
    const valid = await store.updateOrder(o.id, ['ready'], {
      status: 'valid',
      certificateSerial: 'ab01',
      error,
    });
    assert.deepEqual(valid, { ...o, status: 'valid', certificateSerial: 'ab01', error });
    assert.deepEqual(await store.findOrderByCertificate('ab01'), valid);
    assert.equal(await store.findOrderByCertificate('ffff'), undefined);

    const id = authz.authorization.id;
    assert.equal(
      await store.updateAuthorization(id, ['valid'], { status: 'deactivated' }),
      undefined,
    );
    const expires = at(8 * 3_600_000);
    assert.deepEqual(
      await store.updateAuthorization(id, ['pending'], { status: 'valid', expires }),
      {
        ...authz.authorization,
        status: 'valid',
        expires,
      },
    );

    const ch = must(authz.challenges[0]);
    assert.equal(
      await store.updateChallenge(ch.id, ['processing'], { status: 'valid' }),
      undefined,
    );
    await store.updateChallenge(ch.id, ['pending'], { status: 'processing' });
    const problem = problemDocument('connection', 'refused');
    assert.deepEqual(
      await store.updateChallenge(ch.id, ['processing'], { status: 'invalid', error: problem }),
      {
        ...ch,
        status: 'invalid',
        error: problem,
      },
    );
    const other = must(authz.challenges[1]);
    await store.updateChallenge(other.id, ['pending'], { status: 'processing' });
    const validated = at(1000);
    assert.deepEqual(
      await store.updateChallenge(other.id, ['processing'], { status: 'valid', validated }),
      {
        ...other,
        status: 'valid',
        validated,
      },
    );
  });

  test(`${name}: order lists, counts and lookups by authorization`, async () => {
    const store = await open();
    const a = account();
    await store.createAccount(a);
    const made: OrderRecord[] = [];
    for (let i = 0; i < 4; i++) {
      const authz = authorization(a.id);
      const o = order(a.id, [authz], {
        createdAt: at(i * 1000),
        expires: at(3_600_000 + i * 1000),
      });
      await store.createOrder(o, [authz]);
      made.push(o);
    }
    await store.updateOrder(must(made[0]).id, ['pending'], { status: 'invalid' });
    await store.updateOrder(must(made[1]).id, ['pending'], { status: 'processing' });
    assert.deepEqual(await store.listOrderIds(a.id, 10), [
      must(made[3]).id,
      must(made[2]).id,
      must(made[1]).id,
    ]);
    assert.deepEqual(await store.listOrderIds(a.id, 1), [must(made[3]).id]);
    assert.equal(await store.countOpenOrders(a.id, T0), 2);
    // made[2] expires first: at its expiry it no longer counts as open.
    assert.equal(await store.countOpenOrders(a.id, must(made[2]).expires), 1);
    const counts = await store.countOrders(must(made[2]).expires);
    assert.equal(counts.processing >= 1, true);
    assert.equal(counts.invalid >= 2, true);
    const reused = must(must(made[3]).authorizationIds[0]);
    const sharing = order(a.id, [], {
      authorizationIds: [reused],
      identifiers: must(made[3]).identifiers,
      status: 'ready',
    });
    await store.createOrder(sharing, []);
    const using = await store.findOpenOrdersByAuthorization(reused);
    assert.deepEqual(using.map((o) => o.id).sort(), [must(made[3]).id, sharing.id].sort());
    assert.deepEqual(
      await store.findOpenOrdersByAuthorization(must(must(made[0]).authorizationIds[0])),
      [],
    );
  });

  test(`${name}: a valid authorization is found by account, identifier, wildcard and expiry`, async () => {
    const store = await open();
    const a = account();
    const b = account();
    await store.createAccount(a);
    await store.createAccount(b);
    const identifier = { type: 'dns' as const, value: 'reuse.example.test' };
    const plain = authorization(a.id, { identifier, status: 'valid', expires: at(7_200_000) });
    const wild = authorization(a.id, {
      identifier,
      wildcard: true,
      status: 'valid',
      expires: at(7_200_000),
    });
    const pending = authorization(b.id, { identifier });
    await store.createOrder(order(a.id, [plain, wild]), [plain, wild]);
    await store.createOrder(order(b.id, [pending]), [pending]);
    assert.equal(
      (await store.findValidAuthorization(a.id, identifier, false, T0))?.id,
      plain.authorization.id,
    );
    assert.equal(
      (await store.findValidAuthorization(a.id, identifier, true, T0))?.id,
      wild.authorization.id,
    );
    assert.equal(await store.findValidAuthorization(b.id, identifier, false, T0), undefined);
    assert.equal(
      await store.findValidAuthorization(a.id, identifier, false, at(7_200_000)),
      undefined,
    );
    assert.equal(
      await store.findValidAuthorization(
        a.id,
        { type: 'dns', value: 'other.example.test' },
        false,
        T0,
      ),
      undefined,
    );
  });
}
