// The CA served by the built CLI, driven by real ACME clients from Debian (certbot, lego)
// and checked by real relying parties (openssl verify, openssl ocsp, curl): issue, renew,
// revoke, and see the revocation in OCSP and the CRL.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { certbot, lego, type AcmeClientContext } from '../helpers/acme-clients.ts';
import { pemCertificates, startServedCa, type ServedCa } from '../helpers/ca-serve.ts';
import { exec } from '../helpers/exec.ts';

let served: ServedCa;

before(async () => {
  served = await startServedCa();
});
after(() => served.stop());

/** `openssl verify` of a leaf against the CA's root, with the chain the client saved. */
async function verify(leaf: string, untrusted: string, extra: readonly string[] = []) {
  return exec('openssl', [
    'verify',
    '-CAfile',
    served.rootPem,
    '-untrusted',
    untrusted,
    ...extra,
    leaf,
  ]);
}

/** What the CA's OCSP responder says of a leaf, as `openssl ocsp` prints it. */
async function ocspStatus(leaf: string): Promise<string> {
  const r = await exec('openssl', [
    'ocsp',
    '-issuer',
    served.intermediatePem,
    '-cert',
    leaf,
    '-url',
    `${served.httpUrl}/ocsp`,
    '-CAfile',
    served.rootPem,
    '-verify_other',
    served.intermediatePem,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr + r.stdout, /Response verify OK/);
  return r.stdout;
}

function serialOf(pem: string): Promise<string> {
  const file = join(served.home, `serial-${Math.random().toString(16).slice(2)}.pem`);
  writeFileSync(file, pem);
  return exec('openssl', ['x509', '-in', file, '-noout', '-serial']).then((r) => r.stdout.trim());
}

describe('certbot against wiretight ca serve', () => {
  let ctx: AcmeClientContext;
  const name = 'certbot.wiretight.test';
  const live = () => join(ctx.home, 'config', 'live', 'cb');
  before(() => {
    ctx = { server: served.directory, rootPem: served.rootPem, home: join(served.home, 'certbot') };
  });

  test('certonly --standalone obtains a certificate that openssl verifies against root.pem', async () => {
    await certbot(ctx, [
      'certonly',
      '--standalone',
      '--server',
      served.directory,
      '--agree-tos',
      '--register-unsafely-without-email',
      '--http-01-port',
      String(served.http01Port),
      '--http-01-address',
      '127.0.0.1',
      '--cert-name',
      'cb',
      '-d',
      name,
    ]);
    const r = await verify(join(live(), 'cert.pem'), join(live(), 'chain.pem'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: OK/);
    const text = await exec('openssl', [
      'x509',
      '-in',
      join(live(), 'cert.pem'),
      '-noout',
      '-text',
    ]);
    assert.match(text.stdout, new RegExp(`DNS:${name.replace(/\./g, '\\.')}`));
    assert.match(text.stdout, /OCSP - URI:http:\/\/127\.0\.0\.1/);
    assert.match(text.stdout, /URI:http:\/\/127\.0\.0\.1:\d+\/crl/);
    assert.match(await ocspStatus(join(live(), 'cert.pem')), /: good/);
  });

  test('renew --force-renewal gets a new certificate for the same name', async () => {
    const before = await serialOf(readFileSync(join(live(), 'cert.pem'), 'utf8'));
    // Non-interactive renewals sleep a random few minutes first, to spread load on public CAs.
    await certbot(ctx, [
      'renew',
      '--cert-name',
      'cb',
      '--force-renewal',
      '--no-random-sleep-on-renew',
    ]);
    const renewed = await serialOf(readFileSync(join(live(), 'cert.pem'), 'utf8'));
    assert.notEqual(renewed, before);
    assert.equal((await verify(join(live(), 'cert.pem'), join(live(), 'chain.pem'))).code, 0);
  });

  test('revoke: OCSP says revoked, the CRL lists it and openssl verify -crl_check rejects it', async () => {
    const leaf = join(live(), 'cert.pem');
    await certbot(ctx, [
      'revoke',
      '--cert-name',
      'cb',
      '--reason',
      'keycompromise',
      '--no-delete-after-revoke',
      '--server',
      served.directory,
    ]);
    const status = await ocspStatus(leaf);
    assert.match(status, /: revoked/);
    assert.match(status, /Reason: keyCompromise/);

    const crl = await fetch(`${served.httpUrl}/crl`);
    assert.equal(crl.status, 200);
    const crlDer = join(served.home, 'crl.der');
    writeFileSync(crlDer, Buffer.from(await crl.arrayBuffer()));
    const crlPem = join(served.home, 'crl.pem');
    const conv = await exec('openssl', ['crl', '-inform', 'DER', '-in', crlDer, '-out', crlPem]);
    assert.equal(conv.code, 0, conv.stderr);
    const listed = await exec('openssl', ['crl', '-in', crlPem, '-noout', '-text']);
    const serial = (await serialOf(readFileSync(leaf, 'utf8'))).replace('serial=', '');
    assert.match(listed.stdout.replace(/\s/g, ''), new RegExp(`SerialNumber:${serial}`, 'i'));
    const r = await verify(leaf, join(live(), 'chain.pem'), ['-crl_check', '-CRLfile', crlPem]);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /certificate revoked/);
  });
});

for (const challenge of ['http', 'tls'] as const) {
  describe(`lego --${challenge} against wiretight ca serve`, () => {
    let ctx: AcmeClientContext;
    const name = `lego-${challenge}.wiretight.test`;
    const port = () =>
      `127.0.0.1:${challenge === 'http' ? served.http01Port : served.tlsAlpn01Port}`;
    const solver = () => [`--${challenge}`, `--${challenge}.port`, port(), '--domains', name];
    const bundle = () => join(ctx.home, 'certificates', `${name}.crt`);
    before(() => {
      ctx = {
        server: served.directory,
        rootPem: served.rootPem,
        home: join(served.home, `lego-${challenge}`),
      };
    });

    test('run obtains a chain that openssl verifies against root.pem', async () => {
      await lego(ctx, [...solver(), 'run']);
      const [leaf, ...rest] = pemCertificates(bundle());
      assert.ok(leaf !== undefined && rest.length === 1, 'leaf and intermediate');
      const leafFile = join(ctx.home, 'leaf.pem');
      const chainFile = join(ctx.home, 'chain.pem');
      writeFileSync(leafFile, leaf);
      writeFileSync(chainFile, rest.join(''));
      const r = await verify(leafFile, chainFile);
      assert.equal(r.code, 0, r.stderr);
      assert.match(await ocspStatus(leafFile), /: good/);
    });

    test('renew gets a new certificate', async () => {
      const before = await serialOf(pemCertificates(bundle())[0] ?? '');
      await lego(ctx, [...solver(), 'renew', '--days', '90', '--no-random-sleep']);
      assert.notEqual(await serialOf(pemCertificates(bundle())[0] ?? ''), before);
    });

    test('revoke makes OCSP answer revoked', async () => {
      const leafFile = join(ctx.home, 'renewed-leaf.pem');
      writeFileSync(leafFile, pemCertificates(bundle())[0] ?? '');
      await lego(ctx, ['--domains', name, 'revoke']);
      assert.match(await ocspStatus(leafFile), /: revoked/);
    });
  });
}

describe('the mTLS renewal endpoint', () => {
  test('a client certificate from the CA gets a new one for the same names; none gets 403', async () => {
    const key = join(served.home, 'svc.key');
    const cert = join(served.home, 'svc.pem');
    const issued = await served.ca([
      'issue',
      'svc.wiretight.test',
      '--usage',
      'both',
      '--key-out',
      key,
      '--out',
      cert,
    ]);
    assert.equal(issued.code, 0, issued.stderr);
    const renewed = await exec('curl', [
      '-sS',
      '--fail-with-body',
      '--cacert',
      served.rootPem,
      '--cert',
      cert,
      '--key',
      key,
      '-X',
      'POST',
      `${served.url}/renew`,
    ]);
    assert.equal(renewed.code, 0, renewed.stderr + renewed.stdout);
    const [leaf, intermediate] =
      renewed.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ??
      [];
    assert.ok(leaf !== undefined && intermediate !== undefined);
    assert.notEqual(await serialOf(leaf), await serialOf(readFileSync(cert, 'utf8')));
    const text = await exec('openssl', ['x509', '-noout', '-text'], { input: leaf });
    assert.match(text.stdout, /DNS:svc\.wiretight\.test/);

    const anonymous = await exec('curl', [
      '-sS',
      '--cacert',
      served.rootPem,
      '-X',
      'POST',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `${served.url}/renew`,
    ]);
    assert.equal(anonymous.stdout, '403');
  });
});

describe('/metrics and /healthz', () => {
  test('the CA and ACME series count what the clients above did', async () => {
    const r = await exec('curl', ['-sS', '--cacert', served.rootPem, `${served.url}/metrics`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /wiretight_ca_issuances_total\{result="issued",provisioner="acme"\} [1-9]/,
    );
    assert.match(r.stdout, /wiretight_ca_revocations_total\{reason="keyCompromise"\} [1-9]/);
    assert.match(r.stdout, /wiretight_acme_orders_total\{state="valid"\} [1-9]/);
    assert.match(r.stdout, /wiretight_ca_ocsp_responses_total\{status="revoked"\} [1-9]/);
    assert.match(r.stdout, /wiretight_ca_crl_age_seconds \d/);
    // The same events in the audit trail, written by the service.
    const audit = readFileSync(join(served.dir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event?: string; provisioner?: string; reason?: string });
    assert.ok(audit.some((e) => e.event === 'ca.issued' && e.provisioner === 'acme'));
    assert.ok(audit.some((e) => e.event === 'ca.revoked' && e.reason === 'keyCompromise'));
    const health = await exec('curl', ['-sS', '--cacert', served.rootPem, `${served.url}/healthz`]);
    assert.equal((JSON.parse(health.stdout) as { status: string }).status, 'ok');
  });
});
