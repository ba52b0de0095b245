// How `ca issue` and `ca renew` hand over a certificate: files where asked, the PEM on
// stdout otherwise, a summary for people or one JSON object for scripts.
import type { IssuedCertificate } from '../../ca/index.ts';
import { painter } from '../../report/style.ts';
import { type CliIo, wantsColor } from '../io.ts';
import { printJson, recordJson, writeOutput } from './ca-common.ts';

interface Outputs {
  readonly out?: string | undefined;
  readonly chainOut?: string | undefined;
  readonly format: 'text' | 'json';
  readonly color?: boolean | undefined;
}

/** Writes the certificate and chain where asked and reports what was issued. */
export async function deliver(
  issued: IssuedCertificate,
  outputs: Outputs,
  io: CliIo,
  extra: { key?: string } = {},
): Promise<void> {
  if (outputs.out !== undefined)
    await writeOutput('--out', outputs.out, issued.certificatePem, 0o644);
  if (outputs.chainOut !== undefined)
    await writeOutput('--chain-out', outputs.chainOut, issued.chainPem, 0o644);
  const r = issued.record;
  if (outputs.format === 'json') {
    printJson(io, {
      ...recordJson(r, r.issuedAt),
      files: {
        ...(outputs.out === undefined ? {} : { certificate: outputs.out }),
        ...(outputs.chainOut === undefined ? {} : { chain: outputs.chainOut }),
        ...(extra.key === undefined ? {} : { key: extra.key }),
      },
      certificatePem: issued.certificatePem,
      chainPem: issued.chainPem,
    });
    return;
  }
  const paint = painter(wantsColor(io, outputs.color));
  const summary = [
    `${paint('green', 'issued')} ${r.serial} for ${r.identifiers.map((i) => i.value).join(', ')}`,
    `  usage ${r.usage}, key ${r.keyAlgorithm}, valid until ${r.notAfter.toISOString()}`,
    ...[
      ['certificate', outputs.out],
      ['chain', outputs.chainOut],
      ['key', extra.key],
    ].flatMap(([what, path]) => (path === undefined ? [] : [`  ${what} → ${path}`])),
  ].join('\n');
  if (outputs.out === undefined) {
    // The PEM owns stdout (so `> cert.pem` works); the summary goes to stderr.
    io.stdout(issued.certificatePem);
    io.stderr(`${summary}\n`);
  } else {
    io.stdout(`${summary}\n`);
  }
}
