import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { dialPlain, formatEndpoint, parseEndpoint } from './endpoint.ts';

test('parseEndpoint: host:port, [v6]:port, unix:, and what each flag accepts', () => {
  assert.deepEqual(parseEndpoint('--target', 'db.internal:5432'), {
    kind: 'tcp',
    host: 'db.internal',
    port: 5432,
  });
  assert.deepEqual(parseEndpoint('--listen', '[::1]:0', { anyPort: true }), {
    kind: 'tcp',
    host: '::1',
    port: 0,
  });
  assert.deepEqual(parseEndpoint('--target', 'unix:/run/pg.sock', { unix: true }), {
    kind: 'unix',
    path: '/run/pg.sock',
  });
  assert.equal(formatEndpoint(parseEndpoint('--listen', '[::1]:80')), '[::1]:80');
  for (const bad of ['db', ':5432', 'db:', 'db:70000', 'db:0', '[db]:1', 'a:b:1', '[::1:1']) {
    assert.throws(() => parseEndpoint('--target', bad), RangeError, bad);
  }
  assert.throws(() => parseEndpoint('--target', 'unix:/x'), /not accepted/);
  assert.throws(() => parseEndpoint('--target', 'unix:', { unix: true }), RangeError);
  assert.throws(
    () => parseEndpoint('--target', `unix:/${'a'.repeat(200)}`, { unix: true }),
    RangeError,
  );
});

test('dialPlain: a refused port is WT_ERR_PROBE_CONNECT; a live one connects', async () => {
  const server = createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const socket = await dialPlain({ kind: 'tcp', host: '127.0.0.1', port }, 5000);
  socket.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  await assert.rejects(dialPlain({ kind: 'tcp', host: '127.0.0.1', port }, 5000), {
    code: 'WT_ERR_PROBE_CONNECT',
  });
  await assert.rejects(dialPlain({ kind: 'unix', path: '/nonexistent/wiretight.sock' }, 5000), {
    code: 'WT_ERR_PROBE_CONNECT',
  });
});
