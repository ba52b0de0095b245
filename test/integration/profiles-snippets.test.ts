// The Mozilla profile snippets loaded by the programs they are written for: nginx must
// accept every nginx snippet (`nginx -t`) and serve the whole configuration; the whole Node
// module must run; and both, plus a node:tls server made from nodeTlsOptions(), must answer
// openssl s_client the way the profile says (versions, suites, suite order, groups, HSTS).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { nginxConf } from '../helpers/nginx-conf.ts';
import {
  PROFILE_NAMES,
  SNIPPET_ASPECTS,
  SNIPPET_PATHS,
  aspectSnippets,
  mozillaProfile,
  nodeTlsOptions,
  profileSnippets,
  type ProfileName,
} from '../../src/scan/profiles/index.ts';
import { removeAtExit } from '../helpers/cleanup.ts';
import { exec } from '../helpers/exec.ts';
import { handshake, type Endpoint } from '../helpers/oracle.ts';
import { makeTestPki, type Leaf, type TestPki } from '../helpers/pki.ts';
import { freePort, launch, type RunningServer } from '../helpers/process.ts';
import { requireProgram } from '../helpers/tools.ts';

let pki: TestPki;
let work: string;
/** The OpenSSL nginx runs with, for the snippets written for it. */
let nginxOpenssl: string;

before(async () => {
  pki = await makeTestPki();
  work = mkdtempSync(join(tmpdir(), 'wiretight-profiles-'));
  removeAtExit(work);
  const trusted =
    (await readFile(pki.root.cert, 'utf8')) + (await readFile(pki.intermediate.cert, 'utf8'));
  writeFileSync(join(work, 'trusted.pem'), trusted);
  const v = await exec(requireProgram('nginx'), ['-V']);
  const m =
    /running with OpenSSL (\d+\.\d+\.\d+)/.exec(v.stderr) ??
    /built with OpenSSL (\d+\.\d+\.\d+)/.exec(v.stderr);
  assert.ok(m?.[1], `nginx -V names its OpenSSL: ${v.stderr}`);
  nginxOpenssl = m[1];
});

/** ECDSA for modern and intermediate (ECDSA is what they recommend), RSA for old. */
const leafFor = (profile: ProfileName): Leaf => (profile === 'old' ? pki.rsa : pki.ecdsa);

/** The snippet with its /path/to/ placeholders pointing at the test PKI's files. */
function withTestFiles(text: string, leaf: Leaf): string {
  const files: Partial<Record<keyof typeof SNIPPET_PATHS, string>> = {
    certificateChain: leaf.chain,
    privateKey: leaf.key,
    trustedChain: join(work, 'trusted.pem'),
    dhParams: pki.dh2048,
    ocspResponse: join(work, 'no-ocsp-response.der'),
  };
  let out = text;
  for (const [key, path] of Object.entries(files)) {
    out = out.split(SNIPPET_PATHS[key as keyof typeof SNIPPET_PATHS]).join(path);
  }
  assert.doesNotMatch(out, /\/path\/to\/\w/, 'every placeholder the test can fill is filled');
  return out;
}

/** `nginx -t` on a configuration; the exit code and what nginx said. */
async function nginxTest(httpBlock: string): Promise<{ ok: boolean; said: string }> {
  const dir = mkdtempSync(join(work, 'nginx-t-'));
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, httpBlock, { workerConnections: 64 }));
  const r = await exec(
    requireProgram('nginx'),
    ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'],
    { timeoutMs: 10_000 },
  );
  return { ok: r.code === 0, said: r.stderr };
}

/** An aspect snippet placed in a server block, with a certificate unless it brings one. */
function serverWith(snippet: string, leaf: Leaf): string {
  const cert = snippet.includes('ssl_certificate ')
    ? ''
    : `ssl_certificate ${leaf.chain}; ssl_certificate_key ${leaf.key};`;
  return `server {\n listen 127.0.0.1:8443 ssl;\n ${cert}\n${withTestFiles(snippet, leaf)}\n}`;
}

/** The whole nginx snippet, listening on loopback only, started for real. */
async function startWholeNginx(profile: ProfileName): Promise<RunningServer> {
  const leaf = leafFor(profile);
  const snippet = profileSnippets(profile, { openssl: nginxOpenssl }).nginx;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(work, 'nginx-'));
    const http = withTestFiles(snippet, leaf)
      .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
      .replace(/^\s*listen \[::\]:443 ssl;\n/m, '');
    writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, http, { workerConnections: 64 }));
    try {
      return await launch({
        name: 'nginx',
        cmd: requireProgram('nginx'),
        args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'],
        tmpDir: dir,
        port,
        timeoutMs: 10_000,
      });
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('Address already in use')) throw err;
    }
  }
}

