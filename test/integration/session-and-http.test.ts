// Full-handshake facts (resumption, OCSP stapling, negotiated key exchange, client
// renegotiation) against openssl s_server, and HTTP facts (HSTS, compression, the plain
// HTTP redirect) against nginx; then peers that misbehave after the handshake.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type Server, type Socket, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TLSSocket, createServer as createTlsServer } from 'node:tls';
import type { Endpoint } from '../../src/probe/connection.ts';
import { type HttpFacts, gatherHttpFacts } from '../../src/scan/http-facts.ts';
import { httpFindings } from '../../src/scan/rules/http.ts';
import { sessionFindings } from '../../src/scan/rules/session.ts';
import { type GatheredSessionFacts, gatherSessionFacts } from '../../src/scan/session-facts.ts';
import type { ProtocolName } from '../../src/wire/registry/versions.ts';
import { execOk } from '../helpers/exec.ts';
import { freePort } from '../helpers/process.ts';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import {
  type NginxOptions,
  type RunningServer,
  startNginx,
  startOpenSslServer,
} from '../helpers/servers.ts';
import { requireProgram } from '../helpers/tools.ts';

const TIMEOUT_MS = 5000;
const MODERN: ProtocolName[] = ['TLSv1.2', 'TLSv1.3'];

const endpointOf = (server: { port: number }): Endpoint => ({
  host: 'localhost',
  address: '127.0.0.1',
  port: server.port,
});

function sessionFacts(
  server: { port: number },
  versions: readonly ProtocolName[] = MODERN,
  timeoutMs = TIMEOUT_MS,
): Promise<GatheredSessionFacts> {
  return gatherSessionFacts(endpointOf(server), { sni: 'localhost', versions, timeoutMs });
}

function httpFacts(
  server: { port: number },
  httpPort: number | null,
  timeoutMs = TIMEOUT_MS,
): Promise<HttpFacts> {
  return gatherHttpFacts(endpointOf(server), { sni: 'localhost', timeoutMs, httpPort });
}

/** Starts an s_server for one test and stops it after. */
async function withOpenSsl<T>(
  args: readonly string[],
  use: (server: RunningServer) => Promise<T>,
): Promise<T> {
  const server = await startOpenSslServer(args);
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

/** `YYMMDDHHMMSSZ`, the date format of an `openssl ca` index file. */
function indexDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .slice(2);
}

/**
 * A "good" OCSP response for the test PKI's RSA leaf, signed by its issuer, made by
 * `openssl ocsp` (3.0.x): a request for the leaf, then the responder answering it from
 * an index file that lists the leaf as valid.
 */
async function ocspResponseDer(pki: TestPki, dir: string): Promise<string> {
  const openssl = requireProgram('openssl');
  const leaf = new X509Certificate(pki.rsa.der);
  const index = join(dir, 'index.txt');
  const request = join(dir, 'request.der');
  const response = join(dir, 'response.der');
  await writeFile(
    index,
    `V\t${indexDate(new Date(leaf.validTo))}\t\t${leaf.serialNumber}\tunknown\t/CN=localhost\n`,
  );
  await execOk(openssl, [
    'ocsp',
    '-issuer',
    pki.intermediate.cert,
    '-cert',
    pki.rsa.cert,
    '-no_nonce',
    '-reqout',
    request,
  ]);
  const made = await execOk(openssl, [
    'ocsp',
    '-index',
    index,
    '-rsigner',
    pki.intermediate.cert,
    '-rkey',
    pki.intermediate.key,
    '-CA',
    pki.intermediate.cert,
    '-reqin',
    request,
    '-respout',
    response,
    '-ndays',
    '1',
    '-text',
  ]);
  assert.match(made.stdout, /Cert Status: good/);
  return response;
}

