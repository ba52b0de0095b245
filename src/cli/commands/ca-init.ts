// `wiretight ca init`: creates the CA directory, then its store (ca.db), and says what was
// made and what to do with the root.
import { join } from 'node:path';
import { CA_FILES, type KeyAlgorithm, formatDuration, initCa } from '../../ca/index.ts';
import { openCaStore } from '../../store/index.ts';
import { painter } from '../../report/style.ts';
import { type CliIo, wantsColor } from '../io.ts';
import type { CaInitFlags } from './ca.ts';
import { CA_EXIT } from './ca.ts';
import { passphraseFor, printJson, usage } from './ca-common.ts';

export async function runCaInit(flags: CaInitFlags, io: CliIo): Promise<number> {
  const passphrase = await passphraseFor(flags, io, true);
  let result;
  try {
    result = await initCa({
      dir: flags.dir,
      passphrase,
      keyType: flags.keyType as KeyAlgorithm,
      ...(flags.name === undefined ? {} : { name: flags.name }),
      ...(flags.rootLifetime === undefined ? {} : { rootLifetimeSeconds: flags.rootLifetime }),
      ...(flags.intermediateLifetime === undefined
        ? {}
        : { intermediateLifetimeSeconds: flags.intermediateLifetime }),
      permitDns: flags.permitDns,
      permitIp: flags.permitIp,
      ...(flags.spiffeDomain === undefined ? {} : { spiffeTrustDomain: flags.spiffeDomain }),
      nameConstraints: flags.nameConstraints,
      ...(flags.url === undefined ? {} : { publicUrl: flags.url }),
      ...(flags.rootKeyOut === undefined ? {} : { rootKeyOut: flags.rootKeyOut }),
    });
  } catch (err) {
    // Bad flag values (a CIDR, a URL, lifetimes, the name) arrive as RangeErrors.
    if (err instanceof RangeError) throw usage(err.message, err);
    throw err;
  }
  const database = join(result.dir, CA_FILES.database);
  await openCaStore(database).close();
  const policy = result.policy;
  if (flags.format === 'json') {
    printJson(io, {
      dir: result.dir,
      files: { ...result.files, database },
      rootFingerprint: result.rootFingerprint,
      name: result.config.name,
      keyType: result.config.keyType,
      publicUrl: result.config.publicUrl,
      policy: {
        dns: policy.dns,
        wildcards: policy.wildcards,
        ip: policy.ip.map((r) => r.text),
        spiffe: policy.spiffeTrustDomain,
        keyTypes: policy.keyTypes,
        minRsaBits: policy.minRsaBits,
        defaultLifetime: formatDuration(policy.defaultLifetimeSeconds),
        maxLifetime: formatDuration(policy.maxLifetimeSeconds),
        usages: policy.usages,
      },
    });
    return CA_EXIT.ok;
  }
  const paint = painter(wantsColor(io, flags.color));
  const lines = [
    `${paint('green', 'CA created')} in ${result.dir}`,
    `  root          ${result.files.root}  (distribute as the trust anchor)`,
    `  root key      ${result.files.rootKey}  (encrypted; not needed to run the CA: keep it offline)`,
    `  intermediate  ${result.files.intermediate}`,
    `  policy        ${result.files.policy}`,
    `  SHA-256       ${result.rootFingerprint}`,
  ];
  const allowsNothing =
    policy.dns.length === 0 && policy.ip.length === 0 && policy.spiffeTrustDomain === null;
  if (allowsNothing) {
    lines.push(
      paint(
        'yellow',
        `The policy allows no names yet: edit ${result.files.policy} (or init with --permit-dns/--permit-ip).`,
      ),
    );
  }
  if (result.config.publicUrl === null) {
    lines.push('No --url: leaves will carry no OCSP or CRL address.');
  }
  io.stdout(`${lines.join('\n')}\n`);
  return CA_EXIT.ok;
}
