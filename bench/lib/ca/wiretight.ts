// wiretight's side of the CA bench: a fresh CA directory (ca init with a policy that
// allows the bench's names), and `ca serve` on it in a child process (serve-ca.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initCa } from '../../../src/ca/init.ts';
import { type TrackedServer, launchTracked } from './tracked.ts';

/** Every name the bench orders is under this suffix. */
export const BENCH_DNS_SUFFIX = 'bench.test';
const PASSPHRASE = 'wiretight-bench-passphrase';

export interface BenchCa {
  readonly dir: string;
  readonly passphrase: string;
  readonly rootPem: string;
  /** The root in a PEM file, for lego (LEGO_CA_CERTIFICATES) and openssl. */
  readonly rootFile: string;
}

/** `ca init` in `<parent>/<name>`: ECDSA P-256, names under .bench.test and 127.0.0.1. */
export async function createBenchCa(parent: string, name: string): Promise<BenchCa> {
  const dir = join(parent, name);
  const init = await initCa({
    dir,
    passphrase: PASSPHRASE,
    name: `wiretight bench CA (${name})`,
    keyType: 'ecdsa-p256',
    permitDns: [`.${BENCH_DNS_SUFFIX}`],
    permitIp: ['127.0.0.1/32'],
  });
  const rootFile = join(parent, `${name}-root.pem`);
  writeFileSync(rootFile, init.rootPem);
  return { dir, passphrase: PASSPHRASE, rootPem: init.rootPem, rootFile };
}

export interface WiretightService {
  readonly directoryUrl: string;
  /** Which ACME store the service runs on, as serve-ca.ts reports it. */
  readonly store: string;
  readonly server: TrackedServer;
}

const SERVE = fileURLToPath(new URL('./serve-ca.ts', import.meta.url));
const READY = /^listening (https:\/\/\S+) store=(.*)$/m;

export async function startWiretightService(
  ca: BenchCa,
  http01Port: number,
  cpuProfDir?: string,
): Promise<WiretightService> {
  const server = await launchTracked({
    name: 'wiretight ca serve (bench)',
    cmd: process.execPath,
    args: [
      ...(cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir]),
      SERVE,
      JSON.stringify({ dir: ca.dir, passphrase: ca.passphrase, http01Port }),
    ],
    port: (output) => {
      const url = READY.exec(output)?.[1];
      return url === undefined ? undefined : Number(new URL(url).port);
    },
    timeoutMs: 20_000,
  });
  const m = READY.exec(server.logs());
  return { directoryUrl: `${m![1]}/acme/directory`, store: m![2]!, server };
}
