// Postfix (Debian package postfix) as a real SMTP server, with STARTTLS or without, for the
// STARTTLS scan tests: a private instance per test with a config directory, queue and data
// directory of its own in a temp dir, listening on one loopback address and port only.
//
// Postfix's master must start as root (it binds the port, then runs smtpd as the `postfix`
// user the Debian package creates) and becomes the leader of a session of its own, so it
// cannot be run under launch() of process.ts: it is started with `postfix start` (which
// returns once master is initialised), stopped with `postfix stop`, and whatever is left
// of its process group is killed, at stop and when the test process exits.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { atExit } from './cleanup.ts';
import { exec, killGroup } from './exec.ts';
import { makeTestPki } from './pki.ts';
import { freePort } from './process.ts';
import type { ServerCert } from './servers.ts';
import { requireProgram } from './tools.ts';

export interface PostfixOptions {
  /** Offer STARTTLS (`smtpd_tls_security_level = may`) or not (`none`). */
  readonly starttls: boolean;
  /** The loopback address to listen on (default 127.0.0.1; on Linux any of 127/8 works). */
  readonly host?: string;
  /** A fixed port (such as 25 or 587); default: a free one, retried when taken meanwhile. */
  readonly port?: number;
  /** Default: the test PKI's RSA leaf with its chain. */
  readonly cert?: ServerCert;
}

export interface PostfixServer {
  readonly host: string;
  readonly port: number;
  /** Master's pid, which is also the process group of every Postfix daemon of the instance. */
  readonly pid: number;
  /** The 220 greeting line the server answered with once ready. */
  readonly banner: string;
  /** `postfix stop`, then kills what is left of master's process group, removes the dir. */
  stop(): Promise<void>;
  /** The instance's mail log so far (the last MiB). */
  logs(): string;
}

/** Every instance's myhostname: its greeting and its EHLO reply start with it. */
export const POSTFIX_HOSTNAME = 'mx.wiretight.test';

interface Layout {
  readonly root: string;
  readonly config: string;
  readonly queue: string;
  readonly maillog: string;
}

function layout(root: string): Layout {
  return {
    root,
    config: join(root, 'etc'),
    queue: join(root, 'spool'),
    maillog: join(root, 'maillog'),
  };
}

/**
 * main.cf: loopback only, deliver nothing (every transport is `error`), log to a file of
 * the instance (maillog_file must lie under one of maillog_file_prefixes). The listener's
 * own address is in master.cf: Postfix refuses an inet_interfaces address no interface
 * holds, and Linux's lo holds 127.0.0.1 only, though it answers for all of 127/8.
 */
