// A CA made and served by the built CLI, as an operator would: `wiretight ca init`, then
// `wiretight ca serve` with challenge validation pointed at loopback ports the test's ACME
// clients listen on. Every port is picked up front, since the CA writes its URLs into the
// certificates it issues.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, type ExecResult } from './exec.ts';
import { freePort, launch, type RunningServer } from './process.ts';

export const MAIN = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

export interface ServedCa {
  /** Temp dir holding the CA (`ca/`), the passphrase file and whatever the test adds. */
  readonly home: string;
  readonly dir: string;
  readonly passphraseFile: string;
  readonly rootPem: string;
  readonly intermediatePem: string;
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly directory: string;
  /** http://127.0.0.1:PORT: OCSP and the CRL in plain HTTP. */
  readonly httpUrl: string;
  /** Where http-01 and tls-alpn-01 validation connect (the clients listen there). */
  readonly http01Port: number;
  readonly tlsAlpn01Port: number;
  readonly server: RunningServer;
  /** Runs `wiretight ca <args…> --dir <dir> --passphrase-file <file>`. */
  ca(args: readonly string[]): Promise<ExecResult>;
  stop(): Promise<void>;
}

export interface ServeOptions {
  readonly permitDns?: readonly string[];
  readonly extraServeArgs?: readonly string[];
}

export function wiretight(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExecResult> {
  return exec(process.execPath, [MAIN, ...args], { timeoutMs: 60_000, env });
}

export async function startServedCa(options: ServeOptions = {}): Promise<ServedCa> {
  const home = mkdtempSync(join(tmpdir(), 'wt-ca-serve-'));
  const dir = join(home, 'ca');
  const passphraseFile = join(home, 'passphrase');
  writeFileSync(passphraseFile, 'a test passphrase for the CA\n', { mode: 0o600 });
  const [httpsPort, httpPort, http01Port, tlsAlpn01Port] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const init = await wiretight([
    'ca',
    'init',
    '--dir',
    dir,
    '--passphrase-file',
    passphraseFile,
    ...(options.permitDns ?? ['.wiretight.test']).flatMap((d) => ['--permit-dns', d]),
    '--permit-ip',
    '127.0.0.0/8',
    '--url',
    `http://127.0.0.1:${httpPort}`,
  ]);
  if (init.code !== 0) throw new Error(`ca init failed: ${init.stderr}${init.stdout}`);
  const server = await launch({
    name: 'wiretight ca serve',
    cmd: process.execPath,
    args: [
      MAIN,
      'ca',
      'serve',
      '--dir',
      dir,
      '--passphrase-file',
      passphraseFile,
      '--listen',
      `127.0.0.1:${httpsPort}`,
      '--http-listen',
      `127.0.0.1:${httpPort}`,
      '--http01-port',
      String(http01Port),
      '--tls-alpn01-port',
      String(tlsAlpn01Port),
      '--validation-host',
      '127.0.0.1',
      ...(options.extraServeArgs ?? []),
    ],
    tmpDir: home,
    port: httpsPort,
    timeoutMs: 20_000,
  });
  const url = `https://127.0.0.1:${httpsPort}`;
  return {
    home,
    dir,
    passphraseFile,
    rootPem: join(dir, 'root.pem'),
    intermediatePem: join(dir, 'intermediate.pem'),
    url,
    directory: `${url}/acme/directory`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    http01Port,
    tlsAlpn01Port,
    server,
    ca: (args) => wiretight(['ca', ...args, '--dir', dir, '--passphrase-file', passphraseFile]),
    stop: async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The PEM certificates of a file, in order. */
export function pemCertificates(path: string): string[] {
  return (
    readFileSync(path, 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g,
    ) ?? []
  );
}
