// `wiretight ca …`: the offline commands of the internal CA. Only the commander wiring
// lives here; each action loads its module (and the CA library) when it runs, so `scan`
// starts without them.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../../ca/duration.ts';
import { CERTIFICATE_USAGES, KEY_ALGORITHMS, REVOCATION_REASONS } from '../../ca/types.ts';
import type { ErrorCode } from '../../errors.ts';
import type { CliIo } from '../io.ts';
import { registerCaServe } from './ca-serve.ts';

/** Exit codes of `wiretight ca`, a public contract (docs/ca.md). */
export const CA_EXIT = {
  ok: 0,
  /** The CA refused: policy, CSR, unknown serial, revoked, renewal not allowed. */
  refused: 1,
  /** The command line, the CA directory, its configuration or the passphrase. */
  usage: 2,
  /** The store or the file system failed. */
  failed: 3,
} as const;

/** WiretightError codes that end a `ca` command with something other than CA_EXIT.failed. */
export const CA_EXIT_CODES: Partial<Record<ErrorCode, number>> = {
  WT_ERR_CA_POLICY: CA_EXIT.refused,
  WT_ERR_CA_CSR: CA_EXIT.refused,
  WT_ERR_CA_NOT_FOUND: CA_EXIT.refused,
  WT_ERR_CA_REVOKED: CA_EXIT.refused,
  WT_ERR_CA_RENEW: CA_EXIT.refused,
  WT_ERR_CA_DIR: CA_EXIT.usage,
  WT_ERR_CA_CONFIG: CA_EXIT.usage,
  WT_ERR_CA_PASSPHRASE: CA_EXIT.usage,
};

// The two small modules below load no other CA code: registering stays cheap.
const KEY_TYPES = [...KEY_ALGORITHMS];
const USAGES = [...CERTIFICATE_USAGES];
// removeFromCRL belongs to delta CRLs; it is not a reason to revoke.
const REASONS = Object.keys(REVOCATION_REASONS).filter((r) => r !== 'removeFromCRL');

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new InvalidArgumentError('expected a whole number, 1 to 1000000');
  }
  return n;
}

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

export interface CaCommonFlags {
  readonly dir: string;
  readonly passphraseFile?: string;
  readonly format: 'text' | 'json';
  readonly color?: boolean;
}

export interface CaInitFlags extends CaCommonFlags {
  readonly keyType: string;
  readonly name?: string;
  readonly rootLifetime?: number;
  readonly intermediateLifetime?: number;
  readonly permitDns: readonly string[];
  readonly permitIp: readonly string[];
  readonly spiffeDomain?: string;
  readonly nameConstraints: boolean;
  readonly url?: string;
  readonly rootKeyOut?: string;
}

export interface CaIssueFlags extends CaCommonFlags {
  readonly ip: readonly string[];
  readonly uri: readonly string[];
  readonly csr?: string;
  readonly keyOut?: string;
  readonly keyType: string;
  readonly usage: string;
  readonly lifetime?: number;
  readonly out?: string;
  readonly chainOut?: string;
}

export interface CaRenewFlags extends CaCommonFlags {
  readonly cert: string;
  readonly csr?: string;
  readonly lifetime?: number;
  readonly out?: string;
  readonly chainOut?: string;
}

export interface CaRevokeFlags extends CaCommonFlags {
  readonly serial?: string;
  readonly cert?: string;
  readonly reason: string;
}

export interface CaListFlags extends Omit<CaCommonFlags, 'passphraseFile'> {
  readonly status?: 'valid' | 'revoked' | 'expired';
  readonly expiring?: number;
  readonly limit: number;
}

export interface CaCrlFlags extends Omit<CaCommonFlags, 'format' | 'color'> {
  readonly out?: string;
  readonly format: 'der' | 'pem';
}

function common(command: Command, passphrase = true, format = true): Command {
  command.requiredOption('--dir <dir>', 'the CA directory (made by ca init)');
  if (passphrase) {
    command.option(
      '--passphrase-file <file>',
      'read the key passphrase from the first line of this file (else $WIRETIGHT_CA_PASSPHRASE, else a prompt on a terminal)',
    );
  }
  if (format) {
    command
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['text', 'json'])
          .default('text'),
      )
      .option('--color', 'force colour in text output')
      .option('--no-color', 'no colour in text output');
  }
  return command;
}