/** The whole Node snippet as a module of its own, listening on a loopback port. */
async function startWholeNode(profile: ProfileName): Promise<RunningServer> {
  const dir = mkdtempSync(join(work, 'node-'));
  const source = withTestFiles(profileSnippets(profile).node, leafFor(profile));
  const listen = 'server.listen(443);';
  assert.ok(source.includes(listen));
  const file = join(dir, 'server.mjs');
  writeFileSync(
    file,
    source.replace(
      listen,
      "server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));",
    ),
  );
  return launch({
    name: 'node snippet',
    cmd: process.execPath,
    args: [file],
    tmpDir: dir,
    port: (output) => {
      const m = /^LISTENING (\d+)$/m.exec(output);
      return m?.[1] === undefined ? undefined : Number(m[1]);
    },
    timeoutMs: 10_000,
  });
}

/** Whether a TLS 1.3 handshake offering only `group` (a Node 24 / OpenSSL 3.5 client) succeeds. */
function acceptsGroup(server: Endpoint, group: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({
      host: server.host,
      port: server.port,
      servername: 'localhost',
      ecdhCurve: group,
      minVersion: 'TLSv1.3',
      rejectUnauthorized: false,
    });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(5000, () => done(false));
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The Strict-Transport-Security header of an HTTPS GET /. */
function hstsHeader(server: Endpoint): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = get(
      { host: server.host, port: server.port, path: '/', rejectUnauthorized: false, timeout: 5000 },
      (res) => {
        res.resume();
        const value = res.headers['strict-transport-security'];
        resolve(Array.isArray(value) ? value[0] : value);
      },
    );
    req.on('timeout', () => req.destroy(new Error('GET / timed out')));
    req.on('error', reject);
  });
}

/**
 * What openssl s_client sees must be the profile: its versions and no other, a suite of its
 * list, the suite order it asks for, and nothing outside its list.
 */
