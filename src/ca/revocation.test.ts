import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  BasicOCSPResponse,
  OCSPRequest,
  OCSPResponse,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, AsnParser, OctetString } from '@peculiar/asn1-schema';
import { Extension } from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { type ParsedCertificate, parseCertificate } from '../pki/parsed-certificate.ts';
import { pemCertificates } from '../pki/pem.ts';
import { buildOcspRequest, checkCrl, checkOcspResponse } from '../pki/revocation/index.ts';
import { type TestCa, makeTestCa } from './testdata/ca.ts';

let t: TestCa;
let intermediate: ParsedCertificate;
before(async () => {
  t = await makeTestCa();
  intermediate = parseCertificate(pemCertificates(t.ca.intermediatePem)[0]!);
});
after(async () => {
  await t.close();
});

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

async function leaf(name: string): Promise<ParsedCertificate> {
  const issued = await t.ca.issue({
    publicKey: ec.publicKey,
    identifiers: [{ type: 'dns', value: name }],
    usage: 'server',
    provisioner: 'library',
  });
  return parseCertificate(issued.record.der);
}

function withNonce(request: Uint8Array, nonce: Uint8Array): Uint8Array {
  const parsed = AsnParser.parse(request, OCSPRequest);
  parsed.tbsRequest.requestExtensions = [
    new Extension({
      extnID: id_pkix_ocsp_nonce,
      extnValue: new OctetString(AsnConvert.serialize(new OctetString(nonce))),
    }),
  ];
  return new Uint8Array(AsnConvert.serialize(parsed));
}

test('the CRL is signed by the intermediate and lists revoked leaves with their reason', async () => {
  const good = await leaf('good.svc.internal');
  const bad = await leaf('bad.svc.internal');
  const first = await t.ca.currentCrl();
  assert.equal(checkCrl(first.der, { cert: bad, issuer: intermediate, now: t.now }).status, 'good');
  assert.equal(first.nextUpdate.getTime() - first.thisUpdate.getTime(), 86_400_000);
  await t.ca.revoke(bad.facts.serialNumber, 'keyCompromise');
  const second = await t.ca.currentCrl();
  assert.ok(second.number > first.number, 'a revocation signs a new CRL with a higher number');
  const facts = checkCrl(second.der, { cert: bad, issuer: intermediate, now: t.now });
  assert.equal(facts.status, 'revoked', facts.error);
  assert.equal(facts.reason, 'keyCompromise');
  assert.equal(facts.revokedAt, t.now.toISOString());
  assert.equal(
    checkCrl(second.der, { cert: good, issuer: intermediate, now: t.now }).status,
    'good',
  );
});

test('the CRL is cached, signed again after the refresh interval, and shared through the store', async () => {
  const a = await t.ca.currentCrl();
  assert.equal((await t.ca.currentCrl()).number, a.number, 'cached');
  t.advance(3601);
  const b = await t.ca.currentCrl();
  assert.ok(b.number > a.number, 'refreshed after an hour');
  const other = await t.reopen();
  assert.equal((await other.currentCrl()).number, b.number, 'another process reads the stored CRL');
  const victim = await leaf('victim.svc.internal');
  await other.revoke(victim.facts.serialNumber, 'cessationOfOperation');
  const c = await t.ca.currentCrl();
  assert.ok(c.number > b.number, 'a revocation made elsewhere makes the CRL here stale');
  assert.equal(
    checkCrl(c.der, { cert: victim, issuer: intermediate, now: t.now }).status,
    'revoked',
  );
  const age = await t.registry.getSingleMetricAsString('wiretight_ca_crl_age_seconds');
  assert.match(age, /wiretight_ca_crl_age_seconds 0\b/);
});

