// Long-running server processes for the integration tests: start one in its own process
// group, know when it really accepts TCP connections, stop it (and anything it forked)
// reliably, and never leave one behind when the test process exits or is interrupted.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { atExit } from './cleanup.ts';
import { killGroup } from './exec.ts';

export interface RunningServer {
  host: '127.0.0.1';
  port: number;
  /** Kills the process group, waits for the exit, removes the server's temp dir. */
  stop(): Promise<void>;
  /** stdout and stderr so far (the last MiB). */
  logs(): string;
}

export interface LaunchSpec {
  /** For messages: "nginx failed to start: …". */
  name: string;
  cmd: string;
  args: readonly string[];
  cwd?: string;
  /** Removed on stop and on exit. */
  tmpDir?: string;
  /** The port, known up front, or found from the output / the pid once listening. */
  port: number | ((output: string, pid: number) => number | undefined);
  timeoutMs?: number;
}

const MAX_LOG = 1024 * 1024;

export async function launch(spec: LaunchSpec): Promise<RunningServer> {
  const child = spawn(spec.cmd, spec.args, {
    cwd: spec.cwd,
    // stdin stays an open pipe: `openssl s_server` shuts down on EOF of its stdin.
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // own process group: stop() kills it and whatever it forked
  });
  // If the test process ends first: kill the server, remove its temp dir.
  const unregister = atExit(() => {
    killGroup(child.pid, 'SIGKILL');
    if (spec.tmpDir !== undefined) rmSync(spec.tmpDir, { recursive: true, force: true });
  });
  let output = '';
  let stderr = '';
  const append = (s: string, err: boolean) => {
    output = (output + s).slice(-MAX_LOG);
    if (err) stderr = (stderr + s).slice(-MAX_LOG);
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => append(d, false));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => append(d, true));
  child.stdin?.on('error', () => {});
  let exited: string | undefined;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on('error', (err) => {
      spawnError = err;
      exited = `could not be spawned (${err.message})`;
      resolve();
    });
    child.on('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exited === undefined) {
        killGroup(child.pid, 'SIGTERM');
        const forced = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000);
        await exit;
        clearTimeout(forced);
      }
      killGroup(child.pid, 'SIGKILL'); // anything the leader forked that ignored SIGTERM
      child.stdin?.destroy();
      unregister();
      if (spec.tmpDir !== undefined) rmSync(spec.tmpDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + (spec.timeoutMs ?? 5000);
  let port: number | undefined;
  for (;;) {
    if (exited === undefined && child.pid !== undefined) {
      port ??= typeof spec.port === 'number' ? spec.port : spec.port(output, child.pid);
      if (port !== undefined && (await acceptsTcp('127.0.0.1', port))) break;
    }
    if (exited !== undefined || Date.now() > deadline) {
      const why = exited ?? `did not accept connections within ${spec.timeoutMs ?? 5000} ms`;
      await stop();
      const text = stderr.trim() || output.trim() || spawnError?.message || '(no output)';
      throw new Error(`${spec.name} failed to start: ${why}: ${text}`);
    }
    await sleep(20);
  }

  // Ready: a server the test forgets to stop must not keep the test process alive.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as Socket | null)?.unref();
  return { host: '127.0.0.1', port, stop, logs: () => output };
}

/** True when a TCP connection to host:port is accepted (then closed at once). */
export function acceptsTcp(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A loopback port that was free a moment ago (bound on port 0, then closed). For servers
 * that cannot listen on port 0 themselves (nginx): there is a small race, so callers
 * retry when the server reports "Address already in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The IPv4 TCP ports a process is listening on, from /proc (Linux): for servers that
 * listen on port 0 but do not say which port they got (gnutls-serv).
 */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined) inodes.add(m[1]);
    }
    const ports: number[] = [];
    // sl local_address rem_address st ... inode; st 0A = LISTEN
    for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      const inode = f[9];
      if (f[3] === '0A' && local !== undefined && inode !== undefined && inodes.has(inode)) {
        ports.push(parseInt(local.split(':')[1] ?? '0', 16));
      }
    }
    return ports;
  } catch {
    return []; // process gone, or not Linux
  }
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
