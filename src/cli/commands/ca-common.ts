// What the `ca` commands share: opening the CA of --dir with its passphrase, reading the
// files a user names (capped; a bad one is a usage error naming the flag), writing outputs
// atomically, and the JSON shape of a certificate record.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import {
  CA_FILES,
  CertificateAuthority,
  type CertificateRecord,
  readConfig,
} from '../../ca/index.ts';
import { readCapped, writeFileAtomic } from '../../ca/files.ts';
import { WiretightError } from '../../errors.ts';
import { pemBlocks } from '../../pki/pem.ts';
import { openCaStore } from '../../store/index.ts';
import type { CliIo } from '../io.ts';
import { openAuditLog } from './ca-audit.ts';
import { resolvePassphrase } from './ca-passphrase.ts';
import { terminalPrompt } from './ca-prompt.ts';

/** Certificates and CSRs a user hands the CLI are small; this is far above any real one. */
export const MAX_INPUT_FILE_BYTES = 256 * 1024;

export const usage = (message: string, cause?: unknown): WiretightError =>
  new WiretightError('WT_ERR_CLI_USAGE', message, cause === undefined ? undefined : { cause });

export async function passphraseFor(
  flags: { readonly passphraseFile?: string },
  io: CliIo,
  confirm = false,
): Promise<string> {
  return resolvePassphrase({
    file: flags.passphraseFile,
    env: io.env,
    prompt: terminalPrompt(),
    confirm,
  });
}

/** Opens the CA of `flags.dir`; `use` runs with it, and it is closed whatever happens. */
export async function withCa<T>(
  flags: { readonly dir: string; readonly passphraseFile?: string },
  io: CliIo,
  use: (ca: CertificateAuthority) => Promise<T>,
): Promise<T> {
  // ca.json first: a directory that is not a CA must not get a fresh ca.db.
  await readConfig(flags.dir);
  const passphrase = await passphraseFor(flags, io);
  const store = openCaStore(join(flags.dir, CA_FILES.database));
  const audit = openAuditLog(flags.dir);
  let ca: CertificateAuthority;
  try {
    ca = await CertificateAuthority.open({
      dir: flags.dir,
      passphrase,
      store,
      logger: audit.logger,
    });
  } catch (err) {
    await store.close();
    audit.close();
    throw err;
  }
  try {
    return await use(ca);
  } finally {
    await ca.close();
    audit.close();
  }
}

/** A file named by `flag`, capped; a usage error naming the flag when it cannot be read. */
export async function readInput(flag: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readCapped(path, MAX_INPUT_FILE_BYTES));
  } catch (cause) {
    throw usage(`${flag} ${path}: ${(cause as Error).message.replace(`${path} `, '')}`, cause);
  }
}

/** The first certificate of a PEM or DER file. */
export async function readCertificate(flag: string, path: string): Promise<Uint8Array> {
  const bytes = await readInput(flag, path);
  if (bytes[0] === 0x30) return bytes;
  try {
    const block = pemBlocks(Buffer.from(bytes).toString('latin1')).find(
      (b) => b.label === 'CERTIFICATE',
    );
    if (block !== undefined) return block.der;
  } catch (cause) {
    throw usage(`${flag} ${path}: not a PEM or DER certificate`, cause);
  }
  throw usage(`${flag} ${path} holds no CERTIFICATE block`);
}

/** Writes an output file atomically with `mode`; a usage error naming the flag on failure. */
export async function writeOutput(
  flag: string,
  path: string,
  data: string | Uint8Array,
  mode: number,
  exclusive = false,
): Promise<void> {
  try {
    await writeFileAtomic(path, data, { mode, exclusive });
  } catch (cause) {
    throw usage(`${flag} ${path}: ${(cause as Error).message.replace(`${path} `, '')}`, cause);
  }
}

/** Who ran the command, for the audit fields of what it issues or revokes. */
export function cliUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export type DisplayStatus = 'valid' | 'expired' | 'revoked';

export const statusAt = (r: CertificateRecord, now: Date): DisplayStatus =>
  r.status === 'revoked' ? 'revoked' : r.notAfter > now ? 'valid' : 'expired';

/** A record as `--format json` prints it (docs/ca.md). */
export function recordJson(r: CertificateRecord, now: Date): Record<string, unknown> {
  return {
    serial: r.serial,
    commonName: r.commonName,
    identifiers: r.identifiers,
    usage: r.usage,
    keyAlgorithm: r.keyAlgorithm,
    notBefore: r.notBefore.toISOString(),
    notAfter: r.notAfter.toISOString(),
    issuedAt: r.issuedAt.toISOString(),
    provisioner: r.provisioner,
    requestedBy: r.requestedBy,
    status: statusAt(r, now),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    revocationReason: r.revocationReason,
  };
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
