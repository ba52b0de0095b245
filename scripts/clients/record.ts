/**
 * Records the ClientHello of every TLS client installed here and writes them as the
 * `recorded` profiles of src/scan/clients/profiles.json (docs/clients.md lists them).
 * Each client is started against a loopback listener (capture.ts) that keeps its first
 * ClientHello and refuses the handshake; nothing leaves the machine.
 *
 *   node_modules/.bin/node scripts/clients/record.ts [--only id,id…] [--dry-run]
 *
 * A client that is not installed, or sends nothing, is reported and keeps the profile it
 * had (so a machine without a browser does not erase that browser's recording). Chromium
 * and Firefox come from `apt-get install chromium firefox-esr`, Go from `golang-go`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toHex } from '../../src/core/bytes.ts';
import {
  type ClientConstraints,
  type ClientProfile,
  loadProfile,
} from '../../src/scan/clients/profile.ts';
import { startCapture } from './capture.ts';
import { readProfiles, writeProfiles } from './profiles-file.ts';

/** A dotted name, so every client sends SNI (the JDK sends none for `localhost`). */
const SERVER_NAME = 'wiretight.localhost';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CAPTURE_TIMEOUT_MS = 60_000;

interface RecordedClient {
  readonly id: string;
  readonly family: string;
  /** The profile's name, from what the version command printed. */
  name(version: string): string;
  /** Prints the program's version (first non-empty output line, stdout then stderr). */
  readonly version: readonly string[];
  /** The command, with {name}, {port} and {dir} (a fresh temp dir) to fill in. */
  readonly command: readonly string[];
  /** Files to create in {dir} before the command runs. */
  readonly files?: Readonly<Record<string, string>>;
  /** Said in `how` after the command, for what the command line does not show. */
  readonly note?: string;
  /** Limits this client is known to enforce here, and where that is seen or written. */
  readonly limits?: { readonly constraints: ClientConstraints; readonly from: string };
}

/**
 * Debian's OpenSSL 3.0 runs at security level 2 by default. Seen here against s_server:
 * s_client, curl and Python abort on a 1024-bit DHE group ("dh key too small"), and
 * certificate verification (on by default in curl and Python; s_client only reports it)
 * fails on a 1024-bit RSA leaf ("EE certificate key too weak").
 */
const DEBIAN_OPENSSL_DH =
  'Debian OpenSSL 3.0 security level 2: "dh key too small" for a 1024-bit DHE group, seen against s_server';
const DEBIAN_OPENSSL_VERIFYING = `${DEBIAN_OPENSSL_DH}; verification fails on a 1024-bit RSA leaf ("EE certificate key too weak")`;
const OPENSSL_VERIFYING: RecordedClient['limits'] = {
  constraints: { minDhBits: 2048, minRsaBits: 2048 },
  from: DEBIAN_OPENSSL_VERIFYING,
};
/**
 * Node 20 (OpenSSL 3.0, security level 1) takes a 1024-bit DHE group, the floor of its
 * `minDHSize`; Node 24 (OpenSSL 3.5, whose default level is 2 since 3.2) aborts on it with
 * "dh key too small". Both seen against s_server.
 */
const NODE20_LIMITS: RecordedClient['limits'] = {
  constraints: { minDhBits: 1024 },
  from: 'Node.js tls.connect minDHSize, 1024 by default; a 1024-bit DHE group is accepted, seen against s_server',
};
const NODE24_LIMITS: RecordedClient['limits'] = {
  constraints: { minDhBits: 2048 },
  from: 'OpenSSL 3.5 default security level 2: "dh key too small" for a 1024-bit DHE group, seen against s_server',
};

const first = (pattern: RegExp, s: string): string => pattern.exec(s)?.[1] ?? '?';

