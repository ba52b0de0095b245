import { type Command, InvalidArgumentError, Option } from 'commander';
import { WiretightError } from '../../errors.ts';
import { availableParallelism } from 'node:os';
import type { CliIo } from '../io.ts';
import { type FailOn, parseFailOn } from '../../scan/fail-on.ts';
import { parsePorts } from '../../scan/fleet/ports.ts';

export interface ScanFlags {
  readonly port?: number;
  readonly sni?: string | false;
  readonly timeout: number;
  readonly format: 'text' | 'json' | 'ndjson' | 'sarif' | 'junit' | 'html';
  readonly output?: string;
  readonly sarifCategory?: string;
  readonly maxConnections: number;
  readonly color?: boolean;
  readonly failOn: readonly FailOn[];
  readonly profile?: 'modern' | 'intermediate' | 'old';
  readonly quick?: boolean;
  readonly httpPort?: number | null;
  readonly ca: readonly string[];
  readonly expiryDays?: number;
  readonly revocation: boolean;
  readonly fetch: boolean;
  readonly expectPlaintext?: boolean;
  readonly targets?: string;
  readonly policy?: string;
  readonly starttls?: string;
  readonly concurrency: number;
  readonly ports?: readonly number[];
  readonly allIps?: boolean;
  readonly hostConnections?: number;
  readonly targetTimeout?: number;
  readonly deadline?: number;
  readonly grab?: boolean;
  readonly clients: boolean;
}

function secondsUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max)
      throw new InvalidArgumentError(`expected seconds, > 0 and ≤ ${max}`);
    return n;
  };
}

const seconds = secondsUpTo(600);

