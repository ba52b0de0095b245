// Runs the programs a bench times (the wiretight CLI, sslscan, testssl.sh) and measures
// the wall time. Each runs in its own process group, killed on timeout and when the bench
// exits or is interrupted: Ctrl-C reaches only the terminal's foreground group, so a
// detached child would otherwise keep scanning after the bench is gone.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { atExit } from '../../test/helpers/cleanup.ts';
import { killGroup } from '../../test/helpers/exec.ts';

/** The bundled CLI (`node scripts/bundle-cli.ts` refreshes it). */
export const WIRETIGHT_CLI = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

/**
 * The arguments that run the CLI as its `#!/usr/bin/env -S node …` line does, after
 * `process.execPath` (Node 24, whichever `node` PATH finds): the Node flags, then the file.
 */
export function wiretightArgv(): string[] {
  let first = '';
  try {
    first = readFileSync(WIRETIGHT_CLI, 'utf8').split('\n', 1)[0] ?? '';
  } catch {
    // Not built yet: the spawn itself will say so.
  }
  const flags = /^#!\/usr\/bin\/env\s+(?:-S\s+)?node\b(.*)$/.exec(first)?.[1]?.trim() ?? '';
  return [...(flags === '' ? [] : flags.split(/\s+/)), WIRETIGHT_CLI];
}

export interface RunOptions {
  /** Killed after this long (default 15 minutes: one full testssl.sh run can take three). */
  timeoutMs?: number;
  /** Keep stdout (default); false sends it to /dev/null, as a loop of scans would. */
  captureStdout?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  /** Wall time from spawn to exit. */
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Empty when not captured; at most MAX_CAPTURE characters. */
  stdout: string;
  /** The last MAX_CAPTURE characters. */
  stderr: string;
  timedOut: boolean;
}

const MAX_CAPTURE = 16 * 1024 * 1024;

// Asynchronous on purpose: the servers' output pipes are drained by the bench's event
// loop, and a blocked loop (spawnSync) fills them until s_server stops answering.
export function runTimed(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', opts.captureStdout === false ? 'ignore' : 'pipe', 'pipe'],
      detached: true,
    });
    const unregister = atExit(() => killGroup(child.pid, 'SIGKILL'));
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_CAPTURE) stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-MAX_CAPTURE);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, opts.timeoutMs ?? 900_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      unregister();
      reject(err);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      unregister();
      resolve({ ms, code, signal, stdout, stderr, timedOut });
    });
  });
}
