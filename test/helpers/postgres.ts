// A real PostgreSQL server for the STARTTLS tests: a throwaway cluster (initdb) in a temp
// dir, listening on 127.0.0.1 only, with SSL on (a certificate from the test PKI) or off.
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (through
// setpriv, which execs it: the server is still the leader of its process group and is
// stopped like every other server of process.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAtExit } from './cleanup.ts';
import { exec } from './exec.ts';
import { makeTestPki } from './pki.ts';
import { freePort, launch, type RunningServer } from './process.ts';
import type { ServerCert } from './servers.ts';
import { findProgram } from './tools.ts';

export interface PostgresOptions {
  readonly ssl: boolean;
  /** Default: the test PKI's RSA leaf with its chain. */
  readonly cert?: ServerCert;
}

/** Debian installs each major version's binaries under /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin');
}

interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** The `postgres` account when we are root (PostgreSQL will not run as root), else ourselves. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/** The command line that runs `program` as `user` (setpriv execs it, keeping the pid). */
function asUser(user: RunAs | undefined, program: string, args: readonly string[]): string[] {
  if (user === undefined) return [program, ...args];
  const setpriv = findProgram('setpriv');
  if (setpriv === undefined) throw new Error('setpriv (util-linux) is needed to run as postgres');
  return [
    setpriv,
    `--reuid=${user.uid}`,
    `--regid=${user.gid}`,
    '--clear-groups',
    '--',
    program,
    ...args,
  ];
}

/**
 * Starts PostgreSQL on 127.0.0.1 and a free port. initdb takes a second or two; the
 * cluster is removed when the server stops (or the test process exits).
 */
export async function startPostgres(options: PostgresOptions): Promise<RunningServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('PostgreSQL is not installed (Debian: postgresql)');
  const cert = options.cert ?? (await makeTestPki()).rsa;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCluster(bin, cert, options.ssl);
    } catch (err) {
      // freePort races with other processes: a failed start removed its cluster, so the
      // next attempt makes a new one on another port.
      if (attempt < 3 && /already in use/i.test(String(err))) continue;
      throw err;
    }
  }
}

async function startCluster(bin: string, cert: ServerCert, ssl: boolean): Promise<RunningServer> {
  const user = runAs();
  const dir = await mkdtemp(join(tmpdir(), 'wiretight-postgres-'));
  const unregister = removeAtExit(dir);
  const data = join(dir, 'data');
  try {
    await copyFile(cert.chain ?? cert.cert, join(dir, 'server.crt'));
    await copyFile(cert.key, join(dir, 'server.key'));
    // PostgreSQL will not load a key others can read.
    await chmod(join(dir, 'server.key'), 0o600);
    if (user !== undefined) {
      for (const f of ['', 'server.crt', 'server.key'])
        await chown(join(dir, f), user.uid, user.gid);
    }
    const [initCmd, ...initArgs] = asUser(user, join(bin, 'initdb'), [
      ...['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C'],
      ...['--no-sync', '--no-instructions'],
    ]);
    const init = await exec(initCmd as string, initArgs, { timeoutMs: 60_000, input: '' });
    if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  } finally {
    unregister();
  }
  const port = await freePort();
  const [cmd, ...args] = asUser(user, join(bin, 'postgres'), [
    ...['-D', data, '-p', String(port)],
    ...['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`],
    ...['-c', `ssl=${ssl ? 'on' : 'off'}`],
    ...['-c', `ssl_cert_file=${join(dir, 'server.crt')}`],
    ...['-c', `ssl_key_file=${join(dir, 'server.key')}`],
    ...['-c', 'fsync=off', '-c', 'shared_buffers=8MB', '-c', 'max_connections=40'],
  ]);
  // launch removes `dir` when the server stops, when it fails to start, and at exit.
  return launch({
    name: 'postgres',
    cmd: cmd as string,
    args,
    tmpDir: dir,
    port,
    timeoutMs: 20_000,
  });
}
