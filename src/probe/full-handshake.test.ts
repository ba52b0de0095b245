import assert from 'node:assert/strict';
import { constants } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, type Socket, connect } from 'node:net';
import test, { type TestContext } from 'node:test';
import { type TLSSocket, type TlsOptions, createServer } from 'node:tls';
import { DEFAULT_MAX_BYTES, type Endpoint } from './connection.ts';
import {
  handshakeProbe,
  renegotiationProbe,
  resumptionProbe,
  tlsFailure,
  withTls,
} from './full-handshake.ts';
import { serve, selfSignedCertificate } from './testdata/peer.ts';

const limits = (timeoutMs = 3000) => ({ timeoutMs, maxBytes: DEFAULT_MAX_BYTES });

/** A node:tls server on loopback, with a fresh self-signed certificate. */
async function tlsServer(
  t: TestContext,
  options: TlsOptions = {},
  setup: (server: ReturnType<typeof createServer>) => void = () => {},
): Promise<Endpoint> {
  const server = createServer({ ...selfSignedCertificate(t, 'localhost'), ...options });
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  setup(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { host: 'localhost', address: '127.0.0.1', port };
}

test('a handshake gives version, suite, key exchange and the ALPN choice', async (t) => {
  const endpoint = await tlsServer(t, { ALPNProtocols: ['http/1.1'] });
  const outcome = await handshakeProbe(
    endpoint,
    { servername: 'localhost', alpn: ['h2', 'http/1.1'] },
    limits(),
  );
  assert.equal(outcome.kind, 'established');
  if (outcome.kind !== 'established') return;
  assert.equal(outcome.facts.version, 'TLSv1.3');
  assert.match(outcome.facts.suite, /^TLS_(AES|CHACHA20)_/);
  assert.equal(outcome.facts.alpn, 'http/1.1');
  assert.ok(outcome.facts.ephemeral?.name !== undefined);
  assert.equal(outcome.facts.sessionReused, false);
  assert.equal(outcome.ocspResponse, null);
});

test('a pinned version is the one negotiated', async (t) => {
  const endpoint = await tlsServer(t);
  const outcome = await handshakeProbe(
    endpoint,
    { servername: undefined, version: 'TLSv1.2' },
    limits(),
  );
  assert.equal(outcome.kind === 'established' && outcome.facts.version, 'TLSv1.2');
});

test('a stapled OCSP response comes back byte for byte; none when not asked', async (t) => {
  const staple = Buffer.from('a stapled response, opaque here');
  const endpoint = await tlsServer(t, {}, (server) =>
    server.on('OCSPRequest', (_cert, _issuer, done) => done(null, staple)),
  );
  const asked = await handshakeProbe(
    endpoint,
    { servername: 'localhost', requestOcsp: true },
    limits(),
  );
  assert.deepEqual(asked.kind === 'established' && asked.ocspResponse, new Uint8Array(staple));
  const unasked = await handshakeProbe(endpoint, { servername: 'localhost' }, limits());
  assert.equal(unasked.kind === 'established' && unasked.ocspResponse, null);
});

test('tickets resume in TLS 1.2 and 1.3', async (t) => {
  const endpoint = await tlsServer(t);
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    const outcome = await resumptionProbe(
      endpoint,
      { servername: 'localhost', version, mechanism: 'ticket' },
      limits(),
    );
    assert.deepEqual(outcome, { kind: 'resumed' }, version);
  }
});

/** A TLS 1.2 server with a session cache; `tickets: false` turns its tickets off. */
function cachingServer(t: TestContext, tickets: boolean): Promise<Endpoint> {
  const cache = new Map<string, Buffer>();
  return tlsServer(
    t,
    { maxVersion: 'TLSv1.2', ...(tickets ? {} : { secureOptions: constants.SSL_OP_NO_TICKET }) },
    (server) => {
      server.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
        cache.set(id.toString('hex'), data);
        done();
      });
      server.on('resumeSession', (id: Buffer, done: (e: Error | null, d: Buffer | null) => void) =>
        done(null, cache.get(id.toString('hex')) ?? null),
      );
    },
  );
}

test('session IDs resume only with a server-side cache; tickets are not offered for it', async (t) => {
  const options = { servername: 'localhost', version: 'TLSv1.2', mechanism: 'session-id' } as const;
  const caching = await cachingServer(t, true);
  assert.deepEqual(await resumptionProbe(caching, options, limits()), { kind: 'resumed' });
  // node keeps no session cache of its own: the ID it sends cannot be resumed
  const forgetful = await tlsServer(t, { maxVersion: 'TLSv1.2' });
  assert.deepEqual(await resumptionProbe(forgetful, options, limits()), { kind: 'not-resumed' });
});

test('a TLS 1.2 session without a ticket does not count as resumption by ticket', async (t) => {
  const endpoint = await cachingServer(t, false);
  assert.deepEqual(
    await resumptionProbe(
      endpoint,
      { servername: 'localhost', version: 'TLSv1.2', mechanism: 'ticket' },
      limits(),
    ),
    { kind: 'no-session', reason: 'the server sent no session ticket' },
  );
});

test('a TLS 1.3 ticket the server cannot look up again is not resumed', async (t) => {
  // With tickets off, OpenSSL issues stateful tickets: IDs into a cache node does not keep.
  const endpoint = await tlsServer(t, { secureOptions: constants.SSL_OP_NO_TICKET });
  const outcome = await resumptionProbe(
    endpoint,
    { servername: 'localhost', version: 'TLSv1.3', mechanism: 'ticket' },
    limits(),
  );
  assert.deepEqual(outcome, { kind: 'not-resumed' });
});