/** Firefox prefs: resolve the name to loopback, and no background traffic of its own. */
const FIREFOX_PREFS = {
  'network.dns.localDomains': SERVER_NAME,
  'network.trr.mode': 5,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.update.auto': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

const userJs = Object.entries(FIREFOX_PREFS)
  .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
  .join('\n');

const nodeProbe =
  "require('node:tls').connect({ host: '127.0.0.1', port: Number(process.argv[2]), servername: process.argv[1] }).on('error', () => {})";
const nodeVersion =
  "console.log('Node.js ' + process.version + ' OpenSSL ' + process.versions.openssl)";

export const CLIENTS: readonly RecordedClient[] = [
  {
    id: 'openssl-s-client-debian12',
    family: 'OpenSSL',
    name: (v) => `OpenSSL ${first(/OpenSSL (\S+)/, v)} s_client (Debian 12)`,
    version: ['openssl', 'version'],
    command: ['openssl', 's_client', '-connect', '127.0.0.1:{port}', '-servername', '{name}'],
    limits: { constraints: { minDhBits: 2048 }, from: DEBIAN_OPENSSL_DH },
  },
  {
    id: 'curl-debian12',
    family: 'curl',
    name: (v) => `curl ${first(/curl (\S+)/, v)} (Debian 12, OpenSSL)`,
    version: ['curl', '--version'],
    command: [
      'curl',
      '--silent',
      '--output',
      '/dev/null',
      '--resolve',
      '{name}:{port}:127.0.0.1',
      'https://{name}:{port}/',
    ],
    limits: OPENSSL_VERIFYING,
  },
  {
    id: 'wget-debian12',
    family: 'Wget',
    name: (v) => `Wget ${first(/Wget (\S+)/, v)} (Debian 12, GnuTLS)`,
    version: ['wget', '--version'],
    // wget has no option to map a name to an address: it connects to localhost, whose
    // name it sends as SNI like any other (the replay puts the target's name there).
    command: [
      'wget',
      '--quiet',
      '--tries=1',
      '--output-document=/dev/null',
      'https://localhost:{port}/',
    ],
  },
  {
    id: 'gnutls-cli-debian12',
    family: 'GnuTLS',
    name: (v) => `GnuTLS ${first(/gnutls-cli (\S+)/, v)} gnutls-cli (Debian 12)`,
    version: ['gnutls-cli', '--version'],
    command: ['gnutls-cli', '--sni-hostname={name}', '--port={port}', '127.0.0.1'],
  },
  {
    id: 'python-3-debian12',
    family: 'Python',
    name: (v) => `Python ${first(/Python (\S+)/, v)} ssl (Debian 12)`,
    version: [
      'python3',
      '-c',
      "import sys, ssl; print('Python', sys.version.split()[0], ssl.OPENSSL_VERSION)",
    ],
    command: [
      'python3',
      '-c',
      "import socket, ssl, sys; ssl.create_default_context().wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[2]))), server_hostname=sys.argv[1])",
      '{name}',
      '{port}',
    ],
    limits: OPENSSL_VERIFYING,
  },
  {
    id: 'openjdk-17-debian12',
    family: 'Java',
    name: (v) => `Java ${first(/version "([^"]+)"/, v)} (OpenJDK, Debian 12)`,
    version: ['java', '-version'],
    command: ['java', 'scripts/clients/programs/HelloProbe.java', '{name}', '{port}'],
    limits: {
      constraints: { minDhBits: 1024, minRsaBits: 1024, minEcdsaBits: 224 },
      from: '/etc/java-17-openjdk/security/java.security: jdk.tls.disabledAlgorithms "DH keySize < 1024, EC keySize < 224", jdk.certpath.disabledAlgorithms "RSA keySize < 1024"',
    },
  },
  {
    id: 'go-debian12',
    family: 'Go',
    name: (v) => `Go ${first(/go version go(\S+)/, v)} crypto/tls (Debian 12)`,
    version: ['go', 'version'],
    command: ['go', 'run', 'scripts/clients/programs/hello-probe.go', '{name}', '{port}'],
  },
  {
    id: 'nodejs-20',
    family: 'Node.js',
    name: (v) => `Node.js ${first(/Node\.js v(\S+)/, v)} (OpenSSL ${first(/OpenSSL (\S+)/, v)})`,
    version: ['/usr/bin/node', '-e', nodeVersion],
    command: ['/usr/bin/node', '-e', nodeProbe, '{name}', '{port}'],
    limits: NODE20_LIMITS,
  },
  {
    id: 'nodejs-24',
    family: 'Node.js',
    name: (v) => `Node.js ${first(/Node\.js v(\S+)/, v)} (OpenSSL ${first(/OpenSSL (\S+)/, v)})`,
    version: ['node_modules/.bin/node', '-e', nodeVersion],
    command: ['node_modules/.bin/node', '-e', nodeProbe, '{name}', '{port}'],
    limits: NODE24_LIMITS,
  },
  {
    id: 'chromium-debian12',
    family: 'Chrome',
    name: (v) => `Chromium ${first(/Chromium (\d+)/, v)} (Debian 12)`,
    version: ['chromium', '--version'],
    command: [
      'chromium',
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--user-data-dir={dir}',
      '--host-resolver-rules=MAP {name} 127.0.0.1',
      'https://{name}:{port}/',
    ],
  },
  {
    id: 'firefox-esr-debian12',
    family: 'Firefox',
    name: (v) => `Firefox ${first(/Firefox (\d+)/, v)} ESR (Debian 12)`,
    version: ['firefox-esr', '--version'],
    command: [
      'firefox-esr',
      '--headless',
      '--no-remote',
      '--profile',
      '{dir}',
      'https://{name}:{port}/',
    ],
    files: { 'user.js': userJs },
    note: `{dir}/user.js sets ${Object.keys(FIREFOX_PREFS).join(', ')} (name resolution to loopback, no background traffic)`,
  },
];

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./{}-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

function fill(arg: string, values: Record<string, string>): string {
  return arg.replace(/\{(name|port|dir)\}/g, (_, k: string) => values[k] ?? '');
}

/** The first non-empty line the version command prints, or undefined when it cannot run. */
function programVersion(argv: readonly string[]): string | undefined {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  if (r.error !== undefined || r.status !== 0) return undefined;
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim());
  // java -version prints the vendor build on its second line: keep both.
  const useful = lines.filter((l) => l !== '' && !l.startsWith('/usr/bin/'));
  return argv[0] === 'java' ? useful.slice(0, 2).join('; ') : useful[0];
}

