// Client simulation against real servers: each recorded ClientHello replayed against
// s_server, a node:tls server (OpenSSL 3.5), gnutls-serv and nginx. Two kinds of
// assertions: the values each server's configuration implies for a client's offer, and,
// for the two recorded clients the tests can also run for real (`openssl s_client` and
// this Node), agreement between the replay and the real client on the same server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadClientProfiles } from '../../src/scan/clients/load.ts';
import type { LoadedProfile } from '../../src/scan/clients/profile.ts';
import type { ClientResult } from '../../src/scan/clients/result.ts';
import { simulateClients } from '../../src/scan/clients/simulate.ts';
import { JobRunner } from '../../src/scan/runner.ts';
import { cipherSuite } from '../../src/wire/registry/cipher-suites.ts';
import { parseClientHello } from '../../src/wire/client-hello.ts';
import { findExtension } from '../../src/wire/extensions/extension.ts';
import { decodeServerName } from '../../src/wire/extensions/server-name.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../../src/wire/handshake.ts';
import { CONTENT_TYPE, encodeRecords } from '../../src/wire/record.ts';
import { EXTENSION_TYPES as X } from '../../src/wire/registry/extension-types.ts';
import { encodeServerHelloBody } from '../../src/wire/server-hello.ts';
import { removeAtExit } from '../helpers/cleanup.ts';
import { startHostileServer, startScriptedServer } from '../helpers/hostile-server.ts';
import { exec, execOk } from '../helpers/exec.ts';
import { makeTestPki, type TestPki } from '../helpers/pki.ts';
import {
  type RunningServer,
  startGnutlsServ,
  startNginx,
  startOpenSslServer,
} from '../helpers/servers.ts';

type Results = Map<string, ClientResult>;
interface Peer {
  readonly host: string;
  readonly port: number;
}

const SNI = 'localhost';

interface Simulation {
  readonly results: Results;
  /** The connections the simulation made. */
  readonly handshakes: number;
}

async function simulateCounted(
  server: Peer,
  options: { timeoutMs?: number; profiles?: readonly LoadedProfile[] } = {},
): Promise<Simulation> {
  const runner = new JobRunner(
    { host: server.host, address: server.host, port: server.port },
    { timeoutMs: options.timeoutMs ?? 5000, maxConnections: 4 },
  );
  const facts = await simulateClients(
    runner,
    SNI,
    options.profiles === undefined ? {} : { profiles: options.profiles },
  );
  return {
    results: new Map(facts.clients.map((c) => [c.id, c])),
    handshakes: runner.handshakes,
  };
}

async function simulate(
  server: Peer,
  options: { timeoutMs?: number; profiles?: readonly LoadedProfile[] } = {},
): Promise<Results> {
  return (await simulateCounted(server, options)).results;
}

function result(results: Results, id: string): ClientResult {
  const r = results.get(id);
  assert.ok(r, `no result for ${id}`);
  return r;
}

/** The fields a test pins, nothing else (ALPN and sizes are asserted where they matter). */
function agreed(r: ClientResult) {
  return {
    connected: r.connected,
    ...(r.version === undefined ? {} : { version: r.version }),
    ...(r.suite === undefined ? {} : { suite: r.suite }),
    ...(r.failure === undefined ? {} : { failure: r.failure }),
  };
}

const offers13 = (p: LoadedProfile) => p.offers.versions?.includes(0x0304) === true;

/** What a real client reported: the same fields as a simulation result. */
interface Observed {
  readonly connected: boolean;
  readonly version?: string;
  readonly suite?: string;
  readonly group?: string;
  readonly kexBits?: number;
}

/** OpenSSL and Node name curves their own way; the report uses the IANA names. */
const GROUP_NAMES: Readonly<Record<string, string>> = {
  X25519: 'x25519',
  X448: 'x448',
  prime256v1: 'secp256r1',
  secp384r1: 'secp384r1',
  secp521r1: 'secp521r1',
};

