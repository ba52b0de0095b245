import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import { certificateParts, findExtension } from '../pki/certificate-parts.ts';
import {
  OID,
  decodeAuthorityInfoAccess,
  decodeCrlDistributionPoints,
  decodeExtKeyUsage,
} from '../pki/extensions.ts';
import { parseCertificate } from '../pki/parsed-certificate.ts';
import { pemCertificates } from '../pki/pem.ts';
import { CLOCK_SKEW_SECONDS } from './certificate-builder.ts';
import { type TestCa, makeTestCa } from './testdata/ca.ts';
import { makeCsr } from './testdata/csr.ts';
import type { Identifier } from './types.ts';

let t: TestCa;
before(async () => {
  t = await makeTestCa();
});
after(async () => {
  await t.close();
});

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const api: Identifier = { type: 'dns', value: 'api.svc.internal' };

const code =
  (c: string, pattern = /./) =>
  (err: unknown) =>
    (err as { code?: string }).code === c && pattern.test((err as Error).message);

test('issue: a leaf chaining to the root, with the names, usages and pointers asked for', async () => {
  const issued = await t.ca.issue({
    publicKey: ec.publicKey,
    identifiers: [
      api,
      { type: 'ip', value: '10.1.2.3' },
      { type: 'uri', value: 'spiffe://example.org/ns/api' },
    ],
    usage: 'both',
    provisioner: 'library',
    requestedBy: 'unit test',
  });
  const r = issued.record;
  assert.match(r.serial, /^[0-7][0-9a-f]{31}$/);
  assert.equal(r.commonName, 'api.svc.internal');
  assert.equal(r.keyAlgorithm, 'ecdsa-p256');
  assert.equal(r.notBefore.getTime(), t.now.getTime() - CLOCK_SKEW_SECONDS * 1000);
  assert.equal(r.notAfter.getTime(), t.now.getTime() + 86_400_000);
  const [leaf, intermediate] = pemCertificates(issued.chainPem).map((d) => new X509Certificate(d));
  assert.ok(leaf && intermediate);
  assert.equal(intermediate.toString(), new X509Certificate(t.ca.intermediatePem).toString());
  assert.ok(leaf.verify(intermediate.publicKey));
  assert.ok(intermediate.verify(new X509Certificate(t.ca.rootPem).publicKey));
  assert.equal(
    leaf.subjectAltName,
    'DNS:api.svc.internal, IP Address:10.1.2.3, URI:spiffe://example.org/ns/api',
  );
  assert.equal(leaf.serialNumber.toLowerCase(), r.serial);
  const parts = parseCertificate(r.der).parts;
  assert.deepEqual(decodeExtKeyUsage(findExtension(parts, OID.extKeyUsage)!.value), [
    '1.3.6.1.5.5.7.3.1',
    '1.3.6.1.5.5.7.3.2',
  ]);
  assert.deepEqual(
    decodeAuthorityInfoAccess(findExtension(parts, OID.authorityInfoAccess)!.value).ocsp,
    ['http://127.0.0.1:9/ca/ocsp'],
  );
  assert.deepEqual(
    decodeCrlDistributionPoints(findExtension(parts, OID.crlDistributionPoints)!.value),
    ['http://127.0.0.1:9/ca/crl'],
  );
  assert.deepEqual(await t.ca.get(r.serial), r);
  const audit = t.records.find(
    (l) => l.fields['event'] === 'ca.issued' && l.fields['serial'] === r.serial,
  );
  assert.equal(audit?.level, 'info');
  assert.deepEqual(audit?.fields['identifiers'], [
    'dns:api.svc.internal',
    'ip:10.1.2.3',
    'uri:spiffe://example.org/ns/api',
  ]);
  assert.equal(audit?.fields['requestedBy'], 'unit test');
  assert.equal(audit?.fields['notAfter'], r.notAfter.toISOString());
});

test('an IP-only leaf has an empty subject and a critical SAN; RSA leaves may encipher keys', async () => {
  const ipOnly = await t.ca.issue({
    publicKey: ec.publicKey,
    identifiers: [{ type: 'ip', value: 'fd00::7' }],
    usage: 'client',
    provisioner: 'library',
  });
  assert.equal(ipOnly.record.commonName, null);
  const parts = certificateParts(ipOnly.record.der);
  assert.equal(findExtension(parts, OID.subjectAltName)?.critical, true);
  assert.deepEqual([...parts.subject], [0x30, 0x00]);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaLeaf = await t.ca.issue({
    publicKey: rsa.publicKey,
    identifiers: [api],
    usage: 'server',
    provisioner: 'library',
  });
  assert.match(
    new X509Certificate(rsaLeaf.record.der).toLegacyObject().ext_key_usage?.join() ?? '',
    /1\.3\.6\.1\.5\.5\.7\.3\.1/,
  );
  assert.equal(rsaLeaf.record.keyAlgorithm, 'rsa-2048');
});

