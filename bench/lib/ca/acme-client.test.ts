// The bench's ACME client, responder, chain check and HTTPS transport, against real peers
// on loopback: wiretight's service (startCaService in this process, a real CA in a temp
// dir, real http-01 validation against the bench's responder), and small hostile HTTPS
// servers for what a broken server may send.
//   node_modules/.bin/node --test bench/lib/ca/acme-client.test.ts
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { type CaService, startCaService } from '../../../src/acme/service.ts';
import { MemoryAcmeStore } from '../../../src/acme/testdata/memory-store.ts';
import { CertificateAuthority } from '../../../src/ca/authority.ts';
import { createRegistry } from '../../../src/metrics/registry.ts';
import { openCaStore } from '../../../src/store/sqlite/ca-store.ts';
import { AcmeClient } from './acme-client.ts';
import { runAcmeLoad } from './acme-load.ts';
import { type ChallengeBoard, startChallengeBoard } from './challenge-board.ts';
import { MAX_CHAIN_CERTIFICATES, chainProblem } from './chain-check.ts';
import { httpsTransport } from './transport.ts';
import { type BenchCa, createBenchCa } from './wiretight.ts';

let work: string;
let bench: BenchCa;
let ca: CertificateAuthority;
let board: ChallengeBoard;
let service: CaService;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'wiretight-bench-ca-test-'));
  bench = await createBenchCa(work, 'ca');
  ca = await CertificateAuthority.open({
    dir: bench.dir,
    passphrase: bench.passphrase,
    store: openCaStore(join(bench.dir, 'ca.db')),
  });
  board = await startChallengeBoard();
  service = await startCaService({
    ca,
    acmeStore: new MemoryAcmeStore(),
    listen: { host: '127.0.0.1', port: 0 },
    registry: createRegistry({ defaultMetrics: false }),
    logger: pino({ level: 'silent' }),
    acme: {
      validation: { http01Port: board.port, connectHost: '127.0.0.1', timeoutMs: 5000 },
    },
  });
});

after(async () => {
  await service?.close();
  await board?.close();
  await ca?.close();
  rmSync(work, { recursive: true, force: true });
});

const directory = (): string => `${service.url}/acme/directory`;

/** A P-256 certificate for 127.0.0.1 from the test CA, for hostile HTTPS servers. */
async function servingPair(): Promise<{ key: string; cert: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await ca.issue({
    publicKey,
    identifiers: [{ type: 'ip', value: '127.0.0.1' }],
    usage: 'server',
    provisioner: 'library',
  });
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: issued.chainPem,
  };
}

