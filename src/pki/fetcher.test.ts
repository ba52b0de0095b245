import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import test, { type TestContext } from 'node:test';
import { WiretightError } from '../errors.ts';
import { type FetchRequest, fetchWithin, httpFetcher } from './fetcher.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A loopback HTTP server for one test; returns its base URL. */
async function serve(t: TestContext, handler: Handler): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (url: string, extra: Partial<FetchRequest> = {}): FetchRequest => ({
  url,
  method: 'GET',
  maxBytes: 1000,
  timeoutMs: 3000,
  ...extra,
});

const fetchError = (pattern: RegExp) => (err: unknown) =>
  err instanceof WiretightError && err.code === 'WT_ERR_PKI_FETCH' && pattern.test(err.message);

test('a 200 answer: the body, and a POST sends its body and content type', async (t) => {
  let seen: [string | undefined, string | undefined, string] | undefined;
  const base = await serve(t, (req, res, body) => {
    seen = [req.method, req.headers['content-type'], body.toString('hex')];
    res.end(Buffer.from([1, 2, 3]));
  });
  const body = await httpFetcher(
    get(`${base}/ocsp`, {
      method: 'POST',
      body: new Uint8Array([9, 9]),
      contentType: 'application/ocsp-request',
    }),
  );
  assert.deepEqual(body, new Uint8Array([1, 2, 3]));
  assert.deepEqual(seen, ['POST', 'application/ocsp-request', '0909']);
});

test('errors, redirects, too-large answers (announced or streamed) and early closes fail typed', async (t) => {
  const base = await serve(t, (req, res) => {
    switch (req.url) {
      case '/404':
        res.writeHead(404).end();
        return;
      case '/redirect':
        res.writeHead(302, { location: '/elsewhere' }).end();
        return;
      case '/announced':
        res.writeHead(200, { 'content-length': 5000 }).end(Buffer.alloc(5000));
        return;
      case '/streamed':
        res.writeHead(200); // chunked: no length up front
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(500));
        res.end();
        return;
      case '/cut':
        res.writeHead(200, { 'content-length': 800 });
        res.write(Buffer.alloc(100));
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      default:
        res.end();
    }
  });
  await assert.rejects(httpFetcher(get(`${base}/404`)), fetchError(/HTTP 404/));
  await assert.rejects(httpFetcher(get(`${base}/redirect`)), fetchError(/HTTP 302/));
  await assert.rejects(httpFetcher(get(`${base}/announced`)), fetchError(/announces 5000 bytes/));
  await assert.rejects(
    httpFetcher(get(`${base}/streamed`)),
    fetchError(/more than the cap of 1000/),
  );
  await assert.rejects(
    httpFetcher(get(`${base}/cut`)),
    fetchError(/closed before|aborted|ECONNRESET/),
  );
});

test('a server that never answers times out; a cancelled fetch stops', async (t) => {
  const base = await serve(t, () => {
    // never answers
  });
  await assert.rejects(httpFetcher(get(base, { timeoutMs: 200 })), fetchError(/within 200 ms/));
  const controller = new AbortController();
  const pending = httpFetcher(get(base, { signal: controller.signal }));
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, fetchError(/cancelled/));
});

test('only plain http: https and other schemes are refused without connecting', async () => {
  await assert.rejects(httpFetcher(get('https://127.0.0.1:1/x')), fetchError(/only http/));
  await assert.rejects(httpFetcher(get('ldap://example/x')), fetchError(/only http/));
  await assert.rejects(httpFetcher(get('not a url')), fetchError(/not a URL/));
  await assert.rejects(httpFetcher(get('http://127.0.0.1:1/')), fetchError(/ECONNREFUSED/));
});

test('fetchWithin holds an injected fetcher to the cap and to http', async () => {
  const generous = async () => new Uint8Array(2000);
  await assert.rejects(fetchWithin(generous, get('http://x.test/')), fetchError(/2000 bytes/));
  await assert.rejects(fetchWithin(generous, get('https://x.test/')), fetchError(/only http/));
});
