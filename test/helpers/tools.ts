// Where the system programs the integration tests drive live, and which Debian package
// brings each. Shared by test/setup/require-tools.ts and the server helpers.
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Program → the Debian 12 package that provides it. */
export const TOOL_PACKAGES = {
  openssl: 'openssl',
  nginx: 'nginx',
  'gnutls-serv': 'gnutls-bin',
  'gnutls-cli': 'gnutls-bin',
  // STARTTLS peers: a real PostgreSQL (server binaries live outside PATH) and Dovecot IMAP
  postgres: 'postgresql',
  psql: 'postgresql-client',
  // an HTTP client with client certificates (the CA's renewal endpoint, the tunnel)
  curl: 'curl',
  dovecot: 'dovecot-imapd',
  // a real SMTP server with and without STARTTLS (installed in /usr/sbin)
  postfix: 'postfix',
  // real ACME clients for the CA's ACME server
  certbot: 'certbot',
  lego: 'lego',
  // Let's Encrypt's challenge test server (mock DNS, http-01, tls-alpn-01): an independent
  // peer for the ACME validators
  'pebble-challtestsrv': 'pebble',
  // bench only: never required by the tests (Debian installs testssl.sh as `testssl`)
  sslscan: 'sslscan',
  testssl: 'testssl.sh',
  pebble: 'pebble',
} as const;

export type Tool = keyof typeof TOOL_PACKAGES;

/** The programs `npm test` needs; sslscan, testssl.sh and pebble itself are for bench/ only. */
export const REQUIRED_TOOLS: readonly Tool[] = [
  'openssl',
  'nginx',
  'gnutls-serv',
  'gnutls-cli',
  'postgres',
  'psql',
  'curl',
  'dovecot',
  'postfix',
  'certbot',
  'lego',
  'pebble-challtestsrv',
];

// nginx lives in /usr/sbin, which a non-root PATH often lacks: look there too.
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Debian keeps each PostgreSQL major's server binaries in /usr/lib/postgresql/<major>/bin. */
function postgresDirs(): string[] {
  const root = '/usr/lib/postgresql';
  try {
    return readdirSync(root)
      .sort((a, b) => Number(b) - Number(a))
      .map((major) => join(root, major, 'bin'));
  } catch {
    return [];
  }
}

/** Absolute path of an executable, or undefined. A few stat calls, no child process. */
export function findProgram(name: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  for (const dir of [...dirs, ...SBIN_DIRS, ...postgresDirs()]) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Like findProgram, but throws one clear line when missing. */
export function requireProgram(name: Tool): string {
  const path = findProgram(name);
  if (path === undefined) {
    throw new Error(
      `${name} not found on PATH: install the Debian package ${TOOL_PACKAGES[name]} (or run node test/setup/require-tools.ts as root)`,
    );
  }
  return path;
}
