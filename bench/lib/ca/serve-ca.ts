// `ca serve` for the bench, in a process of its own (so the client's CPU is not the
// server's, and `--cpu-prof` profiles the server alone): opens an initialised CA
// directory, starts startCaService on 127.0.0.1, port 0, with http-01 validation sent to
// 127.0.0.1:<http01Port>, prints one line `listening <url> store=<kind>`, and closes on
// SIGTERM (exiting normally, so Node writes a --cpu-prof profile).
//   node bench/lib/ca/serve-ca.ts '{"dir":…,"passphrase":…,"http01Port":…}'
import { join } from 'node:path';
import { pino } from 'pino';
import { startCaService } from '../../../src/acme/service.ts';
import { CertificateAuthority } from '../../../src/ca/authority.ts';
import { createRegistry } from '../../../src/metrics/registry.ts';
import { openAcmeStore } from '../../../src/store/sqlite/acme-store.ts';
import { openCaStore } from '../../../src/store/sqlite/ca-store.ts';

export interface ServeCaArgs {
  readonly dir: string;
  readonly passphrase: string;
  readonly http01Port: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ServeCaArgs;
// As `ca serve` runs: a JSON line per request at info, here into a file in the CA dir.
const logger = pino({ level: 'info' }, pino.destination(join(args.dir, 'serve.log')));
const ca = await CertificateAuthority.open({
  dir: args.dir,
  passphrase: args.passphrase,
  store: openCaStore(join(args.dir, 'ca.db')),
});
// One database for the CA and ACME tables, as `ca serve` opens it.
const acmeStore = openAcmeStore(join(args.dir, 'ca.db'));
const service = await startCaService({
  ca,
  acmeStore,
  listen: { host: '127.0.0.1', port: 0 },
  registry: createRegistry(),
  logger,
  acme: { validation: { http01Port: args.http01Port, connectHost: '127.0.0.1' } },
});
process.once('SIGTERM', () => {
  void service
    .close()
    .then(() => Promise.all([ca.close(), acmeStore.close()]))
    .finally(() => process.exit(0));
});
console.log(`listening ${service.url} store=sqlite (ca.db, shared with the CA)`);