describe('session facts against openssl s_server', () => {
  let pki: TestPki;
  let dir: string;
  before(async () => {
    pki = await makeTestPki();
    dir = mkdtempSync(join(tmpdir(), 'wiretight-session-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('defaults: everything resumes, renegotiation is refused, nothing stapled', async () => {
    const { facts, ocspResponse } = await withOpenSsl([], (s) => sessionFacts(s));
    assert.deepEqual(facts.resumption, {
      legacyVersion: 'TLSv1.2',
      sessionId: true,
      ticket: true,
      tls13Ticket: true,
      why: {},
    });
    // OpenSSL 3.0 refuses client-initiated renegotiation unless -client_renegotiation.
    assert.deepEqual(facts.clientRenegotiation, {
      result: 'refused',
      version: 'TLSv1.2',
      reason: 'no_renegotiation alert (no renegotiation)',
    });
    assert.deepEqual(facts.ocspStapling, { stapled: false });
    assert.equal(ocspResponse, undefined);
    assert.equal(facts.negotiated.version, 'TLSv1.3');
    assert.equal(facts.negotiated.group, 'x25519');
    assert.equal(facts.negotiated.groupBits, 253);
    assert.match(facts.negotiated.suiteId ?? '', /^0x130[123]$/);
    assert.deepEqual(sessionFindings(facts), []);
  });

  test('-no_cache: session IDs do not resume, tickets still do', async () => {
    const { facts } = await withOpenSsl(['-no_cache'], (s) => sessionFacts(s));
    assert.equal(facts.resumption.sessionId, false);
    assert.equal(facts.resumption.why.sessionId, 'the server sent no session ID');
    assert.equal(facts.resumption.ticket, true);
    assert.equal(facts.resumption.tls13Ticket, true);
  });

  test('-no_ticket: no ticket below TLS 1.3, session IDs resume', async () => {
    const { facts } = await withOpenSsl(['-no_ticket'], (s) => sessionFacts(s));
    assert.equal(facts.resumption.sessionId, true);
    assert.equal(facts.resumption.ticket, false);
    assert.equal(facts.resumption.why.ticket, 'the server sent no session ticket');
    // TLS 1.3 then gets stateful tickets, looked up in the session cache.
    assert.equal(facts.resumption.tls13Ticket, true);
  });

  test('-no_ticket -no_cache: nothing resumes', async () => {
    const { facts } = await withOpenSsl(['-no_ticket', '-no_cache'], (s) => sessionFacts(s));
    assert.equal(facts.resumption.sessionId, false);
    assert.equal(facts.resumption.ticket, false);
    assert.equal(facts.resumption.tls13Ticket, false);
  });

  test('TLS 1.3 only, no tickets: nothing to resume, renegotiation not applicable', async () => {
    const { facts } = await withOpenSsl(['-tls1_3', '-num_tickets', '0'], (s) =>
      sessionFacts(s, ['TLSv1.3']),
    );
    assert.deepEqual(facts.resumption, {
      legacyVersion: null,
      sessionId: null,
      ticket: null,
      tls13Ticket: false,
      why: { tls13Ticket: 'the server sent no session ticket' },
    });
    assert.deepEqual(facts.clientRenegotiation, {
      result: 'not-applicable',
      reason: 'TLS 1.3 has no renegotiation',
    });
  });

  test('-client_renegotiation: accepted, and that is vuln.client-renegotiation', async () => {
    const { facts } = await withOpenSsl(['-client_renegotiation'], (s) => sessionFacts(s));
    assert.deepEqual(facts.clientRenegotiation, { result: 'accepted', version: 'TLSv1.2' });
    const findings = sessionFindings(facts);
    assert.deepEqual(
      findings.map((f) => f.id),
      ['vuln.client-renegotiation'],
    );
  });

  test('-no_renegotiation: refused with the no_renegotiation alert', async () => {
    const { facts } = await withOpenSsl(['-no_renegotiation'], (s) => sessionFacts(s));
    assert.equal(facts.clientRenegotiation.result, 'refused');
    assert.match(facts.clientRenegotiation.reason ?? '', /no_renegotiation/);
  });

  test('-status_file: the stapled response is handed back byte for byte', async () => {
    const der = await ocspResponseDer(pki, dir);
    const { facts, ocspResponse } = await withOpenSsl(['-status_file', der], (s) =>
      sessionFacts(s),
    );
    const expected = await readFile(der);
    assert.deepEqual(ocspResponse, new Uint8Array(expected));
    assert.deepEqual(facts.ocspStapling, {
      stapled: true,
      responseBase64: expected.toString('base64'),
      responseBytes: expected.length,
    });
  });

  test('TLS 1.0 only (SECLEVEL 0): resumption and renegotiation run on TLS 1.0', async () => {
    const { facts } = await withOpenSsl(
      ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0', '-client_renegotiation'],
      (s) => sessionFacts(s, ['TLSv1.0']),
    );
    assert.equal(facts.negotiated.version, 'TLSv1.0');
    assert.equal(facts.resumption.legacyVersion, 'TLSv1.0');
    assert.equal(facts.resumption.sessionId, true);
    assert.equal(facts.resumption.ticket, true);
    assert.equal(facts.resumption.tls13Ticket, null);
    assert.deepEqual(facts.clientRenegotiation, { result: 'accepted', version: 'TLSv1.0' });
  });

  test('TLS 1.2 with P-384 only: the negotiated group is secp384r1', async () => {
    const { facts } = await withOpenSsl(['-tls1_2', '-groups', 'P-384'], (s) =>
      sessionFacts(s, ['TLSv1.2']),
    );
    assert.equal(facts.negotiated.version, 'TLSv1.2');
    assert.equal(facts.negotiated.group, 'secp384r1');
    assert.equal(facts.negotiated.groupBits, 384);
    assert.equal(facts.resumption.tls13Ticket, null);
  });
});

describe('HTTP facts against nginx', () => {
  const started: RunningServer[] = [];
  after(() => Promise.all(started.map((s) => s.stop())));
  const nginx = async (opts: Omit<NginxOptions, 'protocols'>) => {
    const server = await startNginx({ protocols: 'TLSv1.2 TLSv1.3', ...opts });
    started.push(server);
    return server;
  };
  const ids = (facts: HttpFacts) => httpFindings(facts).map((f) => f.id);

  test('two-year HSTS, no compression, plain HTTP redirecting: no findings', async () => {
    const server = await nginx({
      hsts: 'max-age=63072000; includeSubDomains; preload',
      plainHttp: 'redirect',
    });
    const facts = await httpFacts(server, server.httpPort ?? null);
    assert.equal(facts.speaksHttp, true);
    assert.equal(facts.https.result, 'response');
    assert.equal(facts.https.status, 200);
    assert.equal(facts.https.alpn, 'http/1.1');
    assert.match(facts.https.server ?? '', /^nginx/);
    assert.deepEqual(facts.https.contentEncoding, []);
    assert.deepEqual(facts.https.hsts, {
      values: ['max-age=63072000; includeSubDomains; preload'],
      valid: true,
      maxAge: 63072000,
      includeSubDomains: true,
      preload: true,
    });
    assert.deepEqual(facts.plainHttp, {
      port: server.httpPort,
      result: 'redirects-to-https',
      status: 301,
      location: `https://localhost:${server.port}/`,
    });
    assert.deepEqual(ids(facts), []);
  });

  test('short HSTS and gzip: http.hsts-short with the value, and a potential BREACH', async () => {
    const server = await nginx({ hsts: 'max-age=300', gzip: true, plainHttp: 'redirect' });
    const facts = await httpFacts(server, server.httpPort ?? null);
    assert.deepEqual(facts.https.contentEncoding, ['gzip']);
    assert.deepEqual(ids(facts), ['http.hsts-short', 'vuln.breach']);
    const short = httpFindings(facts)[0];
    assert.match(short?.evidence ?? '', /max-age=300/);
  });

  test('no HSTS, plain HTTP serving the page: http.hsts-missing and http.no-https-redirect', async () => {
    const server = await nginx({ plainHttp: 'page' });
    const facts = await httpFacts(server, server.httpPort ?? null);
    assert.equal(facts.https.hsts, null);
    assert.deepEqual(facts.plainHttp, {
      port: server.httpPort,
      result: 'no-redirect',
      status: 200,
    });
    assert.deepEqual(ids(facts), ['http.hsts-missing', 'http.no-https-redirect']);
  });

  test('a redirect to another host, and a malformed first HSTS header', async () => {
    const server = await nginx({
      hsts: ['max-age=forever', 'max-age=63072000'],
      plainHttp: { return: '302 https://elsewhere.example/' },
    });
    const facts = await httpFacts(server, server.httpPort ?? null);
    assert.deepEqual(facts.https.hsts, {
      values: ['max-age=forever', 'max-age=63072000'],
      valid: false,
      problem: 'max-age is not a number of seconds',
    });
    assert.equal(facts.plainHttp.result, 'redirects-to-other-host');
    assert.deepEqual(ids(facts), ['http.hsts-missing', 'http.no-https-redirect']);
  });

  test('nothing on the plain HTTP port: not listening, no finding', async () => {
    const server = await nginx({ hsts: true });
    const facts = await httpFacts(server, await freePort());
    assert.equal(facts.plainHttp.result, 'not-listening');
    assert.deepEqual(ids(facts), []);
  });

  test('the session facts of nginx: renegotiation refused, tickets resume, h2 not offered', async () => {
    const server = await nginx({});
    const { facts } = await sessionFacts(server);
    assert.equal(facts.clientRenegotiation.result, 'refused');
    assert.equal(facts.resumption.ticket, true);
    assert.equal(facts.resumption.tls13Ticket, true);
    assert.equal(facts.negotiated.alpn, 'http/1.1');
  });
});

/** A listener for one describe block, stopped with all its connections after it. */
function listenOn(server: Server, sockets: Set<Socket>): Promise<{ port: number }> {
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ port: typeof address === 'object' && address !== null ? address.port : 0 });
    }),
  );
}

