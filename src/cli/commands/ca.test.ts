import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pem } from '../../ca/der-writer.ts';
import { makeCsr } from '../../ca/testdata/csr.ts';
import { pemCertificates } from '../../pki/pem.ts';
import type { CliIo } from '../io.ts';
import { run } from '../run.ts';

const PASSPHRASE = 'correct horse battery staple';
const scratch = mkdtempSync(join(tmpdir(), 'wiretight-ca-cli-'));
const dir = join(scratch, 'ca');
const file = (name: string): string => join(scratch, name);
after(() => rmSync(scratch, { recursive: true, force: true }));

function capture(env: Record<string, string> = { WIRETIGHT_CA_PASSPHRASE: PASSPHRASE }) {
  const io = {
    out: '',
    err: '',
    stdoutIsTty: false,
    env,
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  } satisfies CliIo & { out: string; err: string };
  return io;
}

async function ca(args: string[], env?: Record<string, string>) {
  const io = capture(env);
  const code = await run(['ca', ...args], io);
  return { code, out: io.out, err: io.err };
}

const json = (out: string): Record<string, unknown> => JSON.parse(out) as Record<string, unknown>;

before(async () => {
  const r = await ca([
    'init',
    '--dir',
    dir,
    '--permit-dns',
    '.svc.internal',
    '--permit-ip',
    '10.0.0.0/8',
    '--url',
    'http://127.0.0.1:9',
    '-f',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
});

test('help: every ca command has examples and the exit codes', async () => {
  const top = await ca(['--help']);
  assert.equal(top.code, 0);
  for (const sub of ['init', 'issue', 'renew', 'revoke', 'list', 'crl']) {
    assert.match(top.out, new RegExp(`\\b${sub}\\b`));
    const help = await ca([sub, '--help']);
    assert.equal(help.code, 0, sub);
    assert.match(help.out, /Examples:\n {2}\$ wiretight ca /, sub);
    assert.match(help.out, /Exit codes:\n {2}0 {2}done/, sub);
  }
});

test('init: JSON says what was made; a second init of the directory exits 2', async () => {
  const fresh = join(scratch, 'fresh');
  const r = await ca([
    'init',
    '--dir',
    fresh,
    '--name',
    'Test CA',
    '--spiffe-domain',
    'example.org',
    '-f',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const doc = json(r.out);
  assert.equal(doc['name'], 'Test CA');
  assert.equal((doc['policy'] as { spiffe: string }).spiffe, 'example.org');
  assert.ok(existsSync(join(fresh, 'ca.db')));
  const again = await ca(['init', '--dir', fresh]);
  assert.equal(again.code, 2);
  assert.match(again.err, /holds a CA already .*\[WT_ERR_CA_DIR\]/);
  const text = await ca(['init', '--dir', join(scratch, 'empty-policy')]);
  assert.equal(text.code, 0);
  assert.match(text.out, /The policy allows no names yet/);
  const bad = await ca(['init', '--dir', join(scratch, 'bad'), '--permit-ip', '10.0.0.0/99']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /prefix length must be 0\.\.32 \[WT_ERR_CLI_USAGE\]/);
  assert.equal(existsSync(join(scratch, 'bad', 'ca.json')), false);
});

test('passphrase: from a file (first line), else the environment; none or empty exits 2', async () => {
  writeFileSync(file('pass.txt'), `${PASSPHRASE}\nignored second line\n`);
  const viaFile = await ca(['crl', '--dir', dir, '--passphrase-file', file('pass.txt')], {});
  assert.equal(viaFile.code, 0, viaFile.err);
  const none = await ca(['crl', '--dir', dir], {});
  assert.equal(none.code, 2);
  assert.match(
    none.err,
    /no passphrase for the CA keys: give --passphrase-file FILE, set WIRETIGHT_CA_PASSPHRASE/,
  );
  writeFileSync(file('empty.txt'), '\n');
  const empty = await ca(['crl', '--dir', dir, '--passphrase-file', file('empty.txt')], {});
  assert.equal(empty.code, 2);
  assert.match(empty.err, /is empty \[WT_ERR_CA_PASSPHRASE\]/);
  const wrong = await ca(['crl', '--dir', dir], { WIRETIGHT_CA_PASSPHRASE: 'not it at all' });
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /does not decrypt .*intermediate\.key \[WT_ERR_CA_PASSPHRASE\]/);
  const missing = await ca(['crl', '--dir', dir, '--passphrase-file', file('nope.txt')], {});
  assert.equal(missing.code, 2);
});

test('issue with --key-out: key 0600, certificate and chain written; the key is never overwritten', async () => {
  const r = await ca([
    'issue',
    '--dir',
    dir,
    'api.svc.internal',
    '--ip',
    '10.1.1.1',
    '--key-out',
    file('api.key'),
    '--out',
    file('api.pem'),
    '--chain-out',
    file('api-chain.pem'),
    '--usage',
    'both',
    '--lifetime',
    '2h',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^issued [0-9a-f]{32} for api\.svc\.internal, 10\.1\.1\.1\n/);
  assert.equal(statSync(file('api.key')).mode & 0o777, 0o600);
  const cert = new X509Certificate(readFileSync(file('api.pem')));
  assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(file('api.key')))));
  assert.equal(cert.validToDate.getTime() - cert.validFromDate.getTime(), 2 * 3600_000 + 60_000);
  assert.equal(pemCertificates(readFileSync(file('api-chain.pem'), 'utf8')).length, 2);
  const again = await ca(['issue', '--dir', dir, 'api.svc.internal', '--key-out', file('api.key')]);
  assert.equal(again.code, 2);
  assert.match(again.err, /exists already; wiretight never overwrites a key/);
});

test('issue: the PEM on stdout without --out, JSON on request; refusals exit 1, usage mistakes 2', async () => {
  const plain = await ca(['issue', '--dir', dir, 'web.svc.internal', '--key-out', file('web.key')]);
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.out, /^-----BEGIN CERTIFICATE-----\n[^]*-----END CERTIFICATE-----\n$/);
  assert.match(plain.err, /^issued /);
  const viaJson = await ca([
    'issue',
    '--dir',
    dir,
    'j.svc.internal',
    '--key-out',
    file('j.key'),
    '-f',
    'json',
  ]);
  const doc = json(viaJson.out);
  assert.equal(doc['status'], 'valid');
  assert.deepEqual(doc['identifiers'], [{ type: 'dns', value: 'j.svc.internal' }]);
  assert.match(String(doc['chainPem']), /BEGIN CERTIFICATE[^]*BEGIN CERTIFICATE/);
  assert.equal((doc['files'] as { key: string }).key, file('j.key'));

  const refused = await ca([
    'issue',
    '--dir',
    dir,
    'www.example.com',
    '--key-out',
    file('www.key'),
  ]);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /dns:www\.example\.com is not allowed.*\[WT_ERR_CA_POLICY\]/);
  assert.equal(existsSync(file('www.key')), false, 'no key left behind for a refused request');
  const refusedJson = await ca([
    'issue',
    '--dir',
    dir,
    'www.example.com',
    '--key-out',
    file('www.key'),
    '--format',
    'json',
  ]);
  assert.equal(json(refusedJson.out)['error'] !== undefined, true);
  for (const args of [
    ['issue', '--dir', dir, 'a.svc.internal'],
    ['issue', '--dir', dir, '--key-out', file('n.key')],
    ['issue', '--dir', dir, 'a.svc.internal', '--csr', file('x.csr'), '--key-out', file('n.key')],
    ['issue', '--dir', dir, 'a.svc.internal', '--key-out', file('n.key'), '--lifetime', 'soon'],
    ['issue', '--dir', dir, 'a.svc.internal', '--key-out', file('n.key'), '--usage', 'mail'],
    ['issue', '--dir', join(scratch, 'not-a-ca'), 'a.svc.internal', '--key-out', file('n.key')],
  ]) {
    const r = await ca(args);
    assert.equal(r.code, 2, args.join(' '));
  }
  assert.equal(existsSync(join(scratch, 'not-a-ca', 'ca.db')), false);
});