test('refusals name the rule; they count as refused and leave a warning, not a certificate', async () => {
  const before_ = (await t.ca.list()).length;
  await assert.rejects(
    t.ca.issue({
      publicKey: ec.publicKey,
      identifiers: [{ type: 'dns', value: 'www.example.com' }],
      usage: 'server',
      provisioner: 'acme',
    }),
    code('WT_ERR_CA_POLICY', /dns:www\.example\.com is not allowed/),
  );
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
  await assert.rejects(
    t.ca.issue({
      publicKey: weak.publicKey,
      identifiers: [api],
      usage: 'server',
      provisioner: 'acme',
    }),
    code('WT_ERR_CA_POLICY', /1024-bit RSA/),
  );
  await assert.rejects(
    t.ca.issue({
      publicKey: ec.publicKey,
      identifiers: [api],
      usage: 'server',
      provisioner: 'acme',
      lifetimeSeconds: 365 * 86_400,
    }),
    code('WT_ERR_CA_POLICY', /above the maximum/),
  );
  await assert.rejects(
    t.ca.issue({
      publicKey: ec.publicKey,
      identifiers: [api],
      commonName: 'other.svc.internal',
      usage: 'server',
      provisioner: 'acme',
    }),
    code('WT_ERR_CA_POLICY', /commonName/),
  );
  await assert.rejects(
    t.ca.issue({
      publicKey: ec.privateKey,
      identifiers: [api],
      usage: 'server',
      provisioner: 'acme',
    }),
    TypeError,
  );
  await assert.rejects(
    t.ca.issue({
      publicKey: ec.publicKey,
      identifiers: [api],
      usage: 'mail' as never,
      provisioner: 'acme',
    }),
    TypeError,
  );
  assert.equal((await t.ca.list()).length, before_);
  const metrics = await t.registry.getSingleMetricAsString('wiretight_ca_issuances_total');
  assert.match(metrics, /wiretight_ca_issuances_total\{result="refused",provisioner="acme"\} 4/);
  assert.ok(t.records.some((l) => l.level === 'warn' && l.fields['event'] === 'ca.refused'));
  assert.throws(
    () => t.ca.checkIdentifiers([{ type: 'ip', value: '192.168.1.1' }]),
    code('WT_ERR_CA_POLICY', /ip:192\.168\.1\.1/),
  );
  t.ca.checkIdentifiers([api, { type: 'dns', value: 'exact.example.com' }]);
});

test('issueFromCsr: the CSR key and names; ACME orders must match the CSR exactly', async () => {
  const csr = makeCsr({ ...ec, names: [api], commonName: 'api.svc.internal' });
  const issued = await t.ca.issueFromCsr(csr, {
    usage: 'server',
    provisioner: 'acme',
    expectedIdentifiers: [{ type: 'dns', value: 'API.svc.internal' }],
  });
  assert.deepEqual(issued.record.identifiers, [api]);
  assert.ok(new X509Certificate(issued.record.der).publicKey.equals(ec.publicKey));
  await assert.rejects(
    t.ca.issueFromCsr(csr, {
      usage: 'server',
      provisioner: 'acme',
      expectedIdentifiers: [api, { type: 'dns', value: 'b.svc.internal' }],
    }),
    code(
      'WT_ERR_CA_CSR',
      /names dns:api\.svc\.internal but the request authorises dns:api\.svc\.internal, dns:b\.svc\.internal/,
    ),
  );
  await assert.rejects(
    t.ca.issueFromCsr(makeCsr({ ...ec, names: [{ type: 'dns', value: 'x.example.net' }] }), {
      usage: 'server',
      provisioner: 'cli',
    }),
    code('WT_ERR_CA_POLICY'),
  );
  await assert.rejects(
    t.ca.issueFromCsr(new Uint8Array([0x30, 0x00]), { usage: 'server', provisioner: 'cli' }),
    code('WT_ERR_CA_CSR'),
  );
});

