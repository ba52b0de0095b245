// `wiretight ca renew`: a new certificate for the names, usage and key (or a CSR's new key)
// of one this CA issued, which must be neither revoked nor expired.
import { csrFromFile } from '../../ca/index.ts';
import type { CliIo } from '../io.ts';
import type { CaRenewFlags } from './ca.ts';
import { CA_EXIT } from './ca.ts';
import { cliUser, readCertificate, readInput, withCa } from './ca-common.ts';
import { deliver } from './ca-output.ts';

export async function runCaRenew(flags: CaRenewFlags, io: CliIo): Promise<number> {
  const current = await readCertificate('--cert', flags.cert);
  const csr =
    flags.csr === undefined
      ? undefined
      : csrFromFile(await readInput('--csr', flags.csr), flags.csr);
  return withCa(flags, io, async (ca) => {
    const issued = await ca.renew(current, {
      requestedBy: cliUser(),
      ...(csr === undefined ? {} : { csr }),
      ...(flags.lifetime === undefined ? {} : { lifetimeSeconds: flags.lifetime }),
    });
    await deliver(issued, flags, io);
    return CA_EXIT.ok;
  });
}
