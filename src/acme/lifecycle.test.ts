// Order, authorization and challenge states over time (an injected clock), after failed
// validations, slow validations, deactivation, and a restart of the server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LIFETIMES_MS } from './limits.ts';
import { problemType, startAcme, startAcmeOn } from './testdata/harness.ts';
import { type HttpResponder, startHttpResponder } from './testdata/responders.ts';
import type { AcmeResponse, TestAcmeClient } from './testdata/client.ts';
import { authorizeInStore } from './testdata/flows.ts';

let http: HttpResponder;
let clock = Date.now();
const now = (): number => clock;

before(async () => {
  http = await startHttpResponder();
});
after(() => http.close());

const start = (extra: Parameters<typeof startAcme>[0] = {}) =>
  startAcme({
    now,
    validation: { connectHost: '127.0.0.1', http01Port: http.port, timeoutMs: 3000 },
    ...extra,
  });

async function http01(client: TestAcmeClient, order: AcmeResponse) {
  const authzUrl = order.json.authorizations![0]!;
  const authz = await client.get(authzUrl);
  const challenge = authz.json.challenges!.find((c) => c.type === 'http-01')!;
  return { authzUrl, challenge, keyAuth: `${challenge.token}.${await client.thumbprint()}` };
}

test('an order and its pending authorization expire: invalid and expired, and finalize is refused', async () => {
  const acme = await start();
  try {
    const client = await acme.account();
    const order = await client.newOrder([{ type: 'dns', value: 'expire.life.test' }]);
    clock += LIFETIMES_MS.order + 1000;
    const read = await client.get(client.location(order));
    assert.equal(read.json.status, 'invalid');
    assert.equal((await client.get(order.json.authorizations![0]!)).json.status, 'expired');
    assert.equal(
      problemType(await client.post(order.json.finalize!, { csr: 'AAAA' })),
      'orderNotReady',
    );
  } finally {
    await acme.close();
  }
});

test('a failed validation: challenge and authorization invalid with the problem, order invalid, no retry', async () => {
  const acme = await start();
  try {
    const client = await acme.account();
    const order = await client.newOrder([{ type: 'dns', value: 'fail.life.test' }]);
    const { authzUrl, challenge } = await http01(client, order);
    http.routes.set(challenge.token!, 'wrong');
    const reply = await client.post(challenge.url!, {});
    assert.equal(reply.json.status, 'invalid');
    assert.equal(reply.json.error?.type, 'urn:ietf:params:acme:error:incorrectResponse');
    const authz = await client.get(authzUrl);
    assert.equal(authz.json.status, 'invalid');
    assert.deepEqual(
      authz.json.challenges?.map((c) => c.type),
      ['http-01'],
    );
    assert.equal((await client.get(client.location(order))).json.status, 'invalid');
    // Serving the right answer now changes nothing: one attempt per challenge.
    http.routes.set(challenge.token!, `${challenge.token}.${await client.thumbprint()}`);
    const hits = http.requests.length;
    assert.equal((await client.post(challenge.url!, {})).json.status, 'invalid');
    assert.equal(http.requests.length, hits);
  } finally {
    await acme.close();
  }
});

test('a validation slower than waitMs answers processing with Retry-After, then completes in the background', async () => {
  const acme = await start({
    validation: { connectHost: '127.0.0.1', http01Port: http.port, timeoutMs: 3000, waitMs: 50 },
  });
  try {
    const client = await acme.account();
    const order = await client.newOrder([{ type: 'dns', value: 'slow.life.test' }]);
    const { authzUrl, challenge, keyAuth } = await http01(client, order);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    http.routes.set(challenge.token!, (_req, res) => {
      void released.then(() => res.writeHead(200).end(keyAuth));
    });
    const reply = await client.post(challenge.url!, {});
    assert.equal(reply.json.status, 'processing');
    assert.equal(reply.headers['retry-after'], '1');
    const polled = await client.get(authzUrl);
    assert.equal(polled.json.status, 'pending');
    assert.equal(polled.headers['retry-after'], '1');
    release();
    // The challenge POST is idempotent while processing: it waits for the running attempt.
    const done = await client.post(challenge.url!, {});
    assert.equal(done.json.status, 'valid');
    assert.equal((await client.get(client.location(order))).json.status, 'ready');
  } finally {
    await acme.close();
  }
});

