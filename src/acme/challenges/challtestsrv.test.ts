// The validators against pebble-challtestsrv, Let's Encrypt's own challenge responder:
// an implementation of the three challenges written independently of ours.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ChallTestSrv, startChallTestSrv } from '../testdata/challtestsrv.ts';
import { validateDns01 } from './dns-01.ts';
import { validateHttp01 } from './http-01.ts';
import { keyAuthorization, keyAuthorizationDigest } from './key-authorization.ts';
import { validateTlsAlpn01 } from './tls-alpn-01.ts';
import type { ValidationSettings, ValidationTarget } from './types.ts';

let srv: ChallTestSrv;
let settings: ValidationSettings;

before(async () => {
  srv = await startChallTestSrv();
  // No connectHost: names resolve through challtestsrv's DNS (A → 127.0.0.1), as in production.
  settings = {
    http01Port: srv.httpPort,
    tlsAlpn01Port: srv.tlsAlpnPort,
    dnsResolver: `127.0.0.1:${srv.dnsPort}`,
    timeoutMs: 3000,
  };
});
after(() => srv.stop());

let n = 0;
function target(value: string): ValidationTarget {
  const token = `tok${++n}abcdefghijklmnopqrstuvwxyz`;
  return {
    identifier: { type: 'dns', value },
    token,
    keyAuthorization: keyAuthorization(token, 'thumbprint'),
  };
}
const signal = (): AbortSignal => AbortSignal.timeout(settings.timeoutMs);

test('dns-01: the TXT record of the key authorization digest is valid; another value is not', async () => {
  const t = target('dns.challtest.test');
  await srv.setTxt(
    '_acme-challenge.dns.challtest.test',
    keyAuthorizationDigest(t.keyAuthorization).toString('base64url'),
  );
  assert.deepEqual(await validateDns01(t, settings, signal()), { valid: true });
  const wrong = target('wrong.challtest.test');
  await srv.setTxt('_acme-challenge.wrong.challtest.test', 'not-the-digest');
  const outcome = await validateDns01(wrong, settings, signal());
  assert.equal(outcome.valid, false);
  assert.match(outcome.valid ? '' : outcome.problem.type, /incorrectResponse/);
});

test('dns-01: no record is unauthorized; an unreachable DNS server is a dns problem', async () => {
  const missing = await validateDns01(target('none.challtest.test'), settings, signal());
  assert.match(missing.valid ? '' : missing.problem.type, /:unauthorized$/);
  assert.match(
    missing.valid ? '' : missing.problem.detail,
    /no TXT record at _acme-challenge\.none\.challtest\.test/,
  );
  const dead = await validateDns01(
    target('x.challtest.test'),
    { ...settings, dnsResolver: '127.0.0.1:9', timeoutMs: 500 },
    AbortSignal.timeout(500),
  );
  assert.equal(dead.valid, false);
  assert.match(dead.valid ? '' : dead.problem.type, /:dns$/);
});

test('http-01 against challtestsrv, the name resolved through its DNS', async () => {
  const t = target('http.challtest.test');
  await srv.addHttp01(t.token, t.keyAuthorization);
  assert.deepEqual(await validateHttp01(t, settings, signal()), { valid: true });
  const missing = await validateHttp01(target('http.challtest.test'), settings, signal());
  assert.equal(missing.valid, false);
});

test('tls-alpn-01 against challtestsrv', async () => {
  const t = target('alpn.challtest.test');
  await srv.addTlsAlpn01('alpn.challtest.test', t.keyAuthorization);
  assert.deepEqual(await validateTlsAlpn01(t, settings, signal()), { valid: true });
  const other = target('alpn.challtest.test');
  const outcome = await validateTlsAlpn01(other, settings, signal());
  assert.equal(outcome.valid, false);
});
