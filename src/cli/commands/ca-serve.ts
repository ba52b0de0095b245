// `wiretight ca serve`: the commander wiring of the CA's network service. The action
// loads the service (fastify, ACME, pino) only when it runs.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../../ca/duration.ts';
import type { CliIo } from '../io.ts';

export interface CaServeFlags {
  readonly dir: string;
  readonly passphraseFile?: string;
  readonly listen: string;
  readonly httpListen?: string;
  readonly name: readonly string[];
  readonly url?: string;
  readonly eabKeys?: string;
  readonly eabRequired: boolean;
  readonly termsOfService?: string;
  readonly acmeLifetime?: number;
  readonly http01Port?: number;
  readonly tlsAlpn01Port?: number;
  readonly dnsResolver?: string;
  readonly validationHost?: string;
  readonly logLevel: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new InvalidArgumentError('expected a port, 1 to 65535');
  return n;
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

const HELP = `
The service answers, on the HTTPS listener:
  /acme/directory   ACME (RFC 8555): http-01, tls-alpn-01, dns-01; EAB, ARI, keyChange
  /ocsp, /crl       the OCSP responder and the CRL (also on --http-listen, plain HTTP)
  /renew            mTLS renewal: present the current certificate, get a new one
  /metrics          Prometheus metrics (docs/metrics.md)
  /healthz          liveness and the serving certificate's expiry
It logs one JSON line per request and an audit line per issuance and revocation.

Examples:
  $ wiretight ca serve --dir ca --listen 0.0.0.0:8443 --name ca.internal --http-listen 0.0.0.0:8080
  $ certbot certonly --standalone -d api.svc.internal --server https://ca.internal:8443/acme/directory
  $ lego --server https://ca.internal:8443/acme/directory --domains api.svc.internal --http run
  $ curl --cert api.pem --key api.key --cacert ca/root.pem -X POST https://ca.internal:8443/renew

Testing options: --http01-port, --tls-alpn01-port and --validation-host send challenge
validation to a port or host of your choosing (a client on one machine); do not use them
in production, where validation must reach the name being certified.`;

export function registerCaServe(ca: Command, io: CliIo, setExit: (code: number) => void): void {
  ca.command('serve')
    .description('serve ACME, OCSP, the CRL, mTLS renewal and /metrics over HTTPS')
    .requiredOption('--dir <dir>', 'the CA directory (made by ca init)')
    .option(
      '--passphrase-file <file>',
      'read the key passphrase from the first line of this file (else $WIRETIGHT_CA_PASSPHRASE, else a prompt on a terminal)',
    )
    .option('--listen <host:port>', 'HTTPS listener', '127.0.0.1:8443')
    .option('--http-listen <host:port>', 'also serve OCSP and the CRL over plain HTTP here')
    .option(
      '--name <name>',
      'a DNS name or IP the HTTPS certificate carries (repeatable)',
      collect,
      [],
    )
    .option(
      '--url <url>',
      'the HTTPS base URL clients use (default https://<listen>); the ACME URLs derive from it',
    )
    .option(
      '--eab-keys <file>',
      'External Account Binding keys: a YAML or JSON map of key id to base64url HMAC key',
    )
    .option('--eab-required', 'refuse new ACME accounts without External Account Binding', false)
    .option('--terms-of-service <url>', 'a terms-of-service URL ACME accounts must agree to')
    .option(
      '--acme-lifetime <duration>',
      'lifetime of certificates issued through ACME (default: the policy default)',
      duration,
    )
    .option(
      '--http01-port <port>',
      'testing: port http-01 validation connects to (default 80)',
      port,
    )
    .option(
      '--tls-alpn01-port <port>',
      'testing: port tls-alpn-01 validation connects to (default 443)',
      port,
    )
    .option(
      '--dns-resolver <ip:port>',
      'DNS server for dns-01 and challenge lookups (default: the system resolver)',
    )
    .option(
      '--validation-host <host>',
      'testing: connect challenge validation here instead of the name being certified',
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .addHelpText('after', HELP)
    .action(async (flags: CaServeFlags) => {
      const { runCaServe } = await import('./ca-serve-run.ts');
      setExit(await runCaServe(flags, io));
    });
}
