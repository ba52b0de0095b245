import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import test from 'node:test';
import fc from 'fast-check';
import { type ChunkReader, DEFAULT_MAX_BYTES, type Endpoint } from './connection.ts';
import {
  type HttpAnswer,
  MAX_HEAD_BYTES,
  MAX_HEADER_FIELDS,
  fieldValues,
  hostHeader,
  httpExchange,
  httpGetRequest,
  parseResponseHead,
  readHttpHead,
} from './http-exchange.ts';
import { drip, serve } from './testdata/peer.ts';

const limits = (timeoutMs = 3000) => ({ timeoutMs, maxBytes: DEFAULT_MAX_BYTES });

/** A plain HTTP peer that reads the request head, then runs `answer`. */
function onRequest(answer: (socket: Socket, request: string) => void): (socket: Socket) => void {
  return (socket) => {
    let request = '';
    const onData = (chunk: Buffer): void => {
      request += chunk.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      answer(socket, request);
    };
    socket.on('data', onData);
  };
}

function response(answer: HttpAnswer | { readonly kind: 'connect-failed' }) {
  assert.equal(answer.kind, 'response', JSON.stringify(answer));
  return (answer as Extract<HttpAnswer, { kind: 'response' }>).head;
}

const HEAD =
  'HTTP/1.1 301 Moved Permanently\r\nServer: test\r\nLocation: https://example.com/\r\n' +
  'Strict-Transport-Security: max-age=1\r\nStrict-Transport-Security: max-age=2\r\n\r\n';

test('the request is GET / with Host, compression offered, and a close', () => {
  const text = new TextDecoder().decode(httpGetRequest('example.com:8443'));
  assert.match(text, /^GET \/ HTTP\/1\.1\r\nHost: example\.com:8443\r\n/);
  assert.match(text, /\r\nUser-Agent: wiretight\/\d+\.\d+\.\d+\r\n/);
  assert.match(text, /\r\nAccept-Encoding: gzip, deflate, br\r\n/);
  assert.match(text, /\r\nConnection: close\r\n\r\n$/);
});

test('a Host value that could split the request is refused', () => {
  for (const bad of ['a\r\nX-Injected: 1', 'a b', '', 'x'.repeat(301)]) {
    assert.throws(() => httpGetRequest(bad), TypeError, JSON.stringify(bad));
  }
});

test('Host: brackets for IPv6, the port only when it is not the default', () => {
  assert.equal(hostHeader('example.com', 443, 443), 'example.com');
  assert.equal(hostHeader('example.com', 8443, 443), 'example.com:8443');
  assert.equal(hostHeader('::1', 80, 80), '[::1]');
  assert.equal(hostHeader('::1', 8080, 80), '[::1]:8080');
});

test('a head: status, reason, fields in order with lower-case names', () => {
  const head = parseResponseHead(HEAD.slice(0, HEAD.indexOf('\r\n\r\n')));
  assert.ok(head !== undefined);
  assert.equal(head.version, 'HTTP/1.1');
  assert.equal(head.status, 301);
  assert.equal(head.reason, 'Moved Permanently');
  assert.deepEqual(fieldValues(head, 'strict-transport-security'), ['max-age=1', 'max-age=2']);
  assert.deepEqual(fieldValues(head, 'location'), ['https://example.com/']);
  assert.equal(head.skippedLines, 0);
});

test('tolerated: bare LF, no reason phrase, folded values, space before the colon, junk lines', () => {
  const head = parseResponseHead(
    'HTTP/1.0 200\nServer : a\nX-Long: one\n  two\n\tthree\nthis is not a field\n: no name\nETag: "x"',
  );
  assert.ok(head !== undefined);
  assert.equal(head.status, 200);
  assert.equal(head.reason, '');
  assert.deepEqual(fieldValues(head, 'server'), ['a']);
  assert.deepEqual(fieldValues(head, 'x-long'), ['one two three']);
  assert.deepEqual(fieldValues(head, 'etag'), ['"x"']);
  assert.equal(head.skippedLines, 2);
});

test('a status line that is not HTTP/1.x is no head', () => {
  for (const line of ['HTTP/1.1 2000 OK', 'HTTP/1.1 OK', 'SSH-2.0-OpenSSH', 'HTTP/x 200 OK', '']) {
    assert.equal(parseResponseHead(line), undefined, line);
  }
});

test(`at most ${MAX_HEADER_FIELDS} fields are kept; the rest are counted as skipped`, () => {
  const lines = Array.from({ length: MAX_HEADER_FIELDS + 10 }, (_, i) => `X-${i}: ${i}`);
  const head = parseResponseHead(['HTTP/1.1 200 OK', ...lines].join('\r\n'));
  assert.equal(head?.fields.length, MAX_HEADER_FIELDS);
  assert.equal(head?.skippedLines, 10);
});

