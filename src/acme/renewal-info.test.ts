import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AsnParser } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, Certificate } from '@peculiar/asn1-x509';
import { type Harness, problemType, startAcme } from './testdata/harness.ts';
import { type TestAcmeClient, b64u } from './testdata/client.ts';
import { obtainCertificate } from './testdata/flows.ts';

let acme: Harness;
let client: TestAcmeClient;
before(async () => {
  acme = await startAcme();
  client = await acme.account();
});
after(() => acme.close());

/** RFC 9773 §4.1 computed with @peculiar/asn1-x509, independently of the server's DER reader. */
function expectedCertId(der: Uint8Array): string {
  const cert = AsnParser.parse(der, Certificate);
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.35');
  const aki = AsnParser.parse(ext!.extnValue.buffer, AuthorityKeyIdentifier);
  return `${b64u(new Uint8Array(aki.keyIdentifier!.buffer))}.${b64u(new Uint8Array(cert.tbsCertificate.serialNumber))}`;
}

const get = (url: string) => client.transport({ method: 'GET', url });

test('renewalInfo answers a window between 2/3 and 5/6 of the lifetime, and a Retry-After', async () => {
  const got = await obtainCertificate(acme, client, [{ type: 'dns', value: 'ari.test' }]);
  const res = await get(`${client.endpoint('renewalInfo')}/${expectedCertId(got.der)}`);
  assert.equal(res.status, 200, res.body);
  const { start, end } = JSON.parse(res.body).suggestedWindow;
  const record = [...acme.ca.records.values()].at(-1)!;
  const from = record.notBefore.getTime();
  const life = record.notAfter.getTime() - from;
  assert.equal(new Date(start).getTime(), from + Math.floor((life * 2) / 3));
  assert.equal(new Date(end).getTime(), from + Math.floor((life * 5) / 6));
  assert.equal(res.headers['retry-after'], String(Math.floor(life / 10_000)));
  assert.equal(res.headers['replay-nonce'], undefined);
});

test('a revoked certificate gets a window in the past: renew now', async () => {
  const got = await obtainCertificate(acme, client, [{ type: 'dns', value: 'ari-revoked.test' }]);
  await client.post(client.endpoint('revokeCert'), { certificate: b64u(got.der), reason: 1 });
  const res = await get(`${client.endpoint('renewalInfo')}/${expectedCertId(got.der)}`);
  const { start, end } = JSON.parse(res.body).suggestedWindow;
  assert.ok(new Date(start) < new Date(end));
  assert.ok(new Date(end).getTime() < Date.now());
});

test('an unknown certID is 404, a malformed one 400', async () => {
  const got = await obtainCertificate(acme, client, [{ type: 'dns', value: 'ari-unknown.test' }]);
  const [keyId] = expectedCertId(got.der).split('.');
  assert.equal((await get(`${client.endpoint('renewalInfo')}/${keyId}.AQIDBA`)).status, 404);
  assert.equal(
    (await get(`${client.endpoint('renewalInfo')}/AAAA.${expectedCertId(got.der).split('.')[1]}`))
      .status,
    404,
  );
  for (const bad of ['nodot', 'a.b.c', '!!.AQ', 'AQ.gA', 'AQ.AAE']) {
    const res = await get(`${client.endpoint('renewalInfo')}/${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal(JSON.parse(res.body).type, 'urn:ietf:params:acme:error:malformed');
  }
  // Fastify's router refuses a path segment over 100 characters before any route runs.
  assert.equal((await get(`${client.endpoint('renewalInfo')}/AQ.${'A'.repeat(600)}`)).status, 414);
});

test('replaces: names a certificate of the account, once; the order shows it', async () => {
  const got = await obtainCertificate(acme, client, [{ type: 'dns', value: 'old.replace.test' }]);
  const certId = expectedCertId(got.der);
  const other = await acme.account();
  assert.equal(
    problemType(
      await other.newOrder([{ type: 'dns', value: 'old.replace.test' }], { replaces: certId }),
    ),
    'unauthorized',
  );
  assert.equal(
    problemType(
      await client.newOrder([{ type: 'dns', value: 'elsewhere.test' }], { replaces: certId }),
    ),
    'malformed',
  );
  assert.equal(
    problemType(
      await client.newOrder([{ type: 'dns', value: 'old.replace.test' }], { replaces: 'x.y' }),
    ),
    'malformed',
  );
  assert.equal(
    problemType(
      await client.newOrder([{ type: 'dns', value: 'old.replace.test' }], { replaces: 7 }),
    ),
    'malformed',
  );
  const renewed = await obtainCertificate(
    acme,
    client,
    [{ type: 'dns', value: 'old.replace.test' }],
    { replaces: certId },
  );
  assert.equal(renewed.order.json.replaces, certId);
  const twice = await client.newOrder([{ type: 'dns', value: 'old.replace.test' }], {
    replaces: certId,
  });
  assert.equal(twice.status, 409);
  assert.equal(problemType(twice), 'alreadyReplaced');
});
