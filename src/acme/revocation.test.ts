import assert from 'node:assert/strict';
import { certificateParts } from '../pki/certificate-parts.ts';
import { issue } from '../pki/testdata/certificates.ts';
import { after, before, test } from 'node:test';
import { exportJWK } from 'jose';
import { serialHex } from './certificates.ts';
import { type Harness, problemType, startAcme } from './testdata/harness.ts';
import { b64u } from './testdata/client.ts';
import { authorizeInStore, obtainCertificate } from './testdata/flows.ts';

let acme: Harness;
before(async () => {
  acme = await startAcme();
});
after(() => acme.close());

const revokeUrl = (c: { endpoint(n: string): string }): string => c.endpoint('revokeCert');

test('the ordering account revokes with a reason; a second revocation is alreadyRevoked', async () => {
  const client = await acme.account();
  const got = await obtainCertificate(acme, client, [{ type: 'dns', value: 'own.revoke.test' }]);
  const res = await client.post(revokeUrl(client), { certificate: b64u(got.der), reason: 1 });
  assert.equal(res.status, 200, res.body);
  const serial = acme.ca.revocations.at(-1);
  assert.equal(serial?.reason, 'keyCompromise');
  assert.equal(serial?.requestedBy, client.kid);
  assert.equal((await acme.ca.get(serial.serial))?.status, 'revoked');
  const again = await client.post(revokeUrl(client), { certificate: b64u(got.der) });
  assert.equal(problemType(again), 'alreadyRevoked');
  // The chain stays downloadable after revocation.
  assert.equal((await client.get(got.certificateUrl)).status, 200);
});

test('another account needs valid authorizations for every identifier of the certificate', async () => {
  const owner = await acme.account();
  const got = await obtainCertificate(acme, owner, [
    { type: 'dns', value: 'a.shared.test' },
    { type: 'dns', value: 'b.shared.test' },
  ]);
  const other = await acme.account();
  const before = acme.ca.revocations.length;
  assert.equal(
    problemType(await other.post(revokeUrl(other), { certificate: b64u(got.der) })),
    'unauthorized',
  );
  // Authorized for one of the two names: still not enough.
  const half = await other.newOrder([{ type: 'dns', value: 'a.shared.test' }]);
  await authorizeInStore(acme, half);
  assert.equal(
    problemType(await other.post(revokeUrl(other), { certificate: b64u(got.der) })),
    'unauthorized',
  );
  assert.equal(acme.ca.revocations.length, before);
  const both = await other.newOrder([{ type: 'dns', value: 'b.shared.test' }]);
  await authorizeInStore(acme, both);
  const res = await other.post(revokeUrl(other), { certificate: b64u(got.der), reason: 5 });
  assert.equal(res.status, 200, res.body);
  assert.equal(acme.ca.revocations.at(-1)?.reason, 'cessationOfOperation');
});

test("the certificate's own key may revoke it (jwk form); another key may not", async () => {
  const owner = await acme.account();
  const got = await obtainCertificate(acme, owner, [{ type: 'dns', value: 'key.revoke.test' }]);
  const stranger = await acme.client();
  const certKey = {
    alg: 'ES256',
    privateKey: got.privateKey as never,
    jwk: await exportJWK(got.publicKey),
  };
  const wrong = await stranger.post(
    revokeUrl(stranger),
    { certificate: b64u(got.der) },
    { jwk: true },
  );
  assert.equal(problemType(wrong), 'unauthorized');
  const res = await stranger.post(
    revokeUrl(stranger),
    { certificate: b64u(got.der), reason: 1 },
    { jwk: true, key: certKey },
  );
  assert.equal(res.status, 200, res.body);
  assert.equal(acme.ca.revocations.at(-1)?.requestedBy, 'acme: certificate key');
});

test('reasons outside the subscriber set are badRevocationReason; foreign or garbage certificates are refused', async () => {
  const client = await acme.account();
  const got = await obtainCertificate(acme, client, [{ type: 'dns', value: 'reason.revoke.test' }]);
  for (const reason of [2, 6, 7, 8, 10, 11, -1, '1', 1.5, null]) {
    const res = await client.post(revokeUrl(client), { certificate: b64u(got.der), reason });
    assert.equal(problemType(res), 'badRevocationReason', JSON.stringify(reason));
  }
  const foreign = issue({ cn: 'x', dns: ['reason.revoke.test'] });
  const res = await client.post(revokeUrl(client), { certificate: b64u(foreign.der) });
  assert.equal(res.status, 404);
  // The same serial under the same issuer, but not the certificate the CA issued.
  const serial = Number.parseInt(Buffer.from(certificateParts(got.der).serial).toString('hex'), 16);
  const forged = issue({
    cn: 'x',
    dns: ['reason.revoke.test'],
    issuer: acme.ca.intermediate,
    serial,
  });
  assert.equal(
    (await client.post(revokeUrl(client), { certificate: b64u(forged.der) })).status,
    404,
  );
  assert.equal(
    problemType(await client.post(revokeUrl(client), { certificate: b64u('garbage') })),
    'malformed',
  );
  assert.equal(problemType(await client.post(revokeUrl(client), { certificate: 42 })), 'malformed');
  assert.equal((await acme.ca.get(serialHex(certificateParts(got.der).serial)))?.status, 'valid');
});
