import assert from 'node:assert/strict';
import test from 'node:test';
import { POSTGRES_SSL_REQUEST, postgresSslRequest } from './postgres-ssl-request.ts';
import { answerWith, serve } from './testdata/peer.ts';

const limits = { timeoutMs: 2000, maxBytes: 1024 };

test('S and N are PostgreSQL answers; the request is the documented 8 bytes', async (t) => {
  for (const [byte, ssl] of [
    [0x53, true],
    [0x4e, false],
  ] as const) {
    let received: Buffer | undefined;
    const endpoint = await serve(t, (socket) => {
      socket.once('data', (d: Buffer) => {
        received = d;
        socket.end(Buffer.from([byte]));
      });
    });
    assert.deepEqual(await postgresSslRequest(endpoint, limits), { kind: 'postgres', ssl });
    assert.deepEqual(new Uint8Array(received ?? []), POSTGRES_SSL_REQUEST);
  }
});

test('other answers, extra bytes after S, a close and silence are not PostgreSQL', async (t) => {
  const http = await serve(t, answerWith(new TextEncoder().encode('HTTP/1.1 400 Bad\r\n\r\n')));
  const r1 = await postgresSslRequest(http, limits);
  assert.equal(r1.kind, 'other');
  const smuggled = await serve(t, answerWith(new Uint8Array([0x53, 0x16, 0x03, 0x01])));
  assert.equal((await postgresSslRequest(smuggled, limits)).kind, 'other');
  const closing = await serve(t, (socket) => socket.end());
  assert.deepEqual(await postgresSslRequest(closing, limits), { kind: 'closed' });
  const silent = await serve(t, () => undefined);
  assert.deepEqual(await postgresSslRequest(silent, { timeoutMs: 100, maxBytes: 1024 }), {
    kind: 'timeout',
  });
});