async function assertServesProfile(profile: ProfileName, server: Endpoint): Promise<void> {
  const p = mozillaProfile(profile);
  const tls12Names = p.tls12Suites.map((s) => s.openssl);
  const tls13 = await handshake(server, 'TLSv1.3');
  assert.ok(tls13, `${profile}: TLS 1.3 handshake`);
  assert.ok(
    p.tls13Suites.some((s) => s.iana === tls13.suite),
    `${profile}: TLS 1.3 suite ${tls13.suite}`,
  );
  // A TLS 1.3 suite outside the profile is refused.
  assert.equal(
    await handshake(server, 'TLSv1.3', { ciphersuites: 'TLS_AES_128_CCM_SHA256' }),
    undefined,
    `${profile}: TLS_AES_128_CCM_SHA256 refused`,
  );
  if (profile === 'modern') {
    assert.equal(await handshake(server, 'TLSv1.2'), undefined, 'modern refuses TLS 1.2');
    return;
  }
  // Client order CHACHA20 first: a client-chooses server picks it, a server-chooses one
  // (old: AES128-GCM first in its list) does not.
  const kind = profile === 'old' ? 'RSA' : 'ECDSA';
  const offer = `ECDHE-${kind}-CHACHA20-POLY1305:ECDHE-${kind}-AES128-GCM-SHA256`;
  const ordered = await handshake(server, 'TLSv1.2', { cipher: offer });
  assert.equal(
    ordered?.suite,
    p.serverPreference ? `ECDHE-${kind}-AES128-GCM-SHA256` : `ECDHE-${kind}-CHACHA20-POLY1305`,
    `${profile}: cipher preference ${p.serverPreference ? 'server' : 'client'}`,
  );
  const tls12 = await handshake(server, 'TLSv1.2');
  assert.ok(tls12 && tls12Names.includes(tls12.suite), `${profile}: TLS 1.2 suite ${tls12?.suite}`);
  // Static-RSA AES-CBC: in old's list, outside intermediate's.
  const cbc = await handshake(server, 'TLSv1.2', { cipher: 'AES128-SHA:@SECLEVEL=0' });
  assert.equal(cbc?.suite, profile === 'old' ? 'AES128-SHA' : undefined, `${profile}: AES128-SHA`);
  assert.equal(
    await handshake(server, 'TLSv1.2', { cipher: 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' }),
    undefined,
    `${profile}: DHE refused`,
  );
  const tls10 = await handshake(server, 'TLSv1.0');
  if (profile === 'old') {
    // Server order: the first suite of old's list that TLS 1.0 and an RSA key allow.
    assert.equal(tls10?.suite, 'ECDHE-RSA-AES128-SHA', 'old: TLS 1.0 in the server order');
  } else {
    assert.equal(tls10, undefined, `${profile} refuses TLS 1.0`);
    assert.equal(await handshake(server, 'TLSv1.1'), undefined, `${profile} refuses TLS 1.1`);
  }
}

describe('nginx accepts every nginx snippet', () => {
  for (const profile of PROFILE_NAMES) {
    test(`${profile}: the whole configuration passes nginx -t`, async () => {
      const snippet = profileSnippets(profile, { openssl: nginxOpenssl }).nginx;
      const http = withTestFiles(snippet, leafFor(profile)).replace(
        /listen (\[::\]:)?443/g,
        'listen 127.0.0.1:8443',
      );
      const r = await nginxTest(http.replace(/^\s*listen 127\.0\.0\.1:8443 ssl;\n/m, ''));
      assert.ok(r.ok, r.said);
      assert.match(r.said, /test is successful/);
    });
    for (const aspect of SNIPPET_ASPECTS) {
      test(`${profile}: the ${aspect} snippet passes nginx -t`, async () => {
        const snippet = aspectSnippets(profile, aspect, { openssl: nginxOpenssl }).nginx;
        const r = await nginxTest(serverWith(snippet, leafFor(profile)));
        assert.ok(r.ok, r.said);
      });
    }
  }

  test('nginx -t can fail: a group its OpenSSL lacks is refused', async (t) => {
    if (!/^3\.[0-4]\./.test(nginxOpenssl)) {
      t.skip(`nginx runs with OpenSSL ${nginxOpenssl}, which knows X25519MLKEM768`);
      return;
    }
    // Written for OpenSSL 3.5: the snippet names X25519MLKEM768, which 3.0 cannot set.
    const r = await nginxTest(serverWith(aspectSnippets('modern', 'groups').nginx, pki.ecdsa));
    assert.equal(r.ok, false);
    assert.match(r.said, /ssl_ecdh_curve|SSL_CTX_set1_curves_list|X25519MLKEM768/);
  });
});

describe('nginx serves the whole configuration as the profile says', () => {
  for (const profile of PROFILE_NAMES) {
    test(profile, async () => {
      const server = await startWholeNginx(profile);
      try {
        await assertServesProfile(profile, server);
        assert.equal(await acceptsGroup(server, 'X25519'), true, 'X25519 accepted');
        assert.equal(await acceptsGroup(server, 'secp521r1'), false, 'secp521r1 refused');
        assert.equal(await hstsHeader(server), 'max-age=63072000');
      } finally {
        await server.stop();
      }
    });
  }
});

describe('the whole Node snippet runs and serves the profile', () => {
  for (const profile of PROFILE_NAMES) {
    test(profile, async () => {
      const server = await startWholeNode(profile);
      try {
        await assertServesProfile(profile, server);
        // Node 24 brings OpenSSL 3.5: the post-quantum hybrid is on, secp521r1 is not.
        assert.equal(await acceptsGroup(server, 'X25519MLKEM768'), true, 'X25519MLKEM768');
        assert.equal(await acceptsGroup(server, 'secp521r1'), false, 'secp521r1 refused');
        assert.equal(await hstsHeader(server), 'max-age=63072000');
      } finally {
        await server.stop();
      }
    });
  }
});

describe('a node:tls server made from nodeTlsOptions answers openssl s_client', () => {
  let server: Server | undefined;
  after(() => server?.close());

  for (const profile of ['modern', 'intermediate'] as const) {
    test(profile, async () => {
      const leaf = leafFor(profile);
      const [cert, key] = await Promise.all([readFile(leaf.chain), readFile(leaf.key)]);
      server = createServer({ ...nodeTlsOptions(profile), cert, key }, (socket) => socket.end());
      const listening = server;
      await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
      const address = listening.address();
      assert.ok(typeof address === 'object' && address !== null);
      try {
        await assertServesProfile(profile, { host: '127.0.0.1', port: address.port });
      } finally {
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        server = undefined;
      }
    });
  }
});