test('a challenge left processing by a restart is validated again when a client looks at it', async () => {
  const first = await start();
  const client = await first.account();
  const order = await client.newOrder([{ type: 'dns', value: 'restart.life.test' }]);
  const { authzUrl, challenge, keyAuth } = await http01(client, order);
  const challengeId = challenge.url!.split('/').pop()!;
  // The state a crash mid-validation leaves behind.
  await first.store.updateChallenge(challengeId, ['pending'], { status: 'processing' });
  await first.close();
  const second = await startAcmeOn(first.ca, first.store, {
    now,
    validation: { connectHost: '127.0.0.1', http01Port: http.port, timeoutMs: 3000 },
  });
  try {
    const again = await second.client();
    again.key = client.key;
    again.kid = client.kid;
    http.routes.set(challenge.token!, keyAuth);
    const authz = await again.get(authzUrl);
    assert.ok(['pending', 'valid'].includes(String(authz.json.status)));
    const reply = await again.post(challenge.url!, '');
    assert.equal(reply.json.status, 'valid');
    assert.equal((await again.get(client.location(order))).json.status, 'ready');
  } finally {
    await second.close();
  }
});

test('deactivating an authorization invalidates the orders using it', async () => {
  const acme = await start();
  try {
    const client = await acme.account();
    const order = await client.newOrder([{ type: 'dns', value: 'deact.life.test' }]);
    await authorizeInStore(acme, order, clock);
    assert.equal((await client.get(client.location(order))).json.status, 'ready');
    const res = await client.post(order.json.authorizations![0]!, { status: 'deactivated' });
    assert.equal(res.json.status, 'deactivated');
    assert.equal((await client.get(client.location(order))).json.status, 'invalid');
    assert.equal(
      problemType(await client.post(order.json.authorizations![0]!, { status: 'deactivated' })),
      'malformed',
    );
    assert.equal(
      problemType(await client.post(order.json.authorizations![0]!, { status: 'valid' })),
      'malformed',
    );
  } finally {
    await acme.close();
  }
});

test('a valid authorization about to expire is not reused: the new order validates again', async () => {
  const acme = await start();
  try {
    const client = await acme.account();
    const order = await client.newOrder([{ type: 'dns', value: 'margin.life.test' }]);
    const id = order.json.authorizations![0]!.split('/').pop()!;
    await acme.store.updateAuthorization(id, ['pending'], {
      status: 'valid',
      expires: new Date(clock + 60_000),
    });
    const next = await client.newOrder([{ type: 'dns', value: 'margin.life.test' }]);
    assert.equal(next.json.status, 'pending');
    assert.notDeepEqual(next.json.authorizations, order.json.authorizations);
  } finally {
    await acme.close();
  }
});

test('the challenges offered: wildcards dns-01 only, IP addresses no dns-01', async () => {
  const acme = await start();
  try {
    const client = await acme.account();
    const order = await client.newOrder([
      { type: 'dns', value: '*.wild.life.test' },
      { type: 'ip', value: '127.0.0.5' },
      { type: 'dns', value: 'plain.life.test' },
    ]);
    const types = [];
    for (const url of order.json.authorizations!) {
      const authz = await client.get(url);
      types.push([
        authz.json.identifier?.value,
        authz.json.wildcard ?? false,
        authz.json.challenges?.map((c) => c.type),
      ]);
    }
    assert.deepEqual(types, [
      ['wild.life.test', true, ['dns-01']],
      ['127.0.0.5', false, ['http-01', 'tls-alpn-01']],
      ['plain.life.test', false, ['http-01', 'dns-01', 'tls-alpn-01']],
    ]);
  } finally {
    await acme.close();
  }
});
