// Starts the ACME plugin on a fresh fastify instance with the fake CA and the memory
// store, for the unit tests. Test-only (testdata/ is not built).
import Fastify, { type FastifyInstance } from 'fastify';
import { createRegistry, type Registry } from '../../metrics/registry.ts';
import {
  type AcmeCertificateAuthority,
  type AcmeOptions,
  type AcmeServer,
  type AcmeStore,
  registerAcme,
} from '../index.ts';
import { FakeCa } from './fake-ca.ts';
import { MemoryAcmeStore } from './memory-store.ts';
import { type AcmeResponse, TestAcmeClient, injectTransport } from './client.ts';

export const BASE_URL = 'https://acme.test:8443';

export interface Harness<
  C extends AcmeCertificateAuthority = FakeCa,
  S extends AcmeStore = MemoryAcmeStore,
> {
  readonly app: FastifyInstance;
  readonly ca: C;
  readonly store: S;
  readonly registry: Registry;
  readonly server: AcmeServer;
  client(alg?: string): Promise<TestAcmeClient>;
  /** A client with an account already. */
  account(alg?: string): Promise<TestAcmeClient>;
  close(): Promise<void>;
}

type Overrides = Partial<Omit<AcmeOptions, 'ca' | 'store'>>;

/** The plugin in front of `ca` (the real CertificateAuthority, or the fake). */
export async function startAcmeOn<C extends AcmeCertificateAuthority, S extends AcmeStore>(
  ca: C,
  store: S,
  overrides: Overrides = {},
): Promise<Harness<C, S>> {
  const app = Fastify();
  const registry = createRegistry({ defaultMetrics: false });
  const server = registerAcme(app, {
    baseUrl: () => BASE_URL,
    registry,
    validation: { connectHost: '127.0.0.1', timeoutMs: 3000 },
    ...overrides,
    ca,
    store,
  });
  await app.ready();
  const client = (alg?: string): Promise<TestAcmeClient> =>
    TestAcmeClient.create(injectTransport(app), BASE_URL, alg);
  return {
    app,
    ca,
    store,
    registry,
    server,
    client,
    account: async (alg) => {
      const c = await client(alg);
      const res = await c.newAccount();
      if (res.status !== 201) throw new TypeError(`account not created: ${res.body}`);
      return c;
    },
    close: () => app.close(),
  };
}

/** The plugin with the fake CA (test policy: *.test, localhost, 127.0.0.0/8, ::1). */
export function startAcme(overrides: Overrides = {}): Promise<Harness> {
  return startAcmeOn(new FakeCa(overrides.now), new MemoryAcmeStore(), overrides);
}

/** The problem type of a reply without its URN prefix ('' when the reply is not a problem). */
export function problemType(res: AcmeResponse): string {
  const type: unknown = res.json?.type;
  return typeof type === 'string' ? type.replace('urn:ietf:params:acme:error:', '') : '';
}