/** `openssl s_client -brief` with stdin at EOF, as the recorded s_client profile was run. */
async function realSClient(server: Peer): Promise<Observed> {
  const r = await exec(
    'openssl',
    ['s_client', '-connect', `${server.host}:${server.port}`, '-servername', SNI, '-brief'],
    { input: '', timeoutMs: 10_000 },
  );
  const out = r.stdout + r.stderr;
  const version = /^Protocol version: (\S+)/m.exec(out)?.[1];
  const cipher = /^Ciphersuite: (\S+)/m.exec(out)?.[1];
  if (!out.includes('CONNECTION ESTABLISHED') || version === undefined || cipher === undefined) {
    return { connected: false };
  }
  // TLS 1.3 suites are printed by their IANA name, earlier ones by OpenSSL's.
  const suite = cipher.startsWith('TLS_') ? cipher : cipherSuiteByOpenSslName(cipher);
  const temp = /^Server Temp Key: (?:ECDH, )?([^,]+), (\d+) bits/m.exec(out);
  const group = temp?.[1] === undefined || temp[1] === 'DH' ? undefined : GROUP_NAMES[temp[1]];
  return {
    connected: true,
    version,
    suite,
    ...(group === undefined ? {} : { group }),
    ...(temp?.[2] === undefined || version === 'TLSv1.3' ? {} : { kexBits: Number(temp[2]) }),
  };
}

function cipherSuiteByOpenSslName(name: string): string {
  for (let id = 0; id <= 0xffff; id++) {
    const s = cipherSuite(id);
    if (s?.opensslName === name) return s.name;
  }
  throw new Error(`no suite named ${name}`);
}

/** This Node's tls.connect, as the recorded nodejs-24 profile was run (trust aside). */
async function realNode(server: Peer): Promise<Observed> {
  const script = `
    const s = require('node:tls').connect({ host: process.argv[1], port: Number(process.argv[2]), servername: process.argv[3], rejectUnauthorized: false }, () => {
      const k = s.getEphemeralKeyInfo() ?? {};
      console.log(JSON.stringify({ version: s.getProtocol(), suite: s.getCipher().standardName, key: k }));
      s.end();
    });
    s.on('error', (e) => console.log(JSON.stringify({ error: e.message })));`;
  const r = await execOk(process.execPath, ['-e', script, server.host, String(server.port), SNI], {
    timeoutMs: 10_000,
  });
  const seen = JSON.parse(r.stdout) as {
    version?: string;
    suite?: string;
    key?: { type?: string; name?: string; size?: number };
  };
  if (seen.version === undefined) return { connected: false };
  const group = seen.key?.name === undefined ? undefined : GROUP_NAMES[seen.key.name];
  return {
    connected: true,
    version: seen.version,
    ...(seen.suite === undefined ? {} : { suite: seen.suite }),
    ...(group === undefined ? {} : { group }),
    ...(seen.version !== 'TLSv1.3' && seen.key?.size !== undefined
      ? { kexBits: seen.key.size }
      : {}),
  };
}

/** The replay and the real client agree on everything the real client reports. */
async function assertReplayMatchesRealClients(server: Peer, results: Results): Promise<void> {
  for (const [id, real] of [
    ['openssl-s-client-debian12', await realSClient(server)],
    ['nodejs-24', await realNode(server)],
  ] as const) {
    const sim = result(results, id);
    assert.equal(sim.connected, real.connected, `${id}: ${JSON.stringify({ sim, real })}`);
    if (!real.connected) continue;
    assert.equal(sim.version, real.version, id);
    assert.equal(sim.suite, real.suite, id);
    if (real.group !== undefined) assert.equal(sim.group, real.group, id);
    if (real.kexBits !== undefined) assert.equal(sim.kexBits, real.kexBits, id);
  }
}

