import assert from 'node:assert/strict';
import test from 'node:test';
import { OCSPRequest } from '@peculiar/asn1-ocsp';
import { AsnParser } from '@peculiar/asn1-schema';
import type { FetchRequest } from '../fetcher.ts';
import { parseCertificate } from '../parsed-certificate.ts';
import { NOW, issue } from '../testdata/certificates.ts';
import { crl, ocspResponse } from '../testdata/revocation.ts';
import { TrustStore } from '../trust-store.ts';
import { verifyCertificates } from '../verify-certificates.ts';
import { type RevocationOptions, checkRevocation } from './check.ts';

const root = issue({ cn: 'Root', ca: true });
const OCSP = 'http://ocsp.test/';
const CRL = 'http://crl.test/root.crl';
const leaf = issue({
  cn: 'rev.example.test',
  dns: ['rev.example.test'],
  issuer: root,
  ocsp: [OCSP],
  crl: [CRL],
});

function options(extra: Partial<RevocationOptions> = {}): RevocationOptions {
  return {
    cert: parseCertificate(leaf.der),
    issuer: parseCertificate(root.der),
    ocspUrls: [OCSP],
    crlUrls: [CRL],
    now: NOW,
    online: true,
    fetcher: null,
    timeoutMs: 1000,
    ...extra,
  };
}

test('online: one OCSP POST and one CRL GET, each judged', async () => {
  const calls: FetchRequest[] = [];
  const fetcher = async (req: FetchRequest) => {
    calls.push(req);
    return req.url === OCSP
      ? ocspResponse({ cert: leaf, issuer: root, status: 'revoked', reason: 1 })
      : crl({ issuer: root, revoked: [{ cert: leaf, reason: 1 }] });
  };
  const facts = await checkRevocation(options({ fetcher }));
  assert.deepEqual(
    facts.map((f) => [f.source, f.status, f.reason, f.url]),
    [
      ['ocsp', 'revoked', 'keyCompromise', OCSP],
      ['crl', 'revoked', 'keyCompromise', CRL],
    ],
  );
  const post = calls.find((c) => c.method === 'POST');
  assert.equal(post?.contentType, 'application/ocsp-request');
  const request = AsnParser.parse(post?.body ?? new Uint8Array(), OCSPRequest);
  assert.equal(request.tbsRequest.requestList.length, 1);
  assert.deepEqual(calls.find((c) => c.method === 'GET')?.url, CRL);
});

test('fetch failures, oversized answers, fetching off and an unknown issuer are facts', async () => {
  const failing = async (req: FetchRequest): Promise<Uint8Array> => {
    if (req.url === OCSP) throw new Error('ECONNREFUSED');
    return new Uint8Array(req.maxBytes + 1); // a fetcher that ignores the cap
  };
  const failed = await checkRevocation(options({ fetcher: failing }));
  assert.deepEqual(
    failed.map((f) => [f.status, f.error]),
    [
      ['unavailable', 'ECONNREFUSED'],
      [
        'unavailable',
        `${CRL}: sent ${10 * 1024 * 1024 + 1} bytes, more than the cap of ${10 * 1024 * 1024}`,
      ],
    ],
  );
  const off = await checkRevocation(options());
  assert.deepEqual(
    off.map((f) => f.error),
    ['fetching is turned off', 'fetching is turned off'],
  );
  const orphan = await checkRevocation(options({ issuer: undefined, fetcher: failing }));
  assert.ok(
    orphan.every(
      (f) => f.status === 'unavailable' && /issuer certificate is not known/.test(f.error ?? ''),
    ),
  );
  const ldap = await checkRevocation(
    options({ ocspUrls: [], crlUrls: ['ldap://dir/cn=crl'], fetcher: failing }),
  );
  assert.match(ldap[0]?.error ?? '', /only http/);
});

test('offline, only the staple is read; without any source, nothing', async () => {
  const stapled = ocspResponse({ cert: leaf, issuer: root });
  const facts = await checkRevocation(options({ online: false, stapledOcsp: stapled }));
  assert.deepEqual(
    facts.map((f) => [f.source, f.status]),
    [['ocsp-stapled', 'good']],
  );
  assert.deepEqual(await checkRevocation(options({ online: false })), []);
});

test('verifyCertificates: the leaf’s issuer from the path is used, and revocation is opt-in', async () => {
  const trust = new TrustStore({
    mozilla: false,
    system: false,
    files: [{ path: 'r', certificates: [root.der] }],
  });
  let fetched = 0;
  const fetcher = async (req: FetchRequest) => {
    fetched++;
    return req.url === OCSP
      ? ocspResponse({ cert: leaf, issuer: root, status: 'revoked' })
      : crl({ issuer: root });
  };
  const base = { host: 'rev.example.test', now: NOW, trust, fetcher } as const;
  const quiet = await verifyCertificates([leaf.entry], base);
  assert.deepEqual([quiet.revocation, fetched], [[], 0]);
  const asked = await verifyCertificates([leaf.entry], {
    ...base,
    checkRevocation: true,
    stapledOcsp: ocspResponse({ cert: leaf, issuer: root, status: 'revoked', reason: 1 }),
  });
  assert.deepEqual(
    asked.revocation.map((r) => [r.source, r.status]),
    [
      ['ocsp-stapled', 'revoked'],
      ['ocsp', 'revoked'],
      ['crl', 'good'],
    ],
  );
});