type Behaviour = (socket: Socket) => void;

const garbage: Behaviour = (s) =>
  s.once('data', () => s.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x0d, 0x0a])));
const endlessHead: Behaviour = (s) =>
  s.once('data', () => {
    s.write('HTTP/1.1 200 OK\r\n');
    const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
    const timer = setInterval(() => s.write(line), 2);
    s.on('close', () => clearInterval(timer));
  });
const drip: Behaviour = (s) =>
  s.once('data', () => {
    const head = Buffer.from('HTTP/1.1 200 OK\r\nServer: drip\r\n\r\n');
    let at = 0;
    const timer = setInterval(() => {
      if (at < head.length) s.write(head.subarray(at, ++at));
    }, 100);
    s.on('close', () => clearInterval(timer));
  });

/** A TLS server (the test PKI's RSA leaf) that misbehaves once the handshake is done. */
async function hostileTls(pki: TestPki, behaviour: Behaviour): Promise<{ port: number }> {
  const sockets = new Set<Socket>();
  const server = createTlsServer(
    { cert: await readFile(pki.rsa.chain), key: await readFile(pki.rsa.key) },
    (socket: TLSSocket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
      behaviour(socket);
    },
  );
  server.on('tlsClientError', () => {});
  return listenOn(server, sockets);
}