describe('client simulation', () => {
  let pki: TestPki;
  let profiles: readonly LoadedProfile[];
  before(async () => {
    pki = await makeTestPki();
    profiles = await loadClientProfiles();
  });

  describe('s_server: TLS 1.2 only, ECDHE-RSA-AES128-GCM-SHA256', () => {
    let server: RunningServer;
    let results: Results;
    before(async () => {
      server = await startOpenSslServer(['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256']);
      results = await simulate(server);
    });
    after(() => server.stop());

    test('every client that offers the suite and TLS 1.2 connects with them; no other does', () => {
      for (const p of profiles) {
        const r = result(results, p.profile.id);
        const can = p.offers.suites.includes(0xc02f) && p.hello.legacyVersion >= 0x0303;
        assert.equal(r.connected, can, `${p.profile.id}: ${JSON.stringify(r)}`);
        if (!can) continue;
        assert.deepEqual(agreed(r), {
          connected: true,
          version: 'TLSv1.2',
          suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        });
        assert.ok(r.group === 'x25519' || r.group === 'secp256r1', `${p.profile.id}: ${r.group}`);
      }
    });
    test('modern clients connect; IE 6, IE 8 and Java 7 fail with the alert the server sends', () => {
      for (const id of [
        'chromium-debian12',
        'firefox-esr-debian12',
        'curl-debian12',
        'java-17.0.3-openjdk',
      ]) {
        assert.equal(result(results, id).connected, true, id);
      }
      assert.equal(result(results, 'chromium-debian12').group, 'x25519');
      assert.equal(result(results, 'chromium-debian12').kexBits, 253);
      assert.deepEqual(agreed(result(results, 'ie-6-xp')), {
        connected: false,
        failure: 'handshake_failure alert',
      });
      assert.deepEqual(agreed(result(results, 'ie-8-xp')), {
        connected: false,
        failure: 'protocol_version alert',
      });
      assert.deepEqual(agreed(result(results, 'java-7u25')), {
        connected: false,
        failure: 'protocol_version alert',
      });
      // IE 11 on Windows 7 has ECDHE-RSA only with CBC: the suite is what it lacks.
      assert.deepEqual(agreed(result(results, 'ie-11-win-7')), {
        connected: false,
        failure: 'handshake_failure alert',
      });
    });
    test('the replay agrees with the real s_client and Node', () =>
      assertReplayMatchesRealClients(server, results));
  });

  describe('s_server: TLS 1.3 only', () => {
    let server: RunningServer;
    let results: Results;
    let handshakes: number;
    before(async () => {
      server = await startOpenSslServer(['-tls1_3']);
      ({ results, handshakes } = await simulateCounted(server));
    });
    after(() => server.stop());

    test('one connection per client: the flight is read on the same connection as the hello', () => {
      const tried = [...results.values()].filter((r) => r.skipped === undefined);
      assert.ok(tried.some((r) => r.connected && r.version === 'TLSv1.3'));
      assert.ok(tried.every((r) => r.helloRetry === undefined));
      assert.equal(handshakes, tried.length);
    });

    test('clients without TLS 1.3 fail with protocol_version; the others get their first suite', () => {
      for (const p of profiles) {
        const r = result(results, p.profile.id);
        if (!offers13(p)) {
          assert.equal(r.connected, false, p.profile.id);
          // IE 6's SSLv3 hello gets the generic refusal, every other the version alert.
          const alert =
            p.hello.legacyVersion === 0x0300 ? 'handshake_failure alert' : 'protocol_version alert';
          assert.equal(r.failure, alert, p.profile.id);
          continue;
        }
        // s_server follows the client's order for TLS 1.3 suites (no -serverpref).
        const first = p.offers.suites.find((s) => [0x1301, 0x1302, 0x1303].includes(s));
        assert.deepEqual(
          agreed(r),
          { connected: true, version: 'TLSv1.3', suite: cipherSuite(first!)!.name },
          p.profile.id,
        );
        assert.equal(r.helloRetry, undefined, p.profile.id);
      }
    });
    test('OpenSSL 3.0 takes the first key share it knows: x25519 even from Node 24 and Chromium', () => {
      for (const id of [
        'nodejs-24',
        'chromium-debian12',
        'firefox-esr-debian12',
        'java-17.0.3-openjdk',
      ]) {
        assert.equal(result(results, id).group, 'x25519', id);
      }
      // GnuTLS sends its secp256r1 share first.
      assert.equal(result(results, 'gnutls-cli-debian12').group, 'secp256r1');
    });
    test('the replay agrees with the real s_client and Node', () =>
      assertReplayMatchesRealClients(server, results));
  });

  describe('node:tls (OpenSSL 3.5): TLS 1.3 only, ALPN http/1.1', () => {
    let server: Server;
    let peer: Peer;
    let results: Results;
    let handshakes: number;
    before(async () => {
      server = createServer({
        key: readFileSync(pki.rsa.key),
        cert: readFileSync(pki.rsa.chain),
        minVersion: 'TLSv1.3',
        ALPNProtocols: ['http/1.1'],
      });
      server.on('secureConnection', (socket) => socket.end());
      server.on('tlsClientError', () => {});
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      assert.ok(address !== null && typeof address === 'object');
      peer = { host: '127.0.0.1', port: address.port };
      ({ results, handshakes } = await simulateCounted(peer));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('Node 24, Chromium and Firefox negotiate X25519MLKEM768; the rest their classical share', () => {
      for (const id of ['nodejs-24', 'chromium-debian12', 'firefox-esr-debian12']) {
        assert.equal(result(results, id).group, 'X25519MLKEM768', id);
      }
      assert.equal(result(results, 'nodejs-20').group, 'x25519');
      assert.equal(result(results, 'chrome-101-win-10').group, 'x25519');
    });
    test('ALPN is read from the encrypted flight', () => {
      assert.equal(result(results, 'chromium-debian12').alpn, 'http/1.1');
      assert.equal(result(results, 'curl-debian12').alpn, 'http/1.1');
      // Clients that offer no ALPN get none.
      assert.equal(result(results, 'nodejs-24').alpn, undefined);
    });
    test('…on the connection of the hello itself: one per client, hybrid key shares too', () => {
      const tried = [...results.values()].filter((r) => r.skipped === undefined);
      assert.ok(tried.every((r) => r.helloRetry === undefined));
      assert.equal(handshakes, tried.length);
    });
    test('clients without TLS 1.3 fail with protocol_version', () => {
      for (const id of ['java-8u161', 'ie-11-win-10', 'android-8.1-native', 'openssl-1.0.2e']) {
        assert.deepEqual(
          agreed(result(results, id)),
          { connected: false, failure: 'protocol_version alert' },
          id,
        );
      }
    });
    test('the replay agrees with the real s_client and Node', () =>
      assertReplayMatchesRealClients(peer, results));
  });

  describe('s_server: DHE only with the 4096-bit RFC 7919 group, TLS 1.0-1.2', () => {
    let server: RunningServer;
    let results: Results;
    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wiretight-dh4096-'));
      removeAtExit(dir);
      const dh4096 = join(dir, 'dh4096.pem');
      await execOk('openssl', [
        'genpkey',
        '-genparam',
        '-algorithm',
        'DH',
        '-pkeyopt',
        'group:ffdhe4096',
        '-out',
        dh4096,
      ]);
      server = await startOpenSslServer([
        '-no_tls1_3',
        '-dhparam',
        dh4096,
        '-cipher',
        'DHE-RSA-AES128-SHA:@SECLEVEL=0',
      ]);
      results = await simulate(server);
    });
    after(() => server.stop());

    test('Java 7 and Java 8 fail on the DH size they cap; Java 11 and 17 connect', () => {
      assert.deepEqual(agreed(result(results, 'java-7u25')), {
        connected: false,
        version: 'TLSv1.0',
        suite: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
        failure: 'DH 4096 bits, above the 1024 this client accepts',
      });
      assert.deepEqual(agreed(result(results, 'java-8u161')), {
        connected: false,
        version: 'TLSv1.2',
        suite: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
        failure: 'DH 4096 bits, above the 2048 this client accepts',
      });
      for (const id of ['java-11.0.2-openjdk', 'java-17.0.3-openjdk', 'openjdk-17-debian12']) {
        assert.deepEqual(
          agreed(result(results, id)),
          {
            connected: true,
            version: 'TLSv1.2',
            suite: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
          },
          id,
        );
        assert.equal(result(results, id).kexBits, 4096, id);
      }
    });
    test('IE 11 on Windows 8.1 and 10 accept DH up to 4096 bits', () => {
      for (const id of ['ie-11-win-8.1', 'ie-11-win-10'])
        assert.equal(result(results, id).connected, true, id);
    });
    test('clients without DHE suites are refused by the server', () => {
      for (const id of [
        'chromium-debian12',
        'chrome-101-win-10',
        'firefox-100-win-10',
        'go-debian12',
      ]) {
        assert.deepEqual(
          agreed(result(results, id)),
          { connected: false, failure: 'handshake_failure alert' },
          id,
        );
      }
    });
    test('the replay agrees with the real s_client and Node', () =>
      assertReplayMatchesRealClients(server, results));
  });

  describe('s_server: DHE only with a 1024-bit group', () => {
    let server: RunningServer;
    let results: Results;
    before(async () => {
      server = await startOpenSslServer([
        '-tls1_2',
        '-dhparam',
        pki.dh1024,
        '-cipher',
        'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0',
      ]);
      results = await simulate(server);
    });
    after(() => server.stop());

    test("Debian's OpenSSL clients and Node 24 refuse it; Node 20 and Java 17 take it", () => {
      const refusing = [
        'openssl-s-client-debian12',
        'curl-debian12',
        'python-3-debian12',
        'nodejs-24',
      ];
      for (const id of refusing) {
        assert.equal(
          result(results, id).failure,
          'DH 1024 bits, below the 2048 this client accepts',
          id,
        );
      }
      for (const id of ['nodejs-20', 'openjdk-17-debian12', 'java-17.0.3-openjdk']) {
        assert.equal(result(results, id).connected, true, id);
        assert.equal(result(results, id).kexBits, 1024, id);
      }
    });
    test('the replay agrees with the real s_client and Node, which both refuse', () =>
      assertReplayMatchesRealClients(server, results));
  });

  describe('gnutls-serv: TLS 1.2 and 1.3, secp384r1 only', () => {
    let server: RunningServer;
    let results: Results;
    before(async () => {
      server = await startGnutlsServ(
        'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-GROUP-ALL:+GROUP-SECP384R1',
      );
      results = await simulate(server);
    });
    after(() => server.stop());

    test('TLS 1.3 clients that list secp384r1 without a share for it answer a HelloRetryRequest', () => {
      for (const p of profiles.filter(offers13)) {
        const r = result(results, p.profile.id);
        const listed = p.offers.groups?.includes(0x0018) === true;
        const shared = p.offers.keyShares.some((k) => k.group === 0x0018);
        if (!listed) {
          assert.equal(r.connected, false, p.profile.id);
          continue;
        }
        assert.equal(r.connected, true, `${p.profile.id}: ${JSON.stringify(r)}`);
        assert.equal(r.version, 'TLSv1.3', p.profile.id);
        assert.equal(r.group, 'secp384r1', p.profile.id);
        assert.equal(r.helloRetry, shared ? undefined : true, p.profile.id);
      }
    });
    test('TLS 1.2 clients get ECDHE on secp384r1, 384 bits', () => {
      for (const id of ['openssl-1.0.2e', 'java-8u161', 'ie-11-win-10']) {
        const r = result(results, id);
        assert.equal(r.version, 'TLSv1.2', id);
        assert.equal(r.group, 'secp384r1', id);
        assert.equal(r.kexBits, 384, id);
      }
    });
    test('the replay agrees with the real s_client and Node', () =>
      assertReplayMatchesRealClients(server, results));
  });

  describe('nginx: TLS 1.2 and 1.3, RSA and ECDSA, HTTP/2, server order', () => {
    let server: RunningServer;
    let results: Results;
    before(async () => {
      server = await startNginx({
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA',
        preferServerCiphers: true,
        http2: true,
        dual: true,
      });
      results = await simulate(server);
    });
    after(() => server.stop());

    test("each client gets what nginx's order and its offer imply", () => {
      for (const p of profiles) {
        const r = result(results, p.profile.id);
        const id = p.profile.id;
        if (offers13(p)) {
          // Server order holds for TLS 1.3 too: OpenSSL's own order puts AES-256-GCM first.
          assert.deepEqual(
            agreed(r),
            { connected: true, version: 'TLSv1.3', suite: 'TLS_AES_256_GCM_SHA384' },
            id,
          );
          // nginx with http2 speaks h2 and http/1.1, preferring the client's order.
          const alpn = p.offers.alpn.find((a) => a === 'h2' || a === 'http/1.1');
          assert.equal(r.alpn, alpn, id);
          continue;
        }
        const order = [0xc02b, 0xc02f, 0xc013];
        const pick = order.find((s) => p.offers.suites.includes(s));
        if (p.hello.legacyVersion < 0x0303 || pick === undefined) {
          assert.equal(r.connected, false, id);
          continue;
        }
        assert.deepEqual(
          agreed(r),
          { connected: true, version: 'TLSv1.2', suite: cipherSuite(pick)!.name },
          id,
        );
      }
    });
    test('the replay agrees with the real s_client and Node', () =>
      assertReplayMatchesRealClients(server, results));
  });

  describe('hostile and broken servers', () => {
    /** A TLS 1.2 ServerHello choosing `suite`, then `after` (more handshake bytes), in records. */
    const serverHello = (suite: number, after: Uint8Array = new Uint8Array(0)) =>
      Buffer.from(
        encodeRecords(
          CONTENT_TYPE.handshake,
          0x0303,
          new Uint8Array([
            ...encodeHandshake(
              HANDSHAKE_TYPE.server_hello,
              encodeServerHelloBody({
                legacyVersion: 0x0303,
                random: new Uint8Array(32).fill(3),
                sessionId: new Uint8Array(0),
                cipherSuite: suite,
                compressionMethod: 0,
                extensions: [],
              }),
            ),
            ...after,
          ]),
        ),
      );

    test('garbage, a truncated record or a reset: every client fails, nothing throws', async () => {
      for (const behaviour of ['garbage', 'truncated-record', 'reset'] as const) {
        const server = await startHostileServer(behaviour);
        try {
          const results = await simulate(server, { timeoutMs: 2000 });
          assert.equal(results.size, profiles.length);
          for (const r of results.values()) {
            assert.equal(r.connected, false, `${behaviour}: ${r.id}`);
            assert.ok(r.failure !== undefined && r.failure.length > 0, `${behaviour}: ${r.id}`);
            assert.equal(r.version, undefined);
          }
        } finally {
          await server.stop();
        }
      }
    });

    test('a suite no client offered, and a Certificate that does not parse, are failures', async () => {
      const done = encodeHandshake(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0));
      const nobody = await startScriptedServer(() => serverHello(0x0000, done));
      try {
        const results = await simulate(nobody, { timeoutMs: 2000 });
        for (const r of results.values()) {
          assert.equal(r.connected, false, r.id);
          assert.match(
            r.failure ?? '',
            /^the server chose (TLS_NULL_WITH_NULL_NULL|TLSv1\.2), which this client does not offer$/,
            r.id,
          );
        }
      } finally {
        await nobody.stop();
      }
      // A certificate_list announcing more bytes than the message holds.
      const badCertificate = encodeHandshake(HANDSHAKE_TYPE.certificate, Uint8Array.of(0, 0, 9, 1));
      const broken = await startScriptedServer(() =>
        serverHello(0xc02f, new Uint8Array([...badCertificate, ...done])),
      );
      try {
        const results = await simulate(broken, { timeoutMs: 2000 });
        const chrome = result(results, 'chromium-debian12');
        assert.equal(chrome.connected, false);
        assert.match(chrome.failure ?? '', /^the server's Certificate does not parse/);
      } finally {
        await broken.stop();
      }
    });

    test('the bytes on the wire are the replayed hello: the name replaced, the rest as recorded', async () => {
      const chromium = profiles.find((p) => p.profile.id === 'chromium-debian12')!;
      const server = await startScriptedServer(() => null);
      try {
        await simulate(server, { timeoutMs: 2000, profiles: [chromium] });
        const record = server.received()[0]!;
        const sent = parseClientHello(record.subarray(5 + 4));
        assert.deepEqual(
          decodeServerName(findExtension(sent.extensions ?? [], X.server_name)!.data),
          [SNI],
        );
        assert.deepEqual(
          (sent.extensions ?? []).map((e) => e.type),
          (chromium.hello.extensions ?? []).map((e) => e.type),
        );
        assert.deepEqual(sent.cipherSuites, chromium.hello.cipherSuites);
      } finally {
        await server.stop();
      }
    });
  });
});
