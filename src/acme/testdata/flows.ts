// Shortcuts the ACME tests share: an order whose authorizations are marked valid in the
// store (the validators have their own tests), then finalized with a fresh key's CSR.
// Test-only (testdata/ is not built).
import type { KeyObject } from 'node:crypto';
import { pemCertificates } from '../../pki/pem.ts';
import type { Harness } from './harness.ts';
import { type AcmeResponse, type TestAcmeClient, b64u } from './client.ts';
import { buildCsr, ecKeyPair } from './csr.ts';

export interface Obtained {
  readonly order: AcmeResponse;
  readonly orderUrl: string;
  readonly certificateUrl: string;
  readonly der: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

type Ids = readonly { type: 'dns' | 'ip'; value: string }[];

export async function authorizeInStore(
  acme: Harness,
  order: AcmeResponse,
  now = Date.now(),
): Promise<void> {
  for (const url of order.json.authorizations ?? []) {
    const id = url.slice(url.lastIndexOf('/') + 1);
    await acme.store.updateAuthorization(id, ['pending'], {
      status: 'valid',
      expires: new Date(now + 3_600_000),
    });
  }
}

export async function obtainCertificate(
  acme: Harness,
  client: TestAcmeClient,
  identifiers: Ids,
  extra: Record<string, unknown> = {},
): Promise<Obtained> {
  const order = await client.newOrder(identifiers, extra);
  if (order.status !== 201) throw new TypeError(`newOrder: ${order.body}`);
  await authorizeInStore(acme, order);
  const { privateKey, publicKey } = ecKeyPair();
  const csr = buildCsr({ identifiers, privateKey, publicKey });
  const finalized = await client.post(order.json.finalize ?? '', { csr: b64u(csr) });
  if (finalized.json.status !== 'valid') throw new TypeError(`finalize: ${finalized.body}`);
  const certificateUrl = finalized.json.certificate ?? '';
  const chain = await client.get(certificateUrl);
  const der = pemCertificates(chain.body)[0];
  if (der === undefined) throw new TypeError('no certificate');
  return {
    order: finalized,
    orderUrl: client.location(order),
    certificateUrl,
    der,
    privateKey,
    publicKey,
  };
}
