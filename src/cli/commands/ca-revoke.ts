// `wiretight ca revoke`: by serial or by certificate file; signs a new CRL at once.
import { type RevocationReason, normalizeSerial } from '../../ca/index.ts';
import { integerMagnitude } from '../../pki/der.ts';
import { certificateParts } from '../../pki/certificate-parts.ts';
import { painter } from '../../report/style.ts';
import { type CliIo, wantsColor } from '../io.ts';
import type { CaRevokeFlags } from './ca.ts';
import { CA_EXIT } from './ca.ts';
import { cliUser, printJson, readCertificate, usage, withCa } from './ca-common.ts';

async function serialOf(flags: CaRevokeFlags): Promise<string> {
  if ((flags.serial === undefined) === (flags.cert === undefined)) {
    throw usage('give either --serial HEX or --cert FILE');
  }
  if (flags.serial !== undefined) {
    try {
      return normalizeSerial(flags.serial);
    } catch (err) {
      throw usage(`--serial: ${(err as Error).message}`, err);
    }
  }
  const der = await readCertificate('--cert', flags.cert as string);
  try {
    return Buffer.from(integerMagnitude(certificateParts(der).serial)).toString('hex');
  } catch (err) {
    throw usage(`--cert ${flags.cert}: not a valid certificate`, err);
  }
}

export async function runCaRevoke(flags: CaRevokeFlags, io: CliIo): Promise<number> {
  const serial = await serialOf(flags);
  return withCa(flags, io, async (ca) => {
    const record = await ca.revoke(serial, flags.reason as RevocationReason, cliUser());
    const crl = await ca.currentCrl();
    if (flags.format === 'json') {
      printJson(io, {
        serial: record.serial,
        status: 'revoked',
        revokedAt: record.revokedAt?.toISOString() ?? null,
        reason: record.revocationReason,
        identifiers: record.identifiers,
        crlNumber: crl.number.toString(),
      });
      return CA_EXIT.ok;
    }
    const paint = painter(wantsColor(io, flags.color));
    io.stdout(
      `${paint('red', 'revoked')} ${record.serial} (${record.identifiers.map((i) => i.value).join(', ')}), reason ${record.revocationReason ?? 'unspecified'}\n` +
        `  CRL #${crl.number} signed, next update ${crl.nextUpdate.toISOString()}\n`,
    );
    return CA_EXIT.ok;
  });
}