test('TLS 1.3 has no session-id probe', async () => {
  await assert.rejects(
    resumptionProbe(
      { host: 'localhost', address: '127.0.0.1', port: 1 },
      { servername: undefined, version: 'TLSv1.3', mechanism: 'session-id' },
      limits(),
    ),
    RangeError,
  );
});

test('client renegotiation: accepted by default in node, refused with SSL_OP_NO_RENEGOTIATION', async (t) => {
  const options = { servername: 'localhost', version: 'TLSv1.2' } as const;
  const allowing = await tlsServer(t);
  assert.deepEqual(await renegotiationProbe(allowing, options, limits()), { kind: 'accepted' });
  const refusing = await tlsServer(t, { secureOptions: constants.SSL_OP_NO_RENEGOTIATION });
  assert.deepEqual(await renegotiationProbe(refusing, options, limits()), {
    kind: 'refused',
    reason: 'no_renegotiation alert (no renegotiation)',
    alert: 'no_renegotiation',
  });
});

const SERVER_CCS = Buffer.from([0x14, 0x03, 0x03, 0x00, 0x01, 0x01]);

/**
 * A TCP relay to a TLS 1.2 `backend` that passes the handshake through, then does `act`
 * to the first bytes the client sends after the server's ChangeCipherSpec: the
 * renegotiation hello.
 */
function renegotiationRelay(
  t: TestContext,
  backend: Endpoint,
  act: (client: Socket) => void,
): Promise<Endpoint> {
  return serve(t, (client) => {
    const upstream = connect(backend.port, backend.address);
    upstream.on('error', () => {});
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    let handshakeDone = false;
    upstream.on('data', (chunk: Buffer) => {
      if (chunk.includes(SERVER_CCS)) handshakeDone = true;
      client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (handshakeDone) act(client);
      else upstream.write(chunk);
    });
  });
}

test('a server that closes or resets on the renegotiation hello refused it', async (t) => {
  const options = { servername: 'localhost', version: 'TLSv1.2' } as const;
  const backend = await tlsServer(t, { maxVersion: 'TLSv1.2' });
  const closing = await renegotiationRelay(t, backend, (c) => c.end());
  assert.equal((await renegotiationProbe(closing, options, limits())).kind, 'refused');
  const resetting = await renegotiationRelay(t, backend, (c) => c.resetAndDestroy());
  assert.deepEqual(await renegotiationProbe(resetting, options, limits()), {
    kind: 'refused',
    reason: 'the server reset the connection',
  });
});

test('a renegotiation hello left unanswered is no answer, not a refusal', async (t) => {
  const backend = await tlsServer(t, { maxVersion: 'TLSv1.2' });
  const swallowing = await renegotiationRelay(t, backend, () => {});
  const outcome = await renegotiationProbe(
    swallowing,
    { servername: 'localhost', version: 'TLSv1.2' },
    limits(800),
  );
  assert.deepEqual(outcome, { kind: 'no-answer' });
});

test('renegotiation on TLS 1.3 cannot start', async (t) => {
  const endpoint = await tlsServer(t);
  const outcome = await renegotiationProbe(
    endpoint,
    { servername: 'localhost', version: 'TLSv1.3' },
    limits(),
  );
  assert.equal(outcome.kind, 'not-started');
});

test('failures before the handshake ends are outcomes', async (t) => {
  const options = { servername: 'localhost' };
  const nothing: Endpoint = { host: 'localhost', address: '127.0.0.1', port: 1 };
  assert.equal((await handshakeProbe(nothing, options, limits())).kind, 'connect-failed');
  const silent = await serve(t, () => {});
  assert.deepEqual(await handshakeProbe(silent, options, limits(300)), { kind: 'timeout' });
  const closing = await serve(t, (s) => s.once('data', () => s.end()));
  assert.deepEqual(await handshakeProbe(closing, options, limits()), { kind: 'closed' });
  const resetting = await serve(t, (s) => s.once('data', () => s.resetAndDestroy()));
  assert.deepEqual(await handshakeProbe(resetting, options, limits()), { kind: 'reset' });
  const http = await serve(t, (s) =>
    s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')),
  );
  const garbage = await handshakeProbe(http, options, limits());
  assert.equal(garbage.kind, 'tls-error');
});

test('a caller that gives up ends the connection at once', async (t) => {
  const silent = await serve(t, () => {});
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const outcome = await withTls(
    silent,
    { servername: undefined },
    { ...limits(10_000), signal: controller.signal },
    () => Promise.resolve('used'),
  );
  assert.deepEqual(outcome, { kind: 'timeout' });
});

test('TLS errors become one line with the alert name', () => {
  const error = (code: string, message: string) => Object.assign(new Error(message), { code });
  assert.deepEqual(
    tlsFailure(
      error(
        'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE',
        '40:error:0A000410:SSL routines:ssl3_read_bytes:ssl/tls alert handshake failure:../ssl/record/rec_layer_s3.c:918:SSL alert number 40\n',
      ),
    ),
    {
      kind: 'tls-error',
      reason: 'handshake_failure alert (ssl/tls alert handshake failure)',
      alert: 'handshake_failure',
    },
  );
  assert.deepEqual(
    tlsFailure(
      error(
        'ERR_SSL_WRONG_VERSION_NUMBER',
        '40:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:\n',
      ),
    ),
    { kind: 'tls-error', reason: 'wrong version number' },
  );
  assert.deepEqual(
    tlsFailure(
      error(
        'ECONNRESET',
        'Client network socket disconnected before secure TLS connection was established',
      ),
    ),
    { kind: 'closed' },
  );
  assert.deepEqual(tlsFailure(error('ECONNRESET', 'read ECONNRESET')), { kind: 'reset' });
});