async function record(client: RecordedClient, recordedOn: string): Promise<ClientProfile> {
  const program = programVersion(client.version);
  if (program === undefined) throw new Error(`${client.version[0]} is not installed`);
  const dir = mkdtempSync(join(tmpdir(), `wiretight-record-${client.id}-`));
  const capture = await startCapture(CAPTURE_TIMEOUT_MS);
  try {
    for (const [file, content] of Object.entries(client.files ?? {})) {
      writeFileSync(join(dir, file), content);
    }
    const values = { name: SERVER_NAME, port: String(capture.port), dir };
    const [cmd, ...args] = client.command.map((a) => fill(a, values)) as [string, ...string[]];
    const child = spawn(cmd, args, {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true, // own process group: browsers fork, and all of it must go
      env: { ...process.env, HOME: dir },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) => {
      child.on('error', reject);
      child.on('exit', (code) =>
        setTimeout(
          () => reject(new Error(`exited ${code} before sending a hello: ${stderr}`)),
          2000,
        ),
      );
    });
    try {
      const body = await Promise.race([capture.hello, exited]);
      // The name is fixed, so `how` shows it; port and temp dir differ per run.
      const command = client.command.map((a) => shellQuote(a.replaceAll('{name}', SERVER_NAME)));
      const how = [command.join(' '), client.note].filter((s) => s !== undefined).join('; ');
      const limits = client.limits;
      const profile: ClientProfile = {
        id: client.id,
        name: client.name(program),
        family: client.family,
        hello: toHex(body),
        ...(limits === undefined ? {} : { constraints: limits.constraints }),
        source: {
          kind: 'recorded',
          how,
          program,
          recordedOn,
          ...(limits === undefined ? {} : { constraintsFrom: limits.from }),
        },
      };
      loadProfile(profile, 0);
      return profile;
    } finally {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  } finally {
    capture.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  const only = values.only?.split(',');
  const recordedOn = new Date().toISOString().slice(0, 10);
  const profiles: ClientProfile[] = [];
  for (const client of CLIENTS) {
    if (only !== undefined && !only.includes(client.id)) continue;
    try {
      const profile = await record(client, recordedOn);
      profiles.push(profile);
      console.log(`${client.id}: ${profile.name}, ${profile.hello.length / 2} bytes`);
    } catch (err) {
      console.error(`${client.id}: skipped, ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (values['dry-run'] === true) {
    console.log(JSON.stringify(profiles, null, 2));
    return;
  }
  const fresh = new Map(profiles.map((p) => [p.id, p]));
  const old = new Map((await readProfiles()).map((p) => [p.id, p]));
  const merged = CLIENTS.flatMap((c) => {
    const p = fresh.get(c.id) ?? old.get(c.id);
    if (p !== undefined && !fresh.has(c.id))
      console.log(`${c.id}: kept the profile of ${p.source.recordedOn}`);
    return p === undefined ? [] : [p];
  });
  await writeProfiles('recorded', merged);
  console.log(`${merged.length} recorded profiles written (${profiles.length} recorded now)`);
}

await main();