function mainCf(dirs: Layout, tls: ServerCert | undefined): string {
  const lines = [
    'compatibility_level = 3.6',
    `queue_directory = ${dirs.queue}`,
    `data_directory = ${join(dirs.root, 'data')}`,
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    `myhostname = ${POSTFIX_HOSTNAME}`,
    'mydomain = wiretight.test',
    'mydestination =',
    'mynetworks = 127.0.0.0/8',
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    'default_transport = error:wiretight test instance, delivers nothing',
    'relay_transport = $default_transport',
    `maillog_file = ${dirs.maillog}`,
    `maillog_file_prefixes = ${dirs.root}`,
  ];
  if (tls === undefined) {
    lines.push('smtpd_tls_security_level = none');
  } else {
    // The certificate file may hold the chain after the leaf; smtpd sends both.
    lines.push(
      'smtpd_tls_security_level = may',
      `smtpd_tls_cert_file = ${tls.chain ?? tls.cert}`,
      `smtpd_tls_key_file = ${tls.key}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * master.cf: the smtpd listener and the services an SMTP session reaches (proxymap: smtpd
 * waits for it before its greeting; tlsmgr: smtpd's TLS PRNG seed and session cache;
 * postlog: writes maillog_file). No chroot: the instance has no chroot tree to run in.
 */
function masterCf(host: string, port: number): string {
  const services = [
    `${host}:${port} inet n - n - - smtpd`,
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'error unix - - n - - error',
    'proxymap unix - - n - - proxymap',
    'anvil unix - - n - 1 anvil',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return `${services.join('\n')}\n`;
}

/** Master's pid (also its process group: master leads a session of its own), if it wrote it. */
function masterPid(dirs: Layout): number | undefined {
  try {
    const pid = Number(readFileSync(join(dirs.queue, 'pid', 'master.pid'), 'latin1').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Processes of process group `pgid` still running (zombies do not count), from /proc (Linux). */
export function liveProcessGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(entry));
  }
  return members;
}

/** Kills what is left of master's group until nothing of it runs; throws after `timeoutMs`. */
async function reap(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = liveProcessGroup(pgid);
    if (live.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`postfix: processes ${live.join(', ')} of group ${pgid} survived SIGKILL`);
    }
    killGroup(pgid, 'SIGKILL');
    await sleep(50);
  }
}

const MAX_LOG = 1024 * 1024;

function readLog(dirs: Layout): string {
  try {
    return readFileSync(dirs.maillog, 'utf8').slice(-MAX_LOG);
  } catch {
    return '';
  }
}

/** The first reply line of host:port when it is a 220 greeting, else undefined. */
function greeting(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const done = (line: string | undefined): void => {
      socket.destroy();
      resolve(line);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n');
      if (end !== -1) {
        const line = received.slice(0, end);
        done(/^220[ -]/.test(line) ? line : undefined);
      } else if (received.length > 4096) {
        done(undefined);
      }
    });
  });
}

/**
 * Starts a Postfix instance on `host:port` (default 127.0.0.1 and a free port) and waits
 * for its 220 greeting. The instance is stopped and its directory removed by `stop()`, or
 * when the test process exits.
 */
export async function startPostfix(options: PostfixOptions): Promise<PostfixServer> {
  const postfix = requireProgram('postfix');
  if (process.getuid?.() !== 0) throw new Error('Postfix must be started as root');
  const tls = options.starttls ? (options.cert ?? (await makeTestPki()).rsa) : undefined;
  const host = options.host ?? '127.0.0.1';
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startInstance(postfix, host, port, tls);
    } catch (err) {
      // freePort races with other processes; a fixed port is the caller's to choose.
      if (options.port === undefined && attempt < 3 && /already in use/i.test(String(err))) {
        continue;
      }
      throw err;
    }
  }
}

async function startInstance(
  postfix: string,
  host: string,
  port: number,
  tls: ServerCert | undefined,
): Promise<PostfixServer> {
  const dirs = layout(await mkdtemp(join(tmpdir(), 'wiretight-postfix-')));
  // master.pid stays after master exits: stop and the exit hook read it until the dir goes.
  const unregister = atExit(() => {
    const group = masterPid(dirs);
    if (group !== undefined) killGroup(group, 'SIGKILL');
    rmSync(dirs.root, { recursive: true, force: true });
  });
  const remove = (): void => {
    unregister();
    rmSync(dirs.root, { recursive: true, force: true });
  };
  try {
    // smtpd and the other daemons run as `postfix` and must reach the queue under root.
    await chmod(dirs.root, 0o755);
    await mkdir(dirs.config);
    await mkdir(dirs.queue);
    await writeFile(join(dirs.config, 'main.cf'), mainCf(dirs, tls));
    await writeFile(join(dirs.config, 'master.cf'), masterCf(host, port));
  } catch (err) {
    remove();
    throw err;
  }
  const control = (command: 'start' | 'stop') =>
    exec(postfix, ['-c', dirs.config, command], { timeoutMs: 30_000 });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        // Graceful: master terminates its children, postfix-script waits for it to go.
        await control('stop');
        const group = masterPid(dirs);
        if (group !== undefined) await reap(group, 5000);
      } finally {
        remove();
      }
    })();
    return stopping;
  };

  // `postfix start` first creates the queue and data directories with the owners Postfix
  // checks (post-install create-missing), then returns once master has bound the port.
  const started = await control('start');
  const pid = masterPid(dirs);
  if (started.code !== 0 || pid === undefined) {
    const why = started.timedOut ? 'timed out' : `exited ${started.code ?? started.signal}`;
    const log = readLog(dirs);
    await stop();
    // Errors before logging starts (a bad main.cf) go to syslog only, not to the pipe.
    const said = `${started.stderr.trim()}\n${log}`.trim() || '(nothing logged: see syslog)';
    throw new Error(`postfix failed to start on ${host}:${port}: ${why}: ${said}`);
  }
  const deadline = Date.now() + 15_000;
  let banner: string | undefined;
  while ((banner = await greeting(host, port, 2000)) === undefined) {
    if (Date.now() > deadline) {
      const log = readLog(dirs);
      await stop();
      throw new Error(`postfix on ${host}:${port} gave no 220 greeting within 15 s\n${log}`);
    }
    await sleep(50);
  }
  return { host, port, pid, banner, stop, logs: () => readLog(dirs) };
}
