// `wiretight tunnel server|client`: the commander wiring of the mTLS sidecar. The action
// loads the tunnel (and pino) only when it runs.
import { type Command, InvalidArgumentError } from 'commander';
import { parseDuration } from '../../ca/duration.ts';
import type { CliIo } from '../io.ts';

export interface TunnelFlags {
  readonly listen: string;
  readonly target: string;
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  readonly serverName?: string;
  readonly allowDns: readonly string[];
  readonly allowUri: readonly string[];
  readonly allowCn: readonly string[];
  readonly allowOu: readonly string[];
  readonly allowAll?: boolean;
  readonly handshakeTimeout: number;
  readonly idleTimeout: number;
  readonly connectTimeout: number;
  readonly drainTimeout: number;
  readonly maxConnections: number;
  readonly reloadInterval: number;
  readonly watch: boolean;
  readonly logLevel: string;
  readonly status?: string;
}

function seconds(value: string): number {
  try {
    const s = parseDuration(value);
    if (s > 2_000_000) throw new RangeError('at most 2000000s');
    return s;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new InvalidArgumentError('expected a whole number, 1 to 1000000');
  }
  return n;
}

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

const SERVER_HELP = `
Accepts mutual TLS on --listen, verifies the client certificate against --ca, authorizes it
by the --allow-* rules (at least one, or --allow-all), and forwards plaintext to --target.
Certificates are re-read on change (symlink swaps included), every --reload-interval and on
SIGHUP, without dropping live connections. SIGTERM drains, up to --drain-timeout.
One JSON log line per connection on stdout.

Examples:
  $ wiretight tunnel server --listen 0.0.0.0:5433 --target 127.0.0.1:5432 \\
      --cert pg.pem --key pg.key --ca root.pem --allow-uri 'spiffe://example.org/ns/prod/*'
  $ wiretight tunnel server --listen 0.0.0.0:8443 --target unix:/run/app.sock \\
      --cert tls.crt --key tls.key --ca ca.crt --allow-dns web.svc.internal --allow-cn batch`;

const CLIENT_HELP = `
Accepts plaintext on --listen (keep it on loopback) and opens mutual TLS to --target,
verifying the server certificate against --ca and --server-name (default: the target host),
then the --allow-* rules when given.

Examples:
  $ wiretight tunnel client --listen 127.0.0.1:5432 --target db.svc.internal:5433 \\
      --cert app.pem --key app.key --ca root.pem
  $ psql 'host=127.0.0.1 port=5432 user=app'
  $ wiretight tunnel client --listen 127.0.0.1:8080 --target 10.0.0.7:8443 \\
      --server-name web.svc.internal --cert app.pem --key app.key --ca root.pem \\
      --allow-uri spiffe://example.org/ns/prod/web`;

function common(command: Command, mode: 'server' | 'client'): Command {
  command
    .requiredOption(
      '--listen <host:port>',
      mode === 'server' ? 'where to accept mTLS' : 'where to accept plaintext',
    )
    .requiredOption(
      '--target <address>',
      mode === 'server'
        ? 'the plaintext service: host:port or unix:/path'
        : 'the TLS server: host:port',
    )
    .requiredOption('--cert <file>', "this side's certificate, leaf first then intermediates (PEM)")
    .requiredOption('--key <file>', 'its private key (PEM, unencrypted)')
    .requiredOption('--ca <file>', 'the trust anchors the peer must chain to (PEM)')
    .option(
      '--allow-dns <name>',
      'allow a peer whose certificate carries this DNS name (repeatable)',
      collect,
      [],
    )
    .option(
      '--allow-uri <uri>',
      'allow this URI SAN (SPIFFE ID), exact or ending in /* for everything below (repeatable)',
      collect,
      [],
    )
    .option('--allow-cn <name>', 'allow this subject common name (repeatable)', collect, [])
    .option('--allow-ou <unit>', 'allow this subject organizational unit (repeatable)', collect, [])
    .option('--allow-all', 'allow any peer the --ca bundle verifies')
    .option('--handshake-timeout <duration>', 'TCP accept to finished TLS handshake', seconds, 10)
    .option(
      '--idle-timeout <duration>',
      'close a connection with no bytes either way for this long',
      seconds,
      300,
    )
    .option('--connect-timeout <duration>', 'to reach --target', seconds, 5)
    .option(
      '--drain-timeout <duration>',
      'on SIGTERM, how long live connections may finish',
      seconds,
      30,
    )
    .option('--max-connections <n>', 'connections beyond this are closed at accept', count, 1024)
    .option('--reload-interval <duration>', 're-read --cert/--key/--ca this often', seconds, 60)
    .option('--no-watch', 'do not watch the certificate directories for changes')
    .option('--log-level <level>', 'info, warn or error', 'info')
    .option('--status <host:port>', 'serve /healthz and Prometheus /metrics over plain HTTP here');
  return command;
}

export function registerTunnel(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const tunnel = program
    .command('tunnel')
    .description('an mTLS sidecar: wrap a plaintext TCP service in mutual TLS, or reach one');
  common(tunnel.command('server'), 'server')
    .description('accept mutual TLS and forward plaintext to a local service')
    .addHelpText('after', SERVER_HELP)
    .action(async (flags: TunnelFlags) => {
      const { runTunnel } = await import('./tunnel-run.ts');
      setExit(await runTunnel('server', flags, io));
    });
  common(tunnel.command('client'), 'client')
    .description('accept plaintext and originate mutual TLS to a tunnel server')
    .option(
      '--server-name <name>',
      'the name the server certificate must carry (default: the --target host)',
    )
    .addHelpText('after', CLIENT_HELP)
    .action(async (flags: TunnelFlags) => {
      const { runTunnel } = await import('./tunnel-run.ts');
      setExit(await runTunnel('client', flags, io));
    });
}
