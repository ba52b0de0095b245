// Serves the ACME plugin over HTTPS with the fake CA and the memory store, for trying
// real clients (lego, certbot) by hand:
//   node src/acme/testdata/serve-for-clients.ts CERT KEY PORT HTTP01PORT TLSALPNPORT [DNS_HOST:PORT]
// Test-only (testdata/ is not built).
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { registerAcme } from '../index.ts';
import { FakeCa } from './fake-ca.ts';
import { MemoryAcmeStore } from './memory-store.ts';

const [cert = '', key = '', port, http01, alpn, dnsResolver] = process.argv.slice(2);
const app = Fastify({ https: { cert: readFileSync(cert), key: readFileSync(key) } });
const ca = new FakeCa();
registerAcme(app, {
  ca,
  store: new MemoryAcmeStore(),
  baseUrl: () => `https://127.0.0.1:${port}`,
  validation: {
    connectHost: '127.0.0.1',
    http01Port: Number(http01),
    tlsAlpn01Port: Number(alpn),
    ...(dnsResolver === undefined ? {} : { dnsResolver }),
  },
  logger: {
    info: (f, m) => console.log(m, JSON.stringify(f)),
    warn: (f, m) => console.log(m, JSON.stringify(f)),
    error: (f, m) => console.log(m, JSON.stringify(f)),
    child() {
      return this;
    },
  },
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
console.log(`listening ${port}; root:\n${ca.root.pem}`);
