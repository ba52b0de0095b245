// Runs the openssl CLI on what the ACME server produced: an independent check of the
// chains it serves. Test-only (testdata/ is not built).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `openssl verify -purpose sslserver` of the chain's leaf against `rootPem`, its output. */
export async function opensslVerifyChain(rootPem: string, chainPem: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wiretight-acme-'));
  try {
    const blocks = chainPem
      .split(/(?<=-----END CERTIFICATE-----\n?)/)
      .filter((b) => b.includes('BEGIN'));
    writeFileSync(join(dir, 'root.pem'), rootPem);
    writeFileSync(join(dir, 'leaf.pem'), blocks[0] ?? '');
    writeFileSync(join(dir, 'untrusted.pem'), blocks.slice(1).join(''));
    const { stdout } = await run('openssl', [
      'verify',
      '-purpose',
      'sslserver',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'untrusted.pem'),
      join(dir, 'leaf.pem'),
    ]);
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