const EXIT_HELP = `
Exit codes:
  0  done
  1  the CA refused: policy, CSR, unknown serial, already revoked, renewal not allowed
  2  usage error, or a problem with the CA directory, its configuration or the passphrase
  3  the store or the file system failed`;

const EXAMPLES = {
  init: `
Examples:
  $ wiretight ca init --dir /etc/wiretight/ca --permit-dns .svc.internal --permit-ip 10.0.0.0/8
  $ wiretight ca init --dir ca --name "Example Internal CA" --url https://ca.internal:8443
  $ wiretight ca init --dir ca --key-type ecdsa-p384 --root-lifetime 20y --intermediate-lifetime 5y
  $ wiretight ca init --dir ca --root-key-out /media/offline/root.key --permit-dns .prod.internal
  $ wiretight ca init --dir ca --spiffe-domain example.org --permit-dns .mesh.internal
  $ WIRETIGHT_CA_PASSPHRASE=… wiretight ca init --dir ca --format json`,
  issue: `
Examples:
  $ wiretight ca issue --dir ca api.svc.internal --key-out api.key --out api.pem --chain-out api-chain.pem
  $ wiretight ca issue --dir ca --csr api.csr --lifetime 72h --out api.pem
  $ wiretight ca issue --dir ca db.svc.internal --ip 10.0.4.2 --key-out db.key --usage both
  $ wiretight ca issue --dir ca --uri spiffe://example.org/ns/prod/sa/api --usage client --key-out api.key
  $ wiretight ca issue --dir ca api.svc.internal --key-out api.key --key-type ed25519 -f json`,
  renew: `
Examples:
  $ wiretight ca renew --dir ca --cert api.pem --out api.pem --chain-out api-chain.pem
  $ wiretight ca renew --dir ca --cert api.pem --csr api-new-key.csr --out api.pem
  $ wiretight ca renew --dir ca --cert api.pem --lifetime 12h -f json`,
  revoke: `
Examples:
  $ wiretight ca revoke --dir ca --serial 3f:1a:…:9c --reason keyCompromise
  $ wiretight ca revoke --dir ca --cert api.pem --reason superseded`,
  list: `
Examples:
  $ wiretight ca list --dir ca
  $ wiretight ca list --dir ca --status valid --expiring 7d
  $ wiretight ca list --dir ca --status revoked -f json`,
  crl: `
Examples:
  $ wiretight ca crl --dir ca --out ca.crl.pem
  $ wiretight ca crl --dir ca --format der --out ca.crl
  $ openssl verify -crl_check -CRLfile ca.crl.pem -CAfile ca/root.pem -untrusted ca/intermediate.pem api.pem`,
} as const;