test('issue --csr and renew: the CSR names and key; renew keeps names, changes serial', async () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(
    file('svc.csr'),
    pem(
      'CERTIFICATE REQUEST',
      makeCsr({ ...key, names: [{ type: 'dns', value: 'svc.svc.internal' }] }),
    ),
  );
  const issued = await ca([
    'issue',
    '--dir',
    dir,
    '--csr',
    file('svc.csr'),
    '--out',
    file('svc.pem'),
    '-f',
    'json',
  ]);
  assert.equal(issued.code, 0, issued.err);
  const first = json(issued.out);
  const renewed = await ca(['renew', '--dir', dir, '--cert', file('svc.pem'), '-f', 'json']);
  assert.equal(renewed.code, 0, renewed.err);
  const second = json(renewed.out);
  assert.notEqual(second['serial'], first['serial']);
  assert.deepEqual(second['identifiers'], first['identifiers']);
  assert.equal(second['provisioner'], 'renew');
  writeFileSync(file('garbage.csr'), 'not a csr');
  const bad = await ca(['issue', '--dir', dir, '--csr', file('garbage.csr')]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /\[WT_ERR_CA_CSR\]/);
  const revoke = await ca([
    'revoke',
    '--dir',
    dir,
    '--cert',
    file('svc.pem'),
    '--reason',
    'superseded',
    '-f',
    'json',
  ]);
  assert.equal(revoke.code, 0, revoke.err);
  assert.equal(json(revoke.out)['reason'], 'superseded');
  const late = await ca(['renew', '--dir', dir, '--cert', file('svc.pem')]);
  assert.equal(late.code, 1);
  assert.match(late.err, /\[WT_ERR_CA_REVOKED\]/);
  writeFileSync(file('notcert.pem'), 'hello');
  assert.equal((await ca(['renew', '--dir', dir, '--cert', file('notcert.pem')])).code, 2);
});