test('renew: same names, usage and key (or the CSR’s), a new serial; only for live leaves issued here', async () => {
  const first = await t.ca.issue({
    publicKey: ec.publicKey,
    identifiers: [api],
    usage: 'client',
    provisioner: 'library',
    lifetimeSeconds: 7200,
  });
  const renewed = await t.ca.renew(first.record.der, { requestedBy: 'tunnel-7' });
  assert.notEqual(renewed.record.serial, first.record.serial);
  assert.deepEqual(renewed.record.identifiers, first.record.identifiers);
  assert.equal(renewed.record.usage, 'client');
  assert.equal(renewed.record.provisioner, 'renew');
  assert.equal(renewed.record.requestedBy, 'tunnel-7');
  assert.equal(renewed.record.notAfter.getTime() - renewed.record.issuedAt.getTime(), 7200_000);
  assert.ok(new X509Certificate(renewed.record.der).publicKey.equals(ec.publicKey));

  const fresh = generateKeyPairSync('ed25519');
  const rekeyed = await t.ca.renew(first.record.der, { csr: makeCsr({ ...fresh, names: [api] }) });
  assert.ok(new X509Certificate(rekeyed.record.der).publicKey.equals(fresh.publicKey));
  await assert.rejects(
    t.ca.renew(first.record.der, {
      csr: makeCsr({ ...fresh, names: [api, { type: 'dns', value: 'more.svc.internal' }] }),
    }),
    code('WT_ERR_CA_CSR', /not the certificate's/),
  );

  const tampered = Uint8Array.from(first.record.der);
  tampered[tampered.length - 3]! ^= 1;
  await assert.rejects(t.ca.renew(tampered), code('WT_ERR_CA_RENEW', /not issued by this CA/));
  await assert.rejects(
    t.ca.renew(new Uint8Array([1, 2, 3])),
    code('WT_ERR_CA_RENEW', /not a valid X\.509/),
  );
  const foreign = pemCertificates(t.ca.intermediatePem)[0]!;
  await assert.rejects(t.ca.renew(foreign), code('WT_ERR_CA_RENEW'));

  await t.ca.revoke(first.record.serial, 'superseded');
  await assert.rejects(t.ca.renew(first.record.der), code('WT_ERR_CA_REVOKED'));
  const shortLived = await t.ca.issue({
    publicKey: ec.publicKey,
    identifiers: [api],
    usage: 'server',
    provisioner: 'library',
    lifetimeSeconds: 60,
  });
  t.advance(120);
  try {
    await assert.rejects(t.ca.renew(shortLived.record.der), code('WT_ERR_CA_RENEW', /expired/));
  } finally {
    t.advance(-120);
  }
});

test('revoke: once, by any serial spelling; unknown serials and bad reasons refused', async () => {
  const leaf = await t.ca.issue({
    publicKey: ec.publicKey,
    identifiers: [api],
    usage: 'server',
    provisioner: 'cli',
  });
  const spelled = leaf.record.serial.toUpperCase().match(/../g)!.join(':');
  const revoked = await t.ca.revoke(spelled, 'keyCompromise', 'alice');
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.revocationReason, 'keyCompromise');
  assert.equal(revoked.revokedAt?.getTime(), t.now.getTime());
  await assert.rejects(
    t.ca.revoke(leaf.record.serial, 'keyCompromise'),
    code('WT_ERR_CA_REVOKED', /revoked already/),
  );
  await assert.rejects(t.ca.revoke('01'.repeat(16), 'unspecified'), code('WT_ERR_CA_NOT_FOUND'));
  await assert.rejects(t.ca.revoke(leaf.record.serial, 'removeFromCRL'), RangeError);
  await assert.rejects(t.ca.revoke('not hex', 'unspecified'), RangeError);
  const audit = t.records.find(
    (l) => l.fields['event'] === 'ca.revoked' && l.fields['serial'] === leaf.record.serial,
  );
  assert.deepEqual(
    [audit?.fields['reason'], audit?.fields['requestedBy']],
    ['keyCompromise', 'alice'],
  );
  assert.match(
    await t.registry.getSingleMetricAsString('wiretight_ca_revocations_total'),
    /reason="keyCompromise"\} [1-9]/,
  );
  assert.equal(await t.ca.get('zz'), undefined);
});

test('list: by status at the CA clock, expiring soon, limited; gauges count the same', async () => {
  const short = await t.ca.issue({
    publicKey: ec.publicKey,
    identifiers: [{ type: 'dns', value: 'short.svc.internal' }],
    usage: 'server',
    provisioner: 'cli',
    lifetimeSeconds: 600,
  });
  const all = await t.ca.list();
  const valid = await t.ca.list({ status: 'valid' });
  const revoked = await t.ca.list({ status: 'revoked' });
  assert.equal(
    valid.length + revoked.length + (await t.ca.list({ status: 'expired' })).length,
    all.length,
  );
  assert.ok(revoked.every((r) => r.status === 'revoked'));
  const expiring = await t.ca.list({ expiringWithinSeconds: 900 });
  assert.ok(expiring.some((r) => r.serial === short.record.serial));
  assert.ok(
    expiring.every(
      (r) =>
        r.status === 'valid' &&
        r.notAfter.getTime() <= t.now.getTime() + 900_000 &&
        r.notAfter > t.now,
    ),
  );
  assert.ok(
    !expiring.some(
      (r) =>
        r.serial === valid.find((v) => v.notAfter.getTime() > t.now.getTime() + 900_000)?.serial,
    ),
  );
  assert.equal((await t.ca.list({ limit: 2 })).length, 2);
  assert.deepEqual(
    all.map((r) => r.notAfter.getTime()),
    [...all].map((r) => r.notAfter.getTime()).sort((a, b) => a - b),
  );
  t.advance(3600);
  try {
    assert.ok(
      (await t.ca.list({ status: 'expired' })).some((r) => r.serial === short.record.serial),
    );
    const gauge = await t.registry.getSingleMetricAsString('wiretight_ca_certificates');
    const expired = (await t.ca.list({ status: 'expired' })).length;
    assert.match(gauge, new RegExp(`status="expired"\\} ${expired}\\b`));
  } finally {
    t.advance(-3600);
  }
  assert.throws(() => t.ca.list({ limit: 0 }), RangeError);
  assert.throws(() => t.ca.list({ status: 'lost' as never }), TypeError);
});
