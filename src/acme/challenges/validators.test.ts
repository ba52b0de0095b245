// The three validators against servers made in the test, well-behaved and not.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { keyAuthorization } from './key-authorization.ts';
import { validateHttp01 } from './http-01.ts';
import { validateTlsAlpn01 } from './tls-alpn-01.ts';
import type { ValidationOutcome, ValidationSettings, ValidationTarget } from './types.ts';
import {
  type HttpResponder,
  type TlsAlpnResponder,
  startHttpResponder,
  startTlsAlpnResponder,
} from '../testdata/responders.ts';

let http: HttpResponder;
let tls: TlsAlpnResponder;
let settings: ValidationSettings;

before(async () => {
  http = await startHttpResponder();
  tls = await startTlsAlpnResponder();
  settings = {
    http01Port: http.port,
    tlsAlpn01Port: tls.port,
    connectHost: '127.0.0.1',
    timeoutMs: 2000,
  };
});
after(async () => {
  await http.close();
  await tls.close();
});

let n = 0;
function target(value = 'v.test', type: 'dns' | 'ip' = 'dns'): ValidationTarget {
  const token = `token-${++n}`;
  return { identifier: { type, value }, token, keyAuthorization: keyAuthorization(token, 'thumb') };
}

const run = (
  validate: typeof validateHttp01,
  t: ValidationTarget,
  s = settings,
): Promise<ValidationOutcome> => validate(t, s, AbortSignal.timeout(s.timeoutMs));

function failed(outcome: ValidationOutcome, type: string, detail?: RegExp): void {
  assert.equal(outcome.valid, false, 'validation should fail');
  if (outcome.valid) return;
  assert.equal(outcome.problem.type, `urn:ietf:params:acme:error:${type}`, outcome.problem.detail);
  if (detail !== undefined) assert.match(outcome.problem.detail, detail);
}

test('http-01: the key authorization, whitespace around it ignored, is valid; the Host is the identifier', async () => {
  const t = target('host.test');
  http.routes.set(t.token, `\n ${t.keyAuthorization}\r\n`);
  assert.deepEqual(await run(validateHttp01, t), { valid: true });
  assert.equal(http.requests.at(-1)?.host, `host.test:${http.port}`);
  assert.equal(http.requests.at(-1)?.path, `/.well-known/acme-challenge/${t.token}`);
});

test('http-01: a wrong body, a 404, a redirect, a huge body, a slow server and a closed port all fail', async () => {
  const wrong = target();
  http.routes.set(wrong.token, `${wrong.keyAuthorization}x`);
  failed(await run(validateHttp01, wrong), 'incorrectResponse');
  failed(await run(validateHttp01, target()), 'unauthorized', /HTTP 404/);
  const redirect = target();
  http.routes.set(redirect.token, (_req, res) =>
    res.writeHead(302, { location: 'http://127.0.0.1/' }).end(),
  );
  failed(await run(validateHttp01, redirect), 'unauthorized', /not followed/);
  const huge = target();
  http.routes.set(huge.token, (_req, res) => {
    res.writeHead(200);
    res.end(Buffer.alloc(1024 * 1024, 'a'));
  });
  failed(await run(validateHttp01, huge), 'incorrectResponse', /8192/);
  const slow = target();
  http.routes.set(slow.token, (_req, res) => {
    res.writeHead(200);
    res.write(slow.keyAuthorization.slice(0, 5)); // and never ends
  });
  const started = Date.now();
  failed(
    await run(validateHttp01, slow, { ...settings, timeoutMs: 300 }),
    'connection',
    /within 300 ms/,
  );
  assert.ok(Date.now() - started < 3000);
  const closed = await closedPort();
  failed(
    await run(validateHttp01, target(), { ...settings, http01Port: closed }),
    'connection',
    /ECONNREFUSED/,
  );
});

test('http-01: an unresolvable name fails with a dns problem', async () => {
  const noOverride = {
    http01Port: settings.http01Port,
    tlsAlpn01Port: settings.tlsAlpn01Port,
    timeoutMs: 2000,
  };
  failed(await run(validateHttp01, target('nothing.invalid'), noOverride), 'dns');
});

test('tls-alpn-01: the RFC 8737 certificate for a name, and for an IP by its reverse name, is valid', async () => {
  const t = target('alpn.test');
  tls.set('alpn.test', { dns: ['alpn.test'], keyAuthorization: t.keyAuthorization });
  assert.deepEqual(await run(validateTlsAlpn01, t), { valid: true });
  const ip = target('127.0.0.7', 'ip');
  tls.set('7.0.0.127.in-addr.arpa', { ips: ['127.0.0.7'], keyAuthorization: ip.keyAuthorization });
  assert.deepEqual(await run(validateTlsAlpn01, ip), { valid: true });
  const v6 = target('::1', 'ip');
  const reverse6 = `${'0.'.repeat(0)}1.${'0.'.repeat(31)}ip6.arpa`;
  tls.set(reverse6, { ips: ['::1'], keyAuthorization: v6.keyAuthorization });
  assert.deepEqual(await run(validateTlsAlpn01, v6), { valid: true });
  assert.ok(tls.servernames.includes(reverse6));
});

test('tls-alpn-01: a wrong digest, a non-critical extension, extra or wrong names, no extension fail', async () => {
  const cases: [string, Parameters<TlsAlpnResponder['set']>[1], string][] = [
    ['digest.test', { dns: ['digest.test'], keyAuthorization: 'other' }, 'digest'],
    [
      'critical.test',
      { dns: ['critical.test'], keyAuthorization: 'K', critical: false },
      'critical',
    ],
    ['extra.test', { dns: ['extra.test', 'more.test'], keyAuthorization: 'K' }, 'subjectAltName'],
    ['wrong.test', { dns: ['other.test'], keyAuthorization: 'K' }, 'subjectAltName'],
    ['none.test', { dns: ['none.test'] }, 'acmeIdentifier'],
  ];
  for (const [name, spec, why] of cases) {
    const t = target(name);
    tls.set(name, {
      ...spec,
      ...(spec.keyAuthorization === 'K' ? { keyAuthorization: t.keyAuthorization } : {}),
    });
    failed(await run(validateTlsAlpn01, t), 'incorrectResponse', new RegExp(why));
  }
});

test('tls-alpn-01: a server without acme-tls/1, an unknown name and a closed port fail', async () => {
  // A server speaking other protocols refuses the handshake; one ignoring ALPN completes it without.
  for (const [protocols, why] of [
    [['http/1.1'], /NO_APPLICATION_PROTOCOL/],
    [[], /did not negotiate acme-tls\/1/],
  ] as const) {
    const other = await startTlsAlpnResponder(protocols);
    try {
      const t = target('noalpn.test');
      other.set('noalpn.test', { dns: ['noalpn.test'], keyAuthorization: t.keyAuthorization });
      failed(
        await run(validateTlsAlpn01, t, { ...settings, tlsAlpn01Port: other.port }),
        'tls',
        why,
      );
    } finally {
      await other.close();
    }
  }
  const unknown = await run(validateTlsAlpn01, target('unknown-sni.test'));
  assert.equal(unknown.valid, false);
  failed(
    await run(validateTlsAlpn01, target(), { ...settings, tlsAlpn01Port: await closedPort() }),
    'connection',
  );
});

test('tls-alpn-01: a peer that accepts TCP and never answers times out', async () => {
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  try {
    failed(
      await run(validateTlsAlpn01, target(), { ...settings, tlsAlpn01Port: port, timeoutMs: 300 }),
      'connection',
      /300 ms/,
    );
  } finally {
    silent.close();
  }
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
