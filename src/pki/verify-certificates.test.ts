import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { type ChainEntry, describeCertificate } from './certificate-facts.ts';
import type { FetchRequest, Fetcher } from './fetcher.ts';
import {
  DAY,
  NOW,
  type TestCertificate,
  issue,
  makeChain,
  newKey,
  sharedKey,
} from './testdata/certificates.ts';
import { TrustStore } from './trust-store.ts';
import { type VerifyOptions, verifyCertificates } from './verify-certificates.ts';

const HOST = 'www.example.test';

const storeOf = (...roots: TestCertificate[]): TrustStore =>
  new TrustStore({
    mozilla: false,
    system: false,
    files: [{ path: 'roots.pem', certificates: roots.map((r) => r.der) }],
  });

type Sendable = TestCertificate | ChainEntry;
const entries = (chain: readonly Sendable[]): ChainEntry[] =>
  chain.map((c) => ('entry' in c ? c.entry : c));

function verify(
  chain: readonly Sendable[],
  trust: TrustStore,
  options: Partial<VerifyOptions> = {},
) {
  return verifyCertificates(entries(chain), {
    host: HOST,
    now: NOW,
    trust,
    fetcher: null,
    ...options,
  });
}

/** A fetcher serving fixed bodies by URL, recording what it was asked. */
function fakeFetcher(
  bodies: Record<string, Uint8Array | Error>,
): Fetcher & { calls: FetchRequest[] } {
  const calls: FetchRequest[] = [];
  const fetcher = async (req: FetchRequest): Promise<Uint8Array> => {
    calls.push(req);
    const body = bodies[req.url];
    if (body === undefined) throw new Error(`${req.url}: HTTP 404`);
    if (body instanceof Error) throw body;
    return body;
  };
  return Object.assign(fetcher, { calls });
}

/** The certificate with one bit of its signature flipped (still parseable). */
function tampered(cert: TestCertificate): ChainEntry {
  const der = Buffer.from(cert.der);
  der.writeUInt8(der.readUInt8(der.length - 1) ^ 1, der.length - 1);
  const r = describeCertificate(der);
  assert.ok(r.ok);
  return r.facts;
}

test('a complete chain to a CA-file root: trusted, ordered, matching, nothing weak', async () => {
  const { root, intermediate, leaf } = makeChain(HOST);
  const v = await verify([leaf, intermediate], storeOf(root));
  assert.deepEqual(v.trust, {
    trusted: true,
    reasons: [],
    anchorSource: 'file:roots.pem',
    publiclyTrusted: false,
  });
  assert.deepEqual(
    v.path.map((p) => [p.subject, p.source, p.position, p.anchor]),
    [
      [`CN=${HOST}`, 'sent', 0, false],
      ['CN=Test Intermediate', 'sent', 1, false],
      ['CN=Test Root', 'trust-store', null, true],
    ],
  );
  assert.equal(v.chain.ordered, true);
  assert.equal(v.chain.incomplete, false);
  assert.equal(v.hostname?.matchedBy, `DNS:${HOST}`);
  assert.ok(
    v.served.every((s) => s.inPath && s.key?.weak === false && s.signature?.weak === false),
  );
  assert.deepEqual(JSON.parse(JSON.stringify(v)), v, 'plain JSON');
});

test('a self-signed leaf that is not an anchor', async () => {
  const leaf = issue({ cn: HOST, dns: [HOST] });
  const v = await verify([leaf], storeOf(issue({ cn: 'Unrelated Root', ca: true })));
  assert.deepEqual(v.trust.reasons, ['self-signed']);
  assert.equal(v.chain.incomplete, false);
  assert.equal(v.path.length, 1);
});

test('a self-signed leaf that is itself an anchor (pinned with --ca) is trusted', async () => {
  const leaf = issue({ cn: HOST, dns: [HOST] });
  const v = await verify([leaf], storeOf(leaf));
  assert.equal(v.trust.trusted, true);
  assert.equal(v.served[0]?.anchor, true);
});

test('a sent root that is not an anchor: untrusted root, yet complete', async () => {
  const { root, intermediate, leaf } = makeChain(HOST);
  const v = await verify(
    [leaf, intermediate, root],
    storeOf(issue({ cn: 'Other Root', ca: true })),
  );
  assert.deepEqual(v.trust.reasons, ['untrusted-root']);
  assert.equal(v.chain.incomplete, false);
  assert.equal(v.chain.ordered, true);
});