test('revoke: by serial in any spelling; unknown serials exit 1; --serial and --cert are exclusive', async () => {
  const issued = json(
    (
      await ca([
        'issue',
        '--dir',
        dir,
        'rv.svc.internal',
        '--key-out',
        file('rv.key'),
        '-f',
        'json',
      ])
    ).out,
  );
  const serial = String(issued['serial']).toUpperCase().match(/../g)!.join(':');
  const r = await ca(['revoke', '--dir', dir, '--serial', serial, '--reason', 'keyCompromise']);
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /^revoked [0-9a-f]{32} \(rv\.svc\.internal\), reason keyCompromise\n {2}CRL #\d+ signed/,
  );
  // The audit trail holds the issuance and the revocation, and is private to the CA's owner.
  const audit = readFileSync(join(dir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['serial'] === issued['serial']);
  assert.deepEqual(
    audit.map((line) => line['event']),
    ['ca.issued', 'ca.revoked'],
  );
  assert.equal(statSync(join(dir, 'audit.log')).mode & 0o777, 0o600);
  assert.equal((await ca(['revoke', '--dir', dir, '--serial', '01'.repeat(16)])).code, 1);
  assert.equal((await ca(['revoke', '--dir', dir, '--serial', serial])).code, 1);
  assert.equal((await ca(['revoke', '--dir', dir])).code, 2);
  assert.equal((await ca(['revoke', '--dir', dir, '--serial', 'zz'])).code, 2);
  assert.equal(
    (await ca(['revoke', '--dir', dir, '--serial', '01', '--reason', 'removeFromCRL'])).code,
    2,
  );
});

test('list: a table or JSON, filtered, limited — without any passphrase', async () => {
  const table = await ca(['list', '--dir', dir], {});
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^SERIAL +NAMES +USAGE +NOT AFTER +DAYS +STATUS\n/);
  assert.match(table.out, /api\.svc\.internal, 10\.1\.1\.1 +both/);
  assert.match(table.out, /revoked\n/);
  const revoked = json(
    (await ca(['list', '--dir', dir, '--status', 'revoked', '-f', 'json'], {})).out,
  );
  const rows = revoked['certificates'] as { status: string }[];
  assert.ok(rows.length >= 2 && rows.every((c) => c.status === 'revoked'));
  const soon = json((await ca(['list', '--dir', dir, '--expiring', '3h', '-f', 'json'], {})).out);
  assert.deepEqual(
    (soon['certificates'] as { identifiers: { value: string }[] }[]).map(
      (c) => c.identifiers[0]?.value,
    ),
    ['api.svc.internal'],
  );
  const limited = await ca(['list', '--dir', dir, '--limit', '1'], {});
  assert.match(limited.out, /\(the first 1; raise --limit for more\)\n$/);
  assert.equal(
    json((await ca(['list', '--dir', dir, '--limit', '1', '-f', 'json'], {})).out)['truncated'],
    true,
  );
  assert.equal((await ca(['list', '--dir', dir, '--limit', '0'], {})).code, 2);
  assert.equal((await ca(['list', '--dir', join(scratch, 'nothing-here')], {})).code, 2);
});

test('crl: PEM to stdout or a file, DER to a file only', async () => {
  const pemOut = await ca(['crl', '--dir', dir]);
  assert.equal(pemOut.code, 0, pemOut.err);
  assert.match(pemOut.out, /^-----BEGIN X509 CRL-----\n/);
  const der = await ca(['crl', '--dir', dir, '--format', 'der', '--out', file('ca.crl')]);
  assert.equal(der.code, 0, der.err);
  assert.match(der.out, /^CRL #\d+ \(der\) → /);
  assert.equal(readFileSync(file('ca.crl'))[0], 0x30);
  assert.equal((await ca(['crl', '--dir', dir, '--format', 'der'])).code, 2);
});
