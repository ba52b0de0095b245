// The test helpers are themselves tested: if a helper lies (a server that did not really
// start, an oracle that accepts everything), every integration test built on it lies too.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as netConnect, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { execOk } from '../helpers/exec.ts';
import {
  HTTP_400,
  recordHeader,
  startHostileServer,
  startScriptedServer,
  type HostileBehaviour,
} from '../helpers/hostile-server.ts';
import {
  acceptedByOpenSsl,
  allOpenSslSuiteNames,
  allOpenSslSuites,
  handshake,
  handshakeByGnutls,
  supportedVersionsByOpenSsl,
  TLS13_SUITES,
} from '../helpers/oracle.ts';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import { acceptsTcp } from '../helpers/process.ts';
import { NGINX_PAGE, startGnutlsServ, startNginx, startOpenSslServer } from '../helpers/servers.ts';

let pki: TestPki;
let rootPem: string;
before(async () => {
  pki = await makeTestPki();
  rootPem = readFileSync(pki.root.cert, 'utf8');
});

interface TlsOutcome {
  protocol: string | null;
  cipher: string;
  peerDer: Buffer;
  chainLength: number;
  alpn: string | false | null;
}

/** A node:tls handshake that verifies the chain against the test root and 'localhost'. */
function nodeTls(port: number, opts: ConnectionOptions = {}): Promise<TlsOutcome> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: rootPem,
      ...opts,
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      let chainLength = 1;
      for (let c = peer; c.issuerCertificate !== undefined && c.issuerCertificate !== c;) {
        c = c.issuerCertificate;
        chainLength++;
      }
      const outcome = {
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().standardName,
        peerDer: peer.raw,
        chainLength,
        alpn: socket.alpnProtocol,
      };
      // TLS 1.3: a server that rejects the client certificate says so after the handshake.
      socket.once('data', () => {});
      setTimeout(() => {
        socket.destroy();
        resolve(outcome);
      }, 50);
    });
  });
}

async function assertPortFreed(server: { port: number; stop(): Promise<void> }) {
  const port = server.port;
  await server.stop();
  assert.equal(await acceptsTcp('127.0.0.1', port), false, `port ${port} still accepts`);
  // and it can be bound again
  await new Promise<void>((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
  });
}

