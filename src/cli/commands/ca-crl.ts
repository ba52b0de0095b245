// `wiretight ca crl`: the current CRL (signed again first when stale), PEM or DER.
import { pem } from '../../ca/der-writer.ts';
import type { CliIo } from '../io.ts';
import type { CaCrlFlags } from './ca.ts';
import { CA_EXIT } from './ca.ts';
import { usage, withCa, writeOutput } from './ca-common.ts';

export async function runCaCrl(flags: CaCrlFlags, io: CliIo): Promise<number> {
  if (flags.format === 'der' && flags.out === undefined) {
    throw usage('a DER CRL is binary: give --out FILE (or --format pem for stdout)');
  }
  return withCa(flags, io, async (ca) => {
    const crl = await ca.currentCrl();
    if (flags.out === undefined) {
      io.stdout(pem('X509 CRL', crl.der));
      return CA_EXIT.ok;
    }
    const data = flags.format === 'der' ? crl.der : pem('X509 CRL', crl.der);
    await writeOutput('--out', flags.out, data, 0o644);
    io.stdout(
      `CRL #${crl.number} (${flags.format}) → ${flags.out}, next update ${crl.nextUpdate.toISOString()}\n`,
    );
    return CA_EXIT.ok;
  });
}