test('leaf only, no AIA: unknown issuer and an incomplete chain naming the missing issuer', async () => {
  const { root, leaf } = makeChain(HOST);
  const v = await verify([leaf], storeOf(root));
  assert.deepEqual(v.trust.reasons, ['unknown-issuer']);
  assert.equal(v.chain.incomplete, true);
  assert.equal(v.chain.missingIssuer, 'CN=Test Intermediate');
  assert.equal(v.chain.trustedAfterCompletion, false);
});

test('AIA completes the chain: incomplete, trusted after completion, not trusted strictly', async () => {
  const root = issue({ cn: 'Test Root', ca: true });
  const intermediate = issue({ cn: 'Test Intermediate', ca: true, issuer: root });
  const url = 'http://aia.test/int.der';
  const leaf = issue({ cn: HOST, dns: [HOST], issuer: intermediate, caIssuers: [url] });
  const fetcher = fakeFetcher({ [url]: intermediate.der });
  const v = await verify([leaf], storeOf(root), { fetcher });
  assert.equal(v.chain.incomplete, true);
  assert.equal(v.chain.trustedAfterCompletion, true);
  assert.deepEqual(v.chain.aia, [{ url, outcome: 'issuer-found' }]);
  assert.deepEqual(v.trust.reasons, ['unknown-issuer']);
  assert.equal(v.path[1]?.source, 'fetched');
  assert.equal(v.path[2]?.anchor, true);
  assert.deepEqual(
    fetcher.calls.map((c) => [c.method, c.url, c.maxBytes <= 256 * 1024]),
    [['GET', url, true]],
  );
});