function portList(value: string): number[] {
  try {
    return parsePorts(value);
  } catch (err) {
    if (err instanceof WiretightError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function failOnGate(value: string, previous: readonly FailOn[]): FailOn[] {
  try {
    return [...previous, parseFailOn(value)];
  } catch (err) {
    if (err instanceof WiretightError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function httpPort(value: string): number | null {
  if (value === 'none') return null;
  return integer(1, 65535)(value);
}

function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer ${min}..${max}`);
    return n;
  };
}

const EXAMPLES = `
Examples:
  $ wiretight scan example.com                 scan port 443, SNI example.com
  $ wiretight scan 10.0.0.5:8443 --sni api.internal
  $ wiretight scan db.internal --port 5433 --format json > report.json
  $ wiretight scan [::1]:443 --no-sni --timeout 2
  $ wiretight scan api.internal --fail-on grade:B --fail-on severity:high
  $ wiretight scan legacy.internal:8080 --expect-plaintext
  $ wiretight scan shop.example --profile intermediate --fail-on severity:medium
  $ wiretight scan 10.0.0.5:8443 --http-port 8080    check that :8080 redirects to HTTPS
  $ wiretight scan api.internal --ca internal-root.pem --expiry-days 14
  $ wiretight scan db.internal:5433 --quick          protocols and suites only, like sslscan
  $ wiretight scan --targets inventory.txt --grab -f ndjson   version, suite, chain, expiry: 1-2 handshakes each
  $ wiretight scan 10.20.0.0/16 --ports 443,8443 --grab --expiry-days 21
  $ wiretight scan --targets fleet.txt --concurrency 16 --fail-on grade:B
  $ wiretight scan api.internal --policy policy.yaml --fail-on severity:medium
  $ wiretight scan mail.example.com:587                STARTTLS (smtp) chosen from the port
  $ wiretight scan db.internal:6432 --starttls postgres
  $ wiretight scan --targets fleet.txt -f sarif -o wiretight.sarif   for GitHub code scanning
  $ wiretight scan --targets fleet.txt -f junit -o junit.xml --fail-on severity:high
  $ wiretight scan shop.example -f html -o shop.html                 one file to mail
  $ wiretight scan 10.0.0.0/28 --ports 443,8443,8000-8010   every address × every port
  $ wiretight scan fd00::/120 db.internal --ports 5432       a range and a name, port 5432
  $ wiretight scan api.example.com --all-ips                 each A and AAAA address, SNI the name
  $ wiretight scan 10.0.0.0/24 --host-connections 2          at most 2 connections per address
  $ wiretight scan --targets fleet.txt --target-timeout 60   give up on a target after a minute
  $ wiretight scan --targets fleet.txt --deadline 600 -f ndjson   stop the run after 10 minutes

Exit codes:
  0  scan completed (and every --fail-on gate passed)
  1  a --fail-on gate failed: the grade is worse, or a finding is as severe
  2  usage error (bad option or target)
  3  target unreachable, silent, or not speaking TLS (plaintext without --expect-plaintext)

Several targets (arguments, --targets FILE, CIDR ranges with --ports) are scanned
--concurrency at a time: text prints each report as it finishes and a summary at the end;
json prints an array; exit code 3 when any target could not be checked or the --deadline
stopped the run, else 1 when any gate failed. However many targets share an IP address,
it never has more than --host-connections connections open at once.

The JSON output follows the schema wiretight.scan/v1 (docs/scan-report.md).`;

export function registerScan(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('scan')
    .description(
      'audit the TLS of endpoints: protocols, suites, certificates, vulnerabilities, findings and a grade',
    )
    .argument(
      '[targets...]',
      'host, host:port, [ipv6]:port, https://host/ (default port 443) or a CIDR range 10.0.0.0/28; several for a fleet',
    )
    .option(
      '--targets <file>',
      'read targets from a file: one host[:port] per line, with optional starttls=, sni=, profile=',
    )
    .option(
      '--concurrency <n>',
      'targets scanned at once in a fleet scan',
      integer(1, 256),
      defaultConcurrency(),
    )
    .option('-p, --port <port>', 'port, when the target does not give one', integer(1, 65535))
    .option(
      '--ports <list>',
      'ports for CIDR ranges and targets without a port, e.g. 443,8443,8000-8010 (a target that names its port keeps it)',
      portList,
    )
    .option(
      '--all-ips',
      'scan a name on every address it resolves to (A and AAAA), with the name as SNI; default: the first address',
    )
    .option('--sni <name>', 'server name to send (default: the host, when it is a name)')
    .option('--no-sni', 'send no server name')
    .option('--timeout <seconds>', 'deadline for each connection', seconds, 5)
    .option(
      '--max-connections <n>',
      'connections open at once against one target',
      integer(1, 64),
      8,
    )
    .option(
      '--host-connections <n>',
      'connections open at once to one IP address across the whole fleet, fewer after refusals, resets or timeouts (default: --max-connections)',
      integer(1, 256),
    )
    .option(
      '--target-timeout <seconds>',
      "stop one target's whole scan after this long and report it as WT_ERR_SCAN_DEADLINE",
      secondsUpTo(86_400),
    )
    .option(
      '--deadline <seconds>',
      'stop the whole run after this long: running scans are reported as stopped, targets not started as not scanned; exit 3',
      secondsUpTo(604_800),
    )
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'ndjson', 'sarif', 'junit', 'html'])
        .default('text'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '--sarif-category <name>',
      'SARIF runAutomationDetails category, when several wiretight SARIF files are uploaded for one commit',
    )
    .option(
      '--fail-on <gate>',
      'exit 1 when grade:<A+|A|A-|B|C|D|E|F> is not met or a finding reaches severity:<critical|high|medium|low|info>; repeatable',
      failOnGate,
      [],
    )
    .addOption(
      new Option(
        '--profile <profile>',
        'check compliance with a Mozilla server-side TLS profile; violations are findings with config snippets',
      ).choices(['modern', 'intermediate', 'old']),
    )
    .option(
      '--ca <file>',
      "extra trust anchors (PEM) on top of Node's Mozilla bundle and the system store; repeatable",
      (value: string, previous: readonly string[]) => [...previous, value],
      [],
    )
    .option(
      '--expiry-days <days>',
      'cert.expiring-soon below this many days left (default 30, or the policy file’s)',
      integer(1, 3650),
    )
    .option(
      '--policy <file>',
      'a YAML policy (docs/policy.md): minimum version, allowed suites, key sizes, HSTS, client certificates, suppressions',
    )
    .option(
      '--no-revocation',
      'do not ask OCSP responders or fetch CRLs (a stapled response is still checked)',
    )
    .option(
      '--no-fetch',
      'fetch nothing a certificate points to (AIA issuers, OCSP, CRLs): only the target is contacted',
    )
    .option(
      '--quick',
      'enumeration only (protocols, suites, groups, chain, ALPN): no full handshakes, certificate verdicts, vulnerability probes or HTTP checks; no grade',
    )
    .option(
      '--grab',
      'inventory mode: one or two handshakes per target for the version, suite, group, chain and expiry a current client gets (docs/grab-report.md)',
    )
    .option(
      '--no-clients',
      'skip client simulation: the recorded hellos of browsers, Java, OpenSSL… replayed in the full audit (docs/clients.md)',
    )
    .option(
      '--http-port <port>',
      "plain HTTP port checked for a redirect to HTTPS, or 'none' (default 80)",
      httpPort,
    )
    .option(
      '--starttls <protocol>',
      'speak smtp|lmtp|imap|pop3|ftp|xmpp|ldap|postgres|mysql|nntp|sieve before TLS, or none (default: from the well-known port)',
    )
    .option('--expect-plaintext', 'a cleartext answer is expected: report it, but exit 0')
    .option('--color', 'force colour in text output')
    .option('--no-color', 'no colour in text output')
    .addHelpText('after', EXAMPLES)
    .action(async (targets: string[], flags: ScanFlags) => {
      const { runScanCommand } = await import('./scan-run.ts');
      setExit(await runScanCommand(targets, flags, io));
    });
}

/** Enough targets at once to keep two cores busy while most wait on the network. */
function defaultConcurrency(): number {
  return Math.min(32, Math.max(8, availableParallelism() * 8));
}