/** A plain TCP server that misbehaves as the plain HTTP port. */
function hostilePlain(behaviour: Behaviour): Promise<{ port: number }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    behaviour(socket);
  });
  return listenOn(server, sockets);
}

describe('hostile HTTP peers', () => {
  const SHORT_MS = 1000;
  let pki: TestPki;
  before(async () => {
    pki = await makeTestPki();
  });

  /** Runs `gather`, checking it ends within a few deadlines however the peer behaves. */
  async function bounded<T>(gather: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await gather();
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 4 * SHORT_MS, `took ${Math.round(elapsed)} ms`);
    return result;
  }

  test('garbage after the handshake: not HTTP, no plain HTTP check, no findings', async () => {
    const server = await hostileTls(pki, garbage);
    const facts = await bounded(() => httpFacts(server, 1, SHORT_MS));
    assert.deepEqual(facts.https, { result: 'not-http', firstBytesHex: '00ff1337420d0a' });
    assert.equal(facts.speaksHttp, false);
    assert.equal(facts.plainHttp.result, 'not-checked');
    assert.deepEqual(httpFindings(facts), []);
  });

  test('a response head that never ends stops at the cap', async () => {
    const server = await hostileTls(pki, endlessHead);
    const facts = await bounded(() => httpFacts(server, null, SHORT_MS * 3));
    assert.equal(facts.https.result, 'head-too-large');
    assert.deepEqual(httpFindings(facts), []);
  });

  test('a head dripped a byte at a time ends at the deadline', async () => {
    const server = await hostileTls(pki, drip);
    const facts = await bounded(() => httpFacts(server, null, SHORT_MS));
    assert.equal(facts.https.result, 'timeout');
  });

  test('the plain HTTP port answering garbage, or dripping: no finding', async () => {
    const https = await startNginx({ protocols: 'TLSv1.2 TLSv1.3', hsts: true });
    after(() => https.stop());
    const junk = await hostilePlain(garbage);
    const junkFacts = await bounded(() => httpFacts(https, junk.port, SHORT_MS));
    assert.equal(junkFacts.plainHttp.result, 'not-http');
    const slow = await hostilePlain(drip);
    const slowFacts = await bounded(() => httpFacts(https, slow.port, SHORT_MS));
    assert.deepEqual(slowFacts.plainHttp, {
      port: slow.port,
      result: 'error',
      reason: 'no complete response head within the timeout',
    });
    assert.deepEqual(httpFindings(junkFacts), []);
    assert.deepEqual(httpFindings(slowFacts), []);
  });

  test('session probes against a silent server: every fact says why, within the deadline', async () => {
    const silent = await hostilePlain(() => {});
    const { facts } = await bounded(() => sessionFacts(silent, MODERN, SHORT_MS));
    assert.deepEqual(facts.negotiated, {
      version: null,
      suite: null,
      error: 'no complete handshake within the timeout',
    });
    assert.deepEqual(facts.ocspStapling, { stapled: null });
    assert.equal(facts.resumption.sessionId, null);
    assert.equal(facts.resumption.tls13Ticket, null);
    assert.match(facts.resumption.why.ticket ?? '', /^first connection: no complete handshake/);
    assert.equal(facts.clientRenegotiation.result, 'error');
    assert.deepEqual(sessionFindings(facts), []);
  });

  test('session probes against a server that answers garbage: TLS errors, no crash', async () => {
    const junk = await hostilePlain(garbage);
    const { facts } = await bounded(() => sessionFacts(junk, MODERN, SHORT_MS));
    assert.match(facts.negotiated.error ?? '', /^the handshake failed: /);
    assert.equal(facts.clientRenegotiation.result, 'error');
  });
});