describe('pki', () => {
  it('makes a chain root → intermediate → leaves, once per process', async () => {
    assert.equal(await makeTestPki(), pki);
    const root = new X509Certificate(pki.root.der);
    const int = new X509Certificate(pki.intermediate.der);
    assert.ok(int.checkIssued(root) && int.verify(root.publicKey));
    for (const leaf of [pki.rsa, pki.ecdsa, pki.weakRsa, pki.expired, pki.wrongName]) {
      const x = new X509Certificate(leaf.der);
      assert.ok(x.checkIssued(int) && x.verify(int.publicKey), leaf.cert);
      const chain = readFileSync(leaf.chain, 'utf8').match(/BEGIN CERTIFICATE/g) ?? [];
      assert.equal(chain.length, 2, leaf.chain);
    }
    const client = new X509Certificate(pki.client.der);
    assert.ok(client.checkIssued(new X509Certificate(pki.clientCa.der)));
    const self = new X509Certificate(pki.selfSigned.der);
    assert.ok(self.checkIssued(self));
  });

  it('makes leaves with the announced keys, names and dates', () => {
    const rsa = new X509Certificate(pki.rsa.der);
    assert.equal(rsa.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(rsa.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(rsa.checkHost('localhost'), 'localhost');
    assert.equal(rsa.checkIP('127.0.0.1'), '127.0.0.1');
    const ec = new X509Certificate(pki.ecdsa.der).publicKey;
    assert.equal(ec.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const weak = new X509Certificate(pki.weakRsa.der).publicKey;
    assert.equal(weak.asymmetricKeyDetails?.modulusLength, 1024);
    assert.ok(new X509Certificate(pki.expired.der).validToDate < new Date('2021-01-01'));
    assert.equal(new X509Certificate(pki.wrongName.der).checkHost('localhost'), undefined);
  });

  it('makes DH parameters of 1024 and 2048 bits', async () => {
    for (const [file, bits] of [
      [pki.dh1024, 1024],
      [pki.dh2048, 2048],
    ] as const) {
      const r = await execOk('openssl', ['pkeyparam', '-in', file, '-text', '-noout']);
      assert.match(r.stdout, new RegExp(`\\(${bits} bit\\)`));
    }
  });
});

describe('oracle: local OpenSSL suite lists', () => {
  it('lists suites per version with their ids', async () => {
    assert.deepEqual((await allOpenSslSuiteNames('TLSv1.3')).sort(), [...TLS13_SUITES].sort());
    const tls12 = await allOpenSslSuites('TLSv1.2');
    assert.ok(tls12.some((s) => s.name === 'ECDHE-RSA-AES128-GCM-SHA256' && s.id === '0xc02f'));
    assert.ok(tls12.some((s) => s.name === 'NULL-SHA256'));
    const tls10 = await allOpenSslSuiteNames('TLSv1.0');
    assert.ok(tls10.includes('AES128-SHA') && !tls10.includes('AES128-GCM-SHA256'));
  });
});

describe('openssl s_server', () => {
  it('serves TLS 1.3 with the RSA leaf and its chain', async (t) => {
    const s = await startOpenSslServer(['-tls1_3']);
    t.after(() => s.stop());
    assert.equal(s.host, '127.0.0.1');
    const o = await nodeTls(s.port);
    assert.equal(o.protocol, 'TLSv1.3');
    assert.deepEqual(o.peerDer, pki.rsa.der);
    assert.equal(o.chainLength, 3); // leaf, intermediate, root (from ca)
    assert.deepEqual(await supportedVersionsByOpenSsl(s), ['TLSv1.3']);
    assert.match(s.logs(), /ACCEPT 127\.0\.0\.1:\d+/);
  });

  it('lets the oracle find exactly the suites of a -serverpref server', async (t) => {
    const suites = ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA'];
    const s = await startOpenSslServer(['-tls1_2', '-serverpref', '-cipher', suites.join(':')]);
    t.after(() => s.stop());
    const all = await allOpenSslSuiteNames('TLSv1.2');
    assert.deepEqual((await acceptedByOpenSsl(s, 'TLSv1.2', all)).sort(), [...suites].sort());
    assert.deepEqual(await supportedVersionsByOpenSsl(s), ['TLSv1.2']);
    // server preference: offered everything, it picks its first
    assert.equal((await handshake(s, 'TLSv1.2'))?.suite, suites[0]);
  });

  it('serves TLS 1.0-1.2 with CBC, static RSA and DHE-1024 at SECLEVEL=0', async (t) => {
    const s = await startOpenSslServer([
      '-no_tls1_3',
      '-cipher',
      'ALL:@SECLEVEL=0',
      '-dhparam',
      pki.dh1024,
    ]);
    t.after(() => s.stop());
    assert.deepEqual(await supportedVersionsByOpenSsl(s), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
    const wanted = ['AES128-SHA', 'DHE-RSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA'];
    assert.deepEqual(await acceptedByOpenSsl(s, 'TLSv1.0', wanted), wanted);
    const r = await execOk(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${s.port}`,
        '-brief',
        '-tls1',
        '-cipher',
        'DHE-RSA-AES128-SHA:@SECLEVEL=0',
      ],
      { input: '' },
    );
    assert.match(r.stderr, /Server Temp Key: DH, 1024 bits/);
    // s_server falls back to a built-in group when it cannot load -dhparam: make sure it did
    assert.match(s.logs(), /Setting temp DH parameters/);
  });

  it('requires a client certificate with -Verify', async (t) => {
    const s = await startOpenSslServer(['-Verify', '1', '-CAfile', pki.clientCa.cert]);
    t.after(() => s.stop());
    await assert.rejects(nodeTls(s.port, { maxVersion: 'TLSv1.2' }));
    const withCert = { cert: readFileSync(pki.client.cert), key: readFileSync(pki.client.key) };
    assert.equal((await nodeTls(s.port, withCert)).protocol, 'TLSv1.3');
  });

  it('serves a second, ECDSA certificate with dual', async (t) => {
    const s = await startOpenSslServer(['-tls1_2'], { dual: true });
    t.after(() => s.stop());
    const ec = await nodeTls(s.port, { sigalgs: 'ECDSA+SHA256' });
    assert.deepEqual(ec.peerDer, pki.ecdsa.der);
    const rsa = await nodeTls(s.port, { sigalgs: 'RSA-PSS+SHA256:RSA+SHA256' });
    assert.deepEqual(rsa.peerDer, pki.rsa.der);
  });

  it('serves a given certificate', async (t) => {
    const s = await startOpenSslServer([], pki.selfSigned);
    t.after(() => s.stop());
    const o = await nodeTls(s.port, { rejectUnauthorized: false });
    assert.deepEqual(o.peerDer, pki.selfSigned.der);
  });

  it('rejects with stderr when s_server cannot start, and stop() frees the port', async () => {
    await assert.rejects(startOpenSslServer(['-cipher', 'NOPE']), /no cipher match/);
    await assertPortFreed(await startOpenSslServer([]));
  });
});

describe('servers left running', () => {
  // A child test process starts s_server, prints its port, and then either just ends
  // (the forgotten server must neither keep it alive nor outlive it) or is sent SIGTERM.
  // The child reuses this process's PKI files rather than making its own.
  const child = (mode: 'exit' | 'hang') =>
    spawn(
      process.execPath,
      ['--input-type=module', '-e', CHILD_SCRIPT, mode, pki.rsa.cert, pki.rsa.key],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
  const CHILD_SCRIPT = `
    const { startOpenSslServer } = await import(${JSON.stringify(new URL('../helpers/servers.ts', import.meta.url).href)});
    const [mode, cert, key] = process.argv.slice(1);
    const s = await startOpenSslServer([], { cert, key });
    console.log(s.port);
    if (mode === 'hang') setInterval(() => {}, 1000);
  `;
  const portOf = async (c: ChildProcess) => {
    const [line] = (await once(c.stdout!, 'data')) as [Buffer];
    return Number(line.toString().trim());
  };

  // SIGKILL is delivered asynchronously: give the kernel a moment to close the socket.
  const closesSoon = async (port: number) => {
    for (let i = 0; i < 50 && (await acceptsTcp('127.0.0.1', port)); i++) await sleep(20);
    return !(await acceptsTcp('127.0.0.1', port));
  };

  it('are killed when the test process ends', async () => {
    const c = child('exit');
    const port = await portOf(c);
    const [code] = (await once(c, 'exit')) as [number];
    assert.equal(code, 0);
    assert.ok(await closesSoon(port));
  });

  it('are killed when the test process gets SIGTERM', async () => {
    const c = child('hang');
    const port = await portOf(c);
    assert.equal(await acceptsTcp('127.0.0.1', port), true);
    c.kill('SIGTERM');
    const [, signal] = (await once(c, 'exit')) as [number | null, string | null];
    assert.equal(signal, 'SIGTERM');
    assert.ok(await closesSoon(port));
  });
});

describe('nginx', () => {
  it('serves a page over TLS 1.2/1.3 with HSTS and HTTP/2', async (t) => {
    const n = await startNginx({ protocols: 'TLSv1.2 TLSv1.3', hsts: true, http2: true });
    t.after(() => n.stop());
    const o = await nodeTls(n.port, { ALPNProtocols: ['h2', 'http/1.1'] });
    assert.equal(o.alpn, 'h2');
    assert.deepEqual(o.peerDer, pki.rsa.der);
    assert.equal(o.chainLength, 3);
    const res = await httpsGet(n.port);
    assert.match(res, /^HTTP\/1\.1 200/);
    assert.match(res, /Strict-Transport-Security: max-age=31536000/i);
    assert.ok(res.endsWith(NGINX_PAGE));
    assert.deepEqual(await supportedVersionsByOpenSsl(n), ['TLSv1.2', 'TLSv1.3']);
  });

  it('honours ciphers, server preference, curves, DH params and dual certificates', async (t) => {
    const ciphers = ['DHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES128-SHA'];
    const n = await startNginx({
      protocols: 'TLSv1 TLSv1.1 TLSv1.2',
      ciphers: `${ciphers.join(':')}:@SECLEVEL=0`,
      preferServerCiphers: true,
      ecdhCurve: 'prime256v1',
      dhparam: pki.dh1024,
      dual: true,
    });
    t.after(() => n.stop());
    assert.deepEqual(await supportedVersionsByOpenSsl(n), ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
    const all = await allOpenSslSuiteNames('TLSv1.0');
    assert.deepEqual((await acceptedByOpenSsl(n, 'TLSv1.0', all)).sort(), [...ciphers].sort());
    assert.equal((await handshake(n, 'TLSv1.2'))?.suite, ciphers[0]);
    const r = await execOk(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${n.port}`,
        '-brief',
        '-tls1_2',
        '-cipher',
        'ECDHE-RSA-AES128-SHA',
      ],
      { input: '' },
    );
    assert.match(r.stderr, /Server Temp Key: ECDH, prime256v1/);
    const dhe = await execOk(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${n.port}`,
        '-brief',
        '-tls1',
        '-cipher',
        'DHE-RSA-AES128-SHA:@SECLEVEL=0',
      ],
      { input: '' },
    );
    assert.match(dhe.stderr, /Server Temp Key: DH, 1024 bits/);
  });

  it('rejects with the [emerg] line on a bad config, and stop() frees the port', async () => {
    await assert.rejects(startNginx({ protocols: 'TLSv1.2', ciphers: 'NOPE' }), /emerg.*cipher/);
    await assertPortFreed(await startNginx({ protocols: 'TLSv1.2' }));
  });
});

describe('gnutls-serv', () => {
  it('serves with a GnuTLS priority string, verifying against the test root', async (t) => {
    const g = await startGnutlsServ('NORMAL:-VERS-ALL:+VERS-TLS1.2', { dual: true });
    t.after(() => g.stop());
    const o = await nodeTls(g.port);
    assert.equal(o.protocol, 'TLSv1.2');
    assert.equal(o.chainLength, 3);
    assert.deepEqual(await supportedVersionsByOpenSsl(g), ['TLSv1.2']);
    const ec = await nodeTls(g.port, { sigalgs: 'ECDSA+SHA256' });
    assert.deepEqual(ec.peerDer, pki.ecdsa.der);
  });

  it('enables TLS 1.0 when asked, and requires a client certificate when given a CA', async (t) => {
    const g = await startGnutlsServ('NORMAL:+VERS-TLS1.0:+VERS-TLS1.1', {
      clientCa: pki.clientCa.cert,
    });
    t.after(() => g.stop());
    const withCert = { cert: readFileSync(pki.client.cert), key: readFileSync(pki.client.key) };
    const old = await nodeTls(g.port, {
      ...withCert,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    assert.equal(old.protocol, 'TLSv1');
    await assert.rejects(nodeTls(g.port, { maxVersion: 'TLSv1.2' }));
  });

  it('serves RC4 and 3DES, which only the gnutls-cli oracle can check', async (t) => {
    const g = await startGnutlsServ('NORMAL:+VERS-TLS1.0:+ARCFOUR-128:+3DES-CBC');
    t.after(() => g.stop());
    const only = (cipher: string) =>
      `NONE:+VERS-TLS1.0:+${cipher}:+SHA1:+RSA:+SIGN-ALL:+COMP-NULL:+GROUP-ALL`;
    assert.deepEqual(await handshakeByGnutls(g, only('ARCFOUR-128')), {
      version: 'TLSv1.0',
      description: '(TLS1.0-X.509)-(RSA)-(ARCFOUR-128)-(SHA1)',
    });
    assert.match((await handshakeByGnutls(g, only('3DES-CBC')))?.description ?? '', /3DES-CBC/);
    assert.equal(await handshakeByGnutls(g, only('CAMELLIA-128-CBC')), undefined);
  });

  it('stop() frees the port', async () => {
    await assertPortFreed(await startGnutlsServ('NORMAL'));
  });
});

/** A raw HTTP/1.1 GET over TLS; returns the whole response text. */
function httpsGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: rootPem });
    let text = '';
    s.setEncoding('utf8').on('data', (d: string) => (text += d));
    s.once('secureConnect', () =>
      s.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'),
    );
    s.once('end', () => resolve(text));
    s.once('error', reject);
  });
}

// A ClientHello-shaped record: enough for servers that wait for the client to speak first.
const HELLO = Buffer.concat([recordHeader(0x16, 4), Buffer.from([0x01, 0, 0, 0])]);

interface Exchange {
  data: Buffer;
  /** 'end' (FIN), 'reset', 'error:<code>' or 'open' (still open after waitMs). */
  how: string;
}

/** Connect, optionally send, and record what comes back within waitMs. */
function exchange(port: number, send: Buffer | null, waitMs = 300): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = netConnect({ host: '127.0.0.1', port });
    const done = (how: string) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ data: Buffer.concat(chunks), how });
    };
    const timer = setTimeout(() => done('open'), waitMs);
    s.on('data', (d: Buffer) => chunks.push(d));
    s.once('end', () => done('end'));
    s.once('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNRESET' ? 'reset' : `error:${e.code}`),
    );
    if (send !== null) s.write(send);
  });
}

describe('hostile servers', () => {
  const started: { stop(): Promise<void> }[] = [];
  const start = async (b: HostileBehaviour, intervalMs?: number) => {
    const s = await startHostileServer(b, intervalMs === undefined ? {} : { intervalMs });
    started.push(s);
    return s;
  };
  after(() => Promise.all(started.map((s) => s.stop())));

  it('garbage: 64 non-TLS bytes, then close', async () => {
    const s = await start('garbage');
    const r = await exchange(s.port, HELLO);
    assert.equal(r.how, 'end');
    assert.equal(r.data.length, 64);
    assert.ok(r.data[0]! < 0x14);
  });

  it('truncated-record: a header for 100 bytes, 10 of them, then close', async () => {
    const r = await exchange((await start('truncated-record')).port, HELLO);
    assert.equal(r.how, 'end');
    assert.deepEqual([...r.data.subarray(0, 5)], [0x16, 3, 3, 0, 100]);
    assert.equal(r.data.length, 15);
  });

  it('huge-length: a handshake message of 2^24-1 bytes, filler records keep coming', async () => {
    const r = await exchange((await start('huge-length', 20)).port, HELLO, 200);
    assert.equal(r.how, 'open');
    assert.deepEqual([...r.data.subarray(0, 9)], [0x16, 3, 3, 0x40, 0, 0x02, 0xff, 0xff, 0xff]);
    assert.ok(r.data.length > 2 * (5 + 0x4000), `only ${r.data.length} bytes`);
  });

  it('huge-record: a record header of length 0xffff, connection left open', async () => {
    const r = await exchange((await start('huge-record')).port, HELLO);
    assert.equal(r.how, 'open');
    assert.deepEqual([...r.data.subarray(0, 5)], [0x16, 3, 3, 0xff, 0xff]);
  });

  it('slow: one byte per interval, the record never completes', async () => {
    const r = await exchange((await start('slow', 50)).port, HELLO, 280);
    assert.equal(r.how, 'open');
    assert.ok(r.data.length >= 3 && r.data.length <= 7, `${r.data.length} bytes`);
    assert.equal(r.data[0], 0x16);
    const all = await exchange((await start('slow', 1)).port, HELLO, 500);
    assert.equal(all.data.length, 5 + 0x40 - 1);
    const def = await exchange((await start('slow')).port, HELLO, 300);
    assert.equal(def.data.length, 1);
  });

  it('reset: RST after the ClientHello', async () => {
    const r = await exchange((await start('reset')).port, HELLO);
    assert.equal(r.how, 'reset');
  });

  it('http: a plaintext 400', async () => {
    const r = await exchange((await start('http')).port, HELLO);
    assert.equal(r.how, 'end');
    assert.equal(r.data.toString(), HTTP_400);
  });

  it('silent, close and smtp-banner', async () => {
    const silent = await exchange((await start('silent')).port, HELLO);
    assert.deepEqual(silent, { data: Buffer.alloc(0), how: 'open' });
    const close = await exchange((await start('close')).port, null);
    assert.deepEqual(close, { data: Buffer.alloc(0), how: 'end' });
    const smtp = await exchange((await start('smtp-banner')).port, null);
    assert.equal(smtp.data.toString(), '220 mail.example ESMTP\r\n');
  });

  it('counts connections, makes the oracle fail cleanly, and stop() frees the port', async () => {
    const s = await startHostileServer('garbage');
    assert.equal(await handshake(s, 'TLSv1.2'), undefined);
    await exchange(s.port, HELLO);
    assert.equal(s.connections(), 2);
    await assertPortFreed(s);
  });
});

describe('scripted server', () => {
  it('reads a whole SSLv2 record, even split across writes, and answers it', async (t) => {
    // SSLv2 CLIENT-HELLO: 2-byte header (high bit set), msg 1, version 0x0002, ...
    const body = Buffer.from([
      0x01,
      0x00,
      0x02,
      0,
      3,
      0,
      0,
      0,
      16,
      0x07,
      0x00,
      0xc0,
      ...Buffer.alloc(16, 0xaa),
    ]);
    const hello = Buffer.concat([Buffer.from([0x80, body.length]), body]);
    const serverHello = Buffer.from([0x80, 0x03, 0x04, 0x00, 0x01]);
    const s = await startScriptedServer((ch) => (ch[2] === 0x01 ? [serverHello] : null));
    t.after(() => s.stop());
    const r = await new Promise<Buffer>((resolve, reject) => {
      const c = netConnect({ host: '127.0.0.1', port: s.port }, async () => {
        c.write(hello.subarray(0, 3));
        await sleep(30);
        c.write(hello.subarray(3));
      });
      c.once('data', (d: Buffer) => {
        c.destroy();
        resolve(d);
      });
      c.once('error', reject);
    });
    assert.deepEqual(r, serverHello);
    assert.deepEqual(s.received(), [hello]);
  });

  it('answers a TLS record, and closes on null or on non-TLS input', async (t) => {
    const alert = Buffer.concat([recordHeader(0x15, 2), Buffer.from([2, 40])]);
    const s = await startScriptedServer((ch) => (ch.length === HELLO.length ? alert : null));
    t.after(() => s.stop());
    const r = await exchange(s.port, HELLO);
    assert.deepEqual(r, { data: alert, how: 'open' });
    const bigger = Buffer.concat([recordHeader(0x16, 5), Buffer.alloc(5)]);
    assert.notEqual((await exchange(s.port, bigger)).how, 'open');
    assert.notEqual((await exchange(s.port, Buffer.from('GET / HTTP/1.1\r\n\r\n'))).how, 'open');
    assert.equal(s.connections(), 3);
  });
});
