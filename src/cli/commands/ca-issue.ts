// `wiretight ca issue`: a certificate for a CSR's key, or for a key generated here and
// written (unencrypted, 0600) to --key-out.
import { existsSync } from 'node:fs';
import {
  type CertificateUsage,
  type Identifier,
  type KeyAlgorithm,
  csrFromFile,
  generateKeyPair,
} from '../../ca/index.ts';
import type { CliIo } from '../io.ts';
import type { CaIssueFlags } from './ca.ts';
import { CA_EXIT } from './ca.ts';
import { cliUser, readInput, usage, withCa, writeOutput } from './ca-common.ts';
import { deliver } from './ca-output.ts';

function identifiersOf(names: readonly string[], flags: CaIssueFlags): Identifier[] {
  return [
    ...names.map((value): Identifier => ({ type: 'dns', value })),
    ...flags.ip.map((value): Identifier => ({ type: 'ip', value })),
    ...flags.uri.map((value): Identifier => ({ type: 'uri', value })),
  ];
}

export async function runCaIssue(
  names: readonly string[],
  flags: CaIssueFlags,
  io: CliIo,
): Promise<number> {
  const identifiers = identifiersOf(names, flags);
  if ((flags.csr === undefined) === (flags.keyOut === undefined)) {
    throw usage('give either --csr FILE (certify its key) or --key-out FILE (generate a key)');
  }
  if (flags.csr !== undefined && identifiers.length > 0) {
    throw usage('with --csr the names come from the CSR: drop the names, --ip and --uri');
  }
  if (flags.keyOut !== undefined && identifiers.length === 0) {
    throw usage('name what to certify: DNS names, --ip ADDRESS or --uri URI');
  }
  // Never replace a key: refuse before the CA signs anything.
  if (flags.keyOut !== undefined && existsSync(flags.keyOut)) {
    throw usage(`--key-out ${flags.keyOut} exists already; wiretight never overwrites a key`);
  }
  const csr =
    flags.csr === undefined
      ? undefined
      : csrFromFile(await readInput('--csr', flags.csr), flags.csr);
  return withCa(flags, io, async (ca) => {
    const common = {
      usage: flags.usage as CertificateUsage,
      provisioner: 'cli' as const,
      requestedBy: cliUser(),
      ...(flags.lifetime === undefined ? {} : { lifetimeSeconds: flags.lifetime }),
    };
    if (csr !== undefined) {
      await deliver(await ca.issueFromCsr(csr, common), flags, io);
      return CA_EXIT.ok;
    }
    const keyOut = flags.keyOut as string;
    const keys = await generateKeyPair(flags.keyType as KeyAlgorithm);
    const issued = await ca.issue({ ...common, publicKey: keys.publicKey, identifiers });
    const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await writeOutput('--key-out', keyOut, keyPem, 0o600, true);
    await deliver(issued, flags, io, { key: keyOut });
    return CA_EXIT.ok;
  });
}