export function registerCa(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const ca = program
    .command('ca')
    .description(
      'an internal certificate authority: short-lived certificates, revocation, CRL (docs/ca.md)',
    );

  common(
    ca
      .command('init')
      .description(
        'create a CA: root (may be kept offline), intermediate, OCSP responder, policy, store',
      )
      .addOption(
        new Option('--key-type <type>', 'key type of the CA keys')
          .choices(KEY_TYPES)
          .default('ecdsa-p256'),
      )
      .option('--name <name>', 'the CA name, in its certificates (default "wiretight internal CA")')
      .option('--root-lifetime <duration>', 'root certificate lifetime (default 10y)', duration)
      .option(
        '--intermediate-lifetime <duration>',
        'intermediate certificate lifetime (default 5y)',
        duration,
      )
      .option(
        '--permit-dns <name>',
        'allow .suffix (names under it) or an exact name; also a name constraint; repeatable',
        collect,
        [],
      )
      .option(
        '--permit-ip <cidr>',
        'allow an IP range such as 10.0.0.0/8 or fd00::/8; also a name constraint; repeatable',
        collect,
        [],
      )
      .option('--spiffe-domain <domain>', 'allow URIs spiffe://<domain>/…; also a name constraint')
      .option('--no-name-constraints', 'do not write the permitted names into the intermediate')
      .option(
        '--url <url>',
        'public base URL of `ca serve`: leaves point to <url>/ocsp and <url>/crl',
      )
      .option(
        '--root-key-out <file>',
        'write the encrypted root key here (to keep offline) instead of DIR/root.key',
      ),
  )
    .addHelpText('after', EXAMPLES.init + EXIT_HELP)
    .action(async (flags: CaInitFlags) => {
      const { runCaInit } = await import('./ca-init.ts');
      setExit(await runCaInit(flags, io));
    });

  common(
    ca
      .command('issue')
      .description('issue a certificate, for a CSR or a new key')
      .argument('[names...]', 'DNS names')
      .option('--ip <address>', 'an IP address to certify; repeatable', collect, [])
      .option('--uri <uri>', 'a URI (SPIFFE ID) to certify; repeatable', collect, [])
      .option('--csr <file>', 'certify the key and names of this PKCS#10 request (PEM or DER)')
      .option(
        '--key-out <file>',
        'generate a key (--key-type) and write it here, unencrypted, mode 0600',
      )
      .addOption(
        new Option('--key-type <type>', 'type of the key --key-out generates')
          .choices(KEY_TYPES)
          .default('ecdsa-p256'),
      )
      .addOption(
        new Option('--usage <usage>', 'TLS server, client, or both')
          .choices(USAGES)
          .default('server'),
      )
      .option('--lifetime <duration>', 'e.g. 24h (default: the policy default)', duration)
      .option('--out <file>', 'write the certificate (PEM) here instead of stdout')
      .option('--chain-out <file>', 'write the certificate and the intermediate (PEM) here'),
  )
    .addHelpText('after', EXAMPLES.issue + EXIT_HELP)
    .action(async (names: string[], flags: CaIssueFlags) => {
      const { runCaIssue } = await import('./ca-issue.ts');
      setExit(await runCaIssue(names, flags, io));
    });

  common(
    ca
      .command('renew')
      .description('issue a new certificate for the names, usage and key of one this CA issued')
      .requiredOption('--cert <file>', 'the certificate to renew (PEM or DER)')
      .option('--csr <file>', 'a new key: a CSR for exactly the same names')
      .option(
        '--lifetime <duration>',
        'e.g. 24h (default: the lifetime of the certificate renewed)',
        duration,
      )
      .option('--out <file>', 'write the certificate (PEM) here instead of stdout')
      .option('--chain-out <file>', 'write the certificate and the intermediate (PEM) here'),
  )
    .addHelpText('after', EXAMPLES.renew + EXIT_HELP)
    .action(async (flags: CaRenewFlags) => {
      const { runCaRenew } = await import('./ca-renew.ts');
      setExit(await runCaRenew(flags, io));
    });

  common(
    ca
      .command('revoke')
      .description('revoke a certificate and sign a new CRL')
      .option('--serial <hex>', 'serial number (hex; colons allowed)')
      .option('--cert <file>', 'the certificate to revoke (PEM or DER)')
      .addOption(
        new Option('--reason <reason>', 'RFC 5280 reason').choices(REASONS).default('unspecified'),
      ),
  )
    .addHelpText('after', EXAMPLES.revoke + EXIT_HELP)
    .action(async (flags: CaRevokeFlags) => {
      const { runCaRevoke } = await import('./ca-revoke.ts');
      setExit(await runCaRevoke(flags, io));
    });

  common(
    ca
      .command('list')
      .description(
        'list issued certificates: serial, names, usage, expiry, status (no passphrase needed)',
      )
      .addOption(
        new Option('--status <status>', 'only these').choices(['valid', 'revoked', 'expired']),
      )
      .option(
        '--expiring <duration>',
        'only valid certificates expiring within this time, e.g. 7d',
        duration,
      )
      .option('--limit <n>', 'at most this many rows, soonest expiry first', positiveInteger, 1000),
    false,
  )
    .addHelpText('after', EXAMPLES.list + EXIT_HELP)
    .action(async (flags: CaListFlags) => {
      const { runCaList } = await import('./ca-list.ts');
      setExit(await runCaList(flags, io));
    });

  common(
    ca
      .command('crl')
      .description('write the current CRL (signed again when stale)')
      .option('--out <file>', 'write the CRL here instead of stdout (required for der)')
      .addOption(
        new Option('-f, --format <format>', 'encoding').choices(['pem', 'der']).default('pem'),
      ),
    true,
    false,
  )
    .addHelpText('after', EXAMPLES.crl + EXIT_HELP)
    .action(async (flags: CaCrlFlags) => {
      const { runCaCrl } = await import('./ca-crl.ts');
      setExit(await runCaCrl(flags, io));
    });

  registerCaServe(ca, io, setExit);
}