async function hostile(
  answer: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server }> {
  const server = createServer(await servingPair(), answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `https://127.0.0.1:${port}/dir`, server };
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

test('one order end to end: validated over http-01, the chain names the order and verifies', async () => {
  const transport = httpsTransport({ caPem: bench.rootPem });
  try {
    const client = await AcmeClient.register(transport, directory());
    const before = board.served.ok;
    const outcome = await client.order('one.client.bench.test', board);
    assert.ok(board.served.ok > before, 'the server fetched the key authorization');
    assert.match(outcome.chainPem, /-----BEGIN CERTIFICATE-----/);
    for (const ms of Object.values(outcome.steps)) assert.ok(ms >= 0);
  } finally {
    transport.close();
  }
});

test('an order the server refuses, or cannot validate, fails with the problem', async () => {
  const transport = httpsTransport({ caPem: bench.rootPem });
  try {
    const client = await AcmeClient.register(transport, directory());
    // Outside the CA policy (.bench.test only).
    await assert.rejects(client.order('outside.example.org', board), /newOrder: HTTP 400/);
    // A responder that never learns the token: the server sees 404 and invalidates.
    const deaf: ChallengeBoard = { ...board, put: () => undefined };
    await assert.rejects(
      client.order('deaf.client.bench.test', deaf),
      /"status":"invalid".*unauthorized/,
    );
  } finally {
    transport.close();
  }
});

test('runAcmeLoad: every order done once, concurrently, with latencies and server CPU', async () => {
  let reads = 0;
  const result = await runAcmeLoad({
    directoryUrl: directory(),
    caPem: bench.rootPem,
    board,
    orders: 6,
    concurrency: 3,
    nameOf: (i) => `load${i}.client.bench.test`,
    serverCpuMs: () => ++reads * 10,
  });
  assert.deepEqual(result.errors, []);
  assert.equal(result.failed, 0);
  assert.equal(result.latenciesMs.length, 6);
  assert.equal(result.steps.length, 6);
  assert.equal(result.serverCpuMs, 10, 'read once before and once after the timed orders');
  await assert.rejects(
    runAcmeLoad({
      directoryUrl: directory(),
      caPem: bench.rootPem,
      board,
      orders: 0,
      concurrency: 1,
      nameOf: String,
    }),
    RangeError,
  );
});

test('runAcmeLoad: a server that stops answering ends the run, with what was done before', async () => {
  // A responder that answers until told to hang: then validations never finish, and
  // nothing completes or fails, as when pebble deadlocks.
  const tokens = new Map<string, string>();
  let hang = false;
  const responder = createHttpServer((req, res) => {
    if (hang) return;
    const value = tokens.get((req.url ?? '').split('/').at(-1) ?? '');
    res.writeHead(value === undefined ? 404 : 200).end(value);
  });
  await new Promise<void>((resolve) => responder.listen(0, '127.0.0.1', resolve));
  const address = responder.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const stuck = await startCaService({
    ca,
    acmeStore: new MemoryAcmeStore(),
    listen: { host: '127.0.0.1', port: 0 },
    registry: createRegistry({ defaultMetrics: false }),
    logger: pino({ level: 'silent' }),
    acme: { validation: { http01Port: port, connectHost: '127.0.0.1', timeoutMs: 20_000 } },
  });
  try {
    const hangingBoard: ChallengeBoard = {
      port,
      put: (token, value) => {
        tokens.set(token, value);
      },
      remove: () => undefined,
      served: { ok: 0, missing: 0 },
      close: async () => undefined,
    };
    let cpuReads = 0;
    const t0 = performance.now();
    const result = await runAcmeLoad({
      directoryUrl: `${stuck.url}/acme/directory`,
      caPem: bench.rootPem,
      board: hangingBoard,
      orders: 50,
      concurrency: 2,
      stallMs: 1500,
      nameOf: (i) => `stall${i}.client.bench.test`,
      // The warm-up (one order per worker) passes; the timed orders then hang.
      serverCpuMs: () => {
        hang = ++cpuReads === 1 || hang;
        return 0;
      },
    });
    assert.equal(result.stalledAfterOrders, 0);
    assert.equal(result.latenciesMs.length, 0);
    assert.equal(result.failed, 0, 'orders cut short by the stall are not failures');
    assert.ok(performance.now() - t0 < 15_000, 'the stall ends the run long before any deadline');
  } finally {
    await stuck.close();
    responder.closeAllConnections();
    responder.close();
  }
});

test('the client trusts only the root it is given', async () => {
  const other = await createBenchCa(work, 'other');
  const transport = httpsTransport({ caPem: other.rootPem });
  try {
    await assert.rejects(AcmeClient.register(transport, directory()), /certificate/);
  } finally {
    transport.close();
  }
});

test('hostile servers: an oversized answer, a stall, a directory that is not JSON', async (t) => {
  const big = await hostile((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(Buffer.alloc(64 * 1024, 0x20));
  });
  const stall = await hostile(() => undefined);
  const junk = await hostile((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"newNonce": ');
  });
  t.after(() => Promise.all([big, stall, junk].map((h) => closeServer(h.server))));
  const transport = httpsTransport({
    caPem: bench.rootPem,
    maxBodyBytes: 16 * 1024,
    timeoutMs: 500,
  });
  try {
    await assert.rejects(transport.send('GET', big.url), /over 16384 bytes/);
    const t0 = performance.now();
    await assert.rejects(transport.send('GET', stall.url), /abort|timeout/i);
    assert.ok(performance.now() - t0 < 5000, 'the deadline ends the request');
    await assert.rejects(AcmeClient.register(transport, junk.url), /directory .*HTTP 200/);
  } finally {
    transport.close();
  }
});

test('challenge board: serves a token until removed, 404 for anything else', async () => {
  const own = await startChallengeBoard();
  try {
    const get = async (path: string, method = 'GET'): Promise<[number, string]> => {
      const res = await fetch(`http://127.0.0.1:${own.port}${path}`, { method });
      return [res.status, await res.text()];
    };
    own.put('tok', 'tok.thumb');
    assert.deepEqual(await get('/.well-known/acme-challenge/tok'), [200, 'tok.thumb']);
    assert.equal((await get('/.well-known/acme-challenge/other'))[0], 404);
    assert.equal((await get('/.well-known/acme-challenge/tok', 'POST'))[0], 404);
    assert.equal((await get('/tok'))[0], 404);
    own.remove('tok');
    assert.equal((await get('/.well-known/acme-challenge/tok'))[0], 404);
    assert.deepEqual(own.served, { ok: 1, missing: 4 });
  } finally {
    await own.close();
    await own.close();
  }
});

test('chainProblem: names, key, issuer, and what is not a chain', async () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await ca.issue({
    publicKey,
    identifiers: [{ type: 'dns', value: 'chain.bench.test' }],
    usage: 'server',
    provisioner: 'library',
  });
  const chain = issued.chainPem;
  assert.equal(chainProblem(chain, 'chain.bench.test', publicKey), undefined);
  assert.match(chainProblem(chain, 'other.bench.test', publicKey)!, /not DNS:other\.bench\.test/);
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  assert.match(chainProblem(chain, 'chain.bench.test', otherKey)!, /another key/);
  // The root did not sign the leaf.
  assert.match(
    chainProblem(issued.certificatePem + bench.rootPem, 'chain.bench.test', publicKey)!,
    /not signed by the next certificate/,
  );
  assert.match(
    chainProblem(issued.certificatePem, 'chain.bench.test', publicKey)!,
    /1 certificate/,
  );
  assert.match(chainProblem('', 'x', publicKey)!, /0 certificate/);
  const broken = chain.replace(/MII[A-Za-z0-9+/]{20}/, 'MIIAAAAAAAAAAAAAAAAAAAAA');
  assert.match(chainProblem(broken, 'chain.bench.test', publicKey)!, /does not parse/);
  const long = chain.repeat(MAX_CHAIN_CERTIFICATES);
  assert.match(chainProblem(long, 'chain.bench.test', publicKey)!, /16 certificates/);
});