test('the parser never throws on any string and keeps its bounds', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (tail) => {
      const head = parseResponseHead(`HTTP/1.1 200 OK\r\n${tail}`);
      assert.ok(head !== undefined);
      assert.ok(head.fields.length <= MAX_HEADER_FIELDS);
      for (const [name] of head.fields) assert.equal(name, name.toLowerCase());
    }),
  );
});

/** A reader that hands out `bytes` cut at the given offsets, then says the stream closed. */
function cutAt(bytes: Uint8Array, cuts: readonly number[]): Pick<ChunkReader, 'read'> {
  const bounds = [...new Set([0, ...cuts, bytes.length])].sort((a, b) => a - b);
  const chunks = bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
  return { read: () => Promise.resolve(chunks.shift() ?? 'closed') };
}

test('the head is the same however the stream is split, the body never read', async () => {
  const bytes = new TextEncoder().encode(`${HEAD}body\r\n\r\nbody`);
  const whole = response(await readHttpHead(cutAt(bytes, [])));
  assert.equal(whole.truncated, false);
  assert.equal(whole.skippedLines, 0);
  const every = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(response(await readHttpHead(cutAt(bytes, every))), whole, 'byte by byte');
  for (const cut of every) {
    assert.deepEqual(response(await readHttpHead(cutAt(bytes, [cut]))), whole, `cut at ${cut}`);
  }
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
      async (cuts) => {
        assert.deepEqual(response(await readHttpHead(cutAt(bytes, cuts))), whole);
      },
    ),
  );
});

test('a plain exchange sends the request and reads the head', async (t) => {
  let received = '';
  const endpoint = await serve(
    t,
    onRequest((socket, request) => {
      received = request;
      socket.write(`${HEAD}body`);
    }),
  );
  const head = response(await httpExchange(endpoint, 'localhost', limits()));
  assert.equal(head.status, 301);
  assert.deepEqual(fieldValues(head, 'server'), ['test']);
  assert.match(received, /^GET \/ HTTP\/1\.1\r\nHost: localhost\r\n/);
});

test('an answer that does not start like HTTP is given up at its first bytes', async (t) => {
  const endpoint = await serve(
    t,
    onRequest((socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n')), // and stays open
  );
  const started = Date.now();
  const answer = await httpExchange(endpoint, 'localhost', limits(10_000));
  assert.equal(answer.kind, 'not-http');
  assert.equal(
    new TextDecoder().decode((answer as { firstBytes: Uint8Array }).firstBytes),
    'SSH-2.0-OpenSSH_9.2\r\n',
  );
  assert.ok(Date.now() - started < 5000, 'no waiting for more bytes');
});

test('a head that never ends stops at the cap', async (t) => {
  const endpoint = await serve(
    t,
    onRequest((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      const line = Buffer.from(`X-Filler: ${'a'.repeat(1000)}\r\n`);
      const timer = setInterval(() => socket.write(line), 1);
      socket.on('close', () => clearInterval(timer));
    }),
  );
  const answer = await httpExchange(endpoint, 'localhost', limits(10_000));
  assert.deepEqual(answer, { kind: 'head-too-large', bytes: MAX_HEAD_BYTES });
});

test('a head dripped one byte at a time ends at the deadline', async (t) => {
  const endpoint = await serve(t, onRequest(drip(Buffer.from(HEAD), 50)));
  assert.deepEqual(await httpExchange(endpoint, 'localhost', limits(400)), { kind: 'timeout' });
});

test('a close before the blank line keeps the head that came, marked truncated', async (t) => {
  const endpoint = await serve(
    t,
    onRequest((socket) => socket.end('HTTP/1.0 302 Found\r\nLocation: https://x/\r\n')),
  );
  const head = response(await httpExchange(endpoint, 'localhost', limits()));
  assert.equal(head.truncated, true);
  assert.deepEqual(fieldValues(head, 'location'), ['https://x/']);
});

test('closed without a byte, reset, nothing listening', async (t) => {
  const closed = await serve(
    t,
    onRequest((socket) => socket.end()),
  );
  assert.deepEqual(await httpExchange(closed, 'localhost', limits()), { kind: 'closed' });
  const reset = await serve(
    t,
    onRequest((socket) => socket.resetAndDestroy()),
  );
  assert.deepEqual(await httpExchange(reset, 'localhost', limits()), { kind: 'reset' });
  const gone: Endpoint = { ...closed, port: 1 };
  assert.equal((await httpExchange(gone, 'localhost', limits())).kind, 'connect-failed');
});