test('AIA answers in PEM and as a PKCS#7 bundle (made by openssl crl2pkcs7) are read', async () => {
  const root = issue({ cn: 'Test Root', ca: true });
  const intermediate = issue({ cn: 'Test Intermediate', ca: true, issuer: root });
  const dir = mkdtempSync(join(tmpdir(), 'wt-p7-'));
  try {
    writeFileSync(join(dir, 'int.pem'), intermediate.pem);
    execFileSync('openssl', [
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      join(dir, 'int.pem'),
      '-outform',
      'DER',
      '-out',
      join(dir, 'int.p7c'),
    ]);
    const p7c = new Uint8Array(readFileSync(join(dir, 'int.p7c')));
    for (const body of [p7c, new Uint8Array(Buffer.from(intermediate.pem))]) {
      const url = 'http://aia.test/int';
      const leaf = issue({ cn: HOST, dns: [HOST], issuer: intermediate, caIssuers: [url] });
      const v = await verify([leaf], storeOf(root), { fetcher: fakeFetcher({ [url]: body }) });
      assert.equal(v.chain.trustedAfterCompletion, true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('AIA failures are recorded: fetch error, wrong certificate, https URL', async () => {
  const { root, intermediate } = makeChain(HOST);
  const urls = ['http://aia.test/down', 'http://aia.test/wrong'];
  const leaf = issue({ cn: HOST, dns: [HOST], issuer: intermediate, caIssuers: urls });
  const fetcher = fakeFetcher({
    [urls[0]!]: new Error('connection refused'),
    [urls[1]!]: root.der,
  });
  const v = await verify([leaf], storeOf(root), { fetcher });
  assert.deepEqual(
    v.chain.aia.map((a) => [a.url, a.outcome, a.error]),
    [
      [urls[0], 'failed', 'connection refused'],
      [urls[1], 'not-the-issuer', undefined],
    ],
  );
  assert.deepEqual(v.trust.reasons, ['unknown-issuer']);
  assert.equal(v.chain.incomplete, true);
  const https = issue({ cn: HOST, issuer: intermediate, caIssuers: ['https://aia.test/int'] });
  const h = await verify([https], storeOf(root), { fetcher: fakeFetcher({}) });
  assert.match(h.chain.aia[0]?.error ?? '', /only http:\/\//);
});

test('a missing root fetched through AIA is not a gap in the chain', async () => {
  const url = 'http://aia.test/root.der';
  const root = issue({ cn: 'Private Root', ca: true });
  const leaf = issue({ cn: HOST, dns: [HOST], issuer: root, caIssuers: [url] });
  const v = await verify([leaf], storeOf(issue({ cn: 'Other', ca: true })), {
    fetcher: fakeFetcher({ [url]: root.der }),
  });
  assert.equal(v.chain.incomplete, false);
  assert.deepEqual(v.trust.reasons, ['untrusted-root']);
});

test('a signature that does not verify', async () => {
  const { root, intermediate, leaf } = makeChain(HOST);
  const v = await verify([tampered(leaf), intermediate], storeOf(root));
  assert.deepEqual(v.trust.reasons, ['bad-signature']);
});

test('validity of every certificate of the path counts: an expired intermediate, a future leaf', async () => {
  const root = issue({ cn: 'Test Root', ca: true, notAfter: new Date(NOW.getTime() + 3650 * DAY) });
  const old = issue({
    cn: 'Old Intermediate',
    ca: true,
    issuer: root,
    notAfter: new Date(NOW.getTime() - 5 * DAY),
  });
  const leaf = issue({
    cn: HOST,
    dns: [HOST],
    issuer: old,
    notBefore: new Date(NOW.getTime() + 2 * DAY),
  });
  const v = await verify([leaf, old], storeOf(root));
  assert.deepEqual(v.trust.reasons, ['not-yet-valid', 'expired']);
  assert.equal(v.path[1]?.validity.status, 'expired');
  assert.equal(v.path[1]?.validity.daysLeft, -5);
  assert.equal(v.path[0]?.validity.status, 'not-yet-valid');
});

test('an issuer that is not a CA, and a pathLenConstraint exceeded', async () => {
  const root = issue({ cn: 'Test Root', ca: true });
  const notCa = issue({ cn: 'Not A CA', issuer: root });
  const leaf = issue({ cn: HOST, dns: [HOST], issuer: notCa });
  const v = await verify([leaf, notCa], storeOf(root));
  assert.deepEqual(v.trust.reasons, ['not-a-ca']);

  const top = issue({ cn: 'Top Intermediate', ca: true, pathLength: 0, issuer: root });
  const lower = issue({ cn: 'Lower Intermediate', ca: true, issuer: top });
  const leaf2 = issue({ cn: HOST, dns: [HOST], issuer: lower });
  const v2 = await verify([leaf2, lower, top], storeOf(root));
  assert.deepEqual(v2.trust.reasons, ['path-length-exceeded']);
});

test('chain order: out of turn, duplicated, unrelated and unparseable entries', async () => {
  const { root, intermediate, leaf } = makeChain(HOST);
  const trust = storeOf(root);
  const swapped = await verify([leaf, root, intermediate], trust);
  assert.equal(swapped.trust.trusted, true);
  assert.deepEqual([swapped.chain.ordered, swapped.chain.misplaced], [false, [2, 1]]);
  assert.equal(swapped.served[1]?.inPath, true, 'the sent root is the path’s anchor');

  const twice = await verify([leaf, intermediate, intermediate], trust);
  assert.deepEqual([twice.chain.ordered, twice.chain.duplicates], [false, [2]]);

  const stranger = await verify([leaf, intermediate, issue({ cn: 'Stranger' })], trust);
  assert.deepEqual([stranger.chain.unrelated, stranger.served[2]?.inPath], [[2], false]);

  const garbage: ChainEntry = { parseError: 'not DER', sha256: '00'.repeat(32), pem: '' };
  const broken = await verify([leaf, intermediate, garbage], trust);
  assert.deepEqual(broken.chain.unparseable, [2]);
  assert.equal(broken.served[2]?.parseError, 'not DER');
  assert.equal(broken.trust.trusted, true);
});

test('weak keys: RSA-1024 and P-224 are weak, RSA-2048 and P-256 are not', async () => {
  const root = issue({ cn: 'Test Root', ca: true });
  const weak = [
    issue({ cn: 'rsa1024', issuer: root, key: sharedKey('rsa1024') }),
    issue({ cn: 'p224', issuer: root, key: newKey('p224') }),
  ];
  const strong = [
    issue({ cn: 'rsa2048', issuer: root, key: sharedKey('rsa2048') }),
    issue({ cn: 'p256', issuer: root }),
  ];
  for (const [certs, expected] of [
    [weak, true],
    [strong, false],
  ] as const) {
    for (const c of certs) {
      const v = await verify([c], storeOf(root));
      assert.equal(v.served[0]?.key?.weak, expected, c.entry.subject);
    }
  }
  const v = await verify([weak[0]!], storeOf(root));
  assert.deepEqual(v.served[0]?.key, { type: 'rsa', bits: 1024, weak: true });
});

test('weak signatures: SHA-1 and MD5 served certificates; an anchor’s own SHA-1 self-signature is ignored', async () => {
  const rsaRoot = issue({ cn: 'RSA Root', ca: true, key: sharedKey('rsa2048'), digest: 'sha1' });
  const md5 = issue({ cn: 'md5', issuer: rsaRoot, digest: 'md5' });
  const sha1 = issue({ cn: 'sha1', issuer: rsaRoot, digest: 'sha1' });
  const trust = storeOf(rsaRoot);
  const m = await verify([md5, rsaRoot], trust);
  assert.deepEqual(m.served[0]?.signature, {
    algorithm: 'md5WithRSAEncryption',
    hash: 'md5',
    weak: true,
  });
  assert.equal(m.trust.trusted, true);
  assert.deepEqual([m.served[1]?.anchor, m.served[1]?.signature?.weak], [true, false]);
  const s = await verify([sha1], trust);
  assert.deepEqual(s.served[0]?.signature?.hash, 'sha1');
  assert.equal(s.served[0]?.signature?.weak, true);
  // the same SHA-1 root, not an anchor this time: its signature is judged
  const u = await verify([sha1, rsaRoot], storeOf(issue({ cn: 'Other', ca: true })));
  assert.equal(u.served[1]?.signature?.weak, true);
});

test('leaf facts: names, OCSP, CRL, caIssuers, SCTs and must-staple', async () => {
  const root = issue({ cn: 'Test Root', ca: true });
  const leaf = issue({
    cn: HOST,
    dns: [HOST, '*.example.test'],
    ips: ['10.0.0.5', '2001:db8::1'],
    issuer: root,
    ocsp: ['http://ocsp.test'],
    crl: ['http://crl.test/ca.crl'],
    caIssuers: ['http://aia.test/ca.der'],
    scts: 3,
    mustStaple: true,
  });
  const v = await verify([leaf], storeOf(root), { host: 'api.example.test' });
  assert.deepEqual(v.leaf, {
    dnsNames: [HOST, '*.example.test'],
    ipAddresses: ['10.0.0.5', '2001:db8:0:0:0:0:0:1'],
    commonNames: [HOST],
    ocspUrls: ['http://ocsp.test'],
    caIssuerUrls: ['http://aia.test/ca.der'],
    crlUrls: ['http://crl.test/ca.crl'],
    sctCount: 3,
    mustStaple: true,
    malformedExtensions: [],
  });
  assert.equal(v.hostname?.matchedBy, 'DNS:*.example.test');
  const byIp = await verify([leaf], storeOf(root), { host: '2001:db8::1' });
  assert.deepEqual([byIp.hostname?.kind, byIp.hostname?.matches], ['ip', true]);
});

test('a malformed extension counts as absent, and a broken SAN never lets the CN match', async () => {
  const root = issue({ cn: 'Test Root', ca: true });
  const leaf = issue({
    cn: HOST,
    issuer: root,
    rawExtensions: [
      { oid: '2.5.29.17', value: new Uint8Array([0x30, 0x05, 0x82, 0x09]) },
      { oid: '1.3.6.1.4.1.11129.2.4.2', value: new Uint8Array([0x04, 0x03, 0x00, 0x09, 0x00]) },
    ],
  });
  const v = await verify([leaf], storeOf(root));
  assert.deepEqual(v.leaf?.malformedExtensions, ['2.5.29.17', '1.3.6.1.4.1.11129.2.4.2']);
  assert.equal(v.leaf?.sctCount, 0);
  assert.equal(v.hostname?.matches, false);
});

test('no certificate, an unparseable leaf, and bad options', async () => {
  const trust = storeOf(issue({ cn: 'Root', ca: true }));
  const none = await verify([], trust);
  assert.deepEqual(
    [none.trust.reasons, none.hostname, none.leaf],
    [['no-certificate'], null, null],
  );
  const garbage: ChainEntry = { parseError: 'asn1 error', sha256: 'ab'.repeat(32), pem: '' };
  const bad = await verify([garbage], trust);
  assert.deepEqual(bad.trust.reasons, ['unparseable-leaf']);
  assert.equal(bad.served[0]?.parseError, 'asn1 error');
  await assert.rejects(verify([], trust, { host: '' }), TypeError);
  await assert.rejects(verify([], trust, { now: new Date(Number.NaN) }), RangeError);
});