test('OCSP: good, revoked and unknown, signed by the delegated responder, nonce echoed', async () => {
  const good = await leaf('ocsp-good.svc.internal');
  const revoked = await leaf('ocsp-revoked.svc.internal');
  await t.ca.revoke(revoked.facts.serialNumber, 'affiliationChanged');
  const ask = async (cert: ParsedCertificate, request = buildOcspRequest(cert, intermediate)) => {
    const answer = await t.ca.ocsp(request);
    return {
      answer,
      facts: checkOcspResponse(answer.der, {
        cert,
        issuer: intermediate,
        now: t.now,
        source: 'ocsp',
      }),
    };
  };
  const g = await ask(good);
  assert.equal(g.answer.status, 'good');
  assert.equal(g.facts.status, 'good', g.facts.error);
  assert.equal(g.facts.signer, 'delegated');
  assert.equal(Date.parse(g.facts.nextUpdate!) - Date.parse(g.facts.thisUpdate!), 3_600_000);
  const r = await ask(revoked);
  assert.deepEqual(
    [r.answer.status, r.facts.status, r.facts.reason],
    ['revoked', 'revoked', 'affiliationChanged'],
  );
  // A serial this CA never issued, under this CA's name and key: unknown.
  const stranger = { ...good, parts: { ...good.parts, serial: Uint8Array.of(0x01, 0x02, 0x03) } };
  assert.equal((await ask(stranger)).answer.status, 'unknown');

  const nonce = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const answer = await t.ca.ocsp(withNonce(buildOcspRequest(good, intermediate), nonce));
  const basic = AsnParser.parse(
    AsnParser.parse(answer.der, OCSPResponse).responseBytes!.response.buffer,
    BasicOCSPResponse,
  );
  const echoed = basic.tbsResponseData.responseExtensions?.find(
    (e) => e.extnID === id_pkix_ocsp_nonce,
  );
  assert.deepEqual(
    new Uint8Array(AsnParser.parse(echoed!.extnValue.buffer, OctetString).buffer),
    nonce,
  );
  assert.equal(
    (await t.ca.ocsp(withNonce(buildOcspRequest(good, intermediate), new Uint8Array(33)))).status,
    'malformed',
  );
});

test('OCSP: garbage is malformedRequest, another issuer’s certificate unauthorized, never a throw', async () => {
  const good = await leaf('fuzz.svc.internal');
  const request = buildOcspRequest(good, intermediate);
  const root = parseCertificate(pemCertificates(t.ca.rootPem)[0]!);
  const foreign = await t.ca.ocsp(buildOcspRequest(good, root));
  assert.equal(foreign.status, 'unauthorized');
  assert.equal(AsnParser.parse(foreign.der, OCSPResponse).responseStatus, 6);
  const garbage = await t.ca.ocsp(new Uint8Array([1, 2, 3]));
  assert.equal(garbage.status, 'malformed');
  assert.equal(AsnParser.parse(garbage.der, OCSPResponse).responseStatus, 1);
  assert.equal((await t.ca.ocsp(new Uint8Array(17 * 1024).fill(0x30))).status, 'malformed');
  assert.equal((await t.ca.ocsp(Uint8Array.from([...request, 0]))).status, 'malformed');
  assert.equal((await t.ca.ocsp('x' as never)).status, 'malformed');
  const many = AsnParser.parse(request, OCSPRequest);
  many.tbsRequest.requestList = Array.from({ length: 17 }, () => many.tbsRequest.requestList[0]!);
  assert.equal((await t.ca.ocsp(new Uint8Array(AsnConvert.serialize(many)))).status, 'malformed');
  many.tbsRequest.requestList = many.tbsRequest.requestList.slice(0, 16);
  assert.equal((await t.ca.ocsp(new Uint8Array(AsnConvert.serialize(many)))).status, 'good');
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 200 }),
      fc.nat(request.length - 1),
      async (noise, at) => {
        const mangled = Uint8Array.from(request);
        mangled.set(noise.subarray(0, request.length - at), at);
        const answer = await t.ca.ocsp(mangled);
        assert.ok(['good', 'unknown', 'malformed', 'unauthorized'].includes(answer.status));
      },
    ),
    { numRuns: 200 },
  );
  const counted = await t.registry.getSingleMetricAsString('wiretight_ca_ocsp_responses_total');
  assert.match(counted, /status="malformed"\} \d+/);
  assert.match(counted, /status="unauthorized"\} \d+/);
});

test('the responder certificate is issued again, with a new key, when a third of its life is left', async () => {
  const before_ = readFileSync(join(t.dir, 'ocsp.pem'), 'utf8');
  const good = await leaf('rotate.svc.internal');
  t.advance(21 * 86_400);
  try {
    const answer = await t.ca.ocsp(buildOcspRequest(good, intermediate));
    const after_ = readFileSync(join(t.dir, 'ocsp.pem'), 'utf8');
    assert.notEqual(after_, before_);
    const facts = checkOcspResponse(answer.der, {
      cert: good,
      issuer: intermediate,
      now: t.now,
      source: 'ocsp',
    });
    assert.equal(facts.status, 'good', facts.error);
    assert.ok(t.records.some((l) => l.fields['event'] === 'ca.ocsp-responder-issued'));
  } finally {
    t.advance(-21 * 86_400);
  }
});
