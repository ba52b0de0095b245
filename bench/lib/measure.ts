// What a whole process costs: wall time, CPU time and peak memory. The peak is the
// kernel's high-water mark of the process's resident set (VmHWM in /proc/PID/status),
// which the kernel hands to the parent as ru_maxrss when the process is reaped — GNU time
// prints it as %M. Node cannot read a child's rusage, and /proc/PID is gone by the time
// the exit is seen, so the program runs under /usr/bin/time (Debian package `time`).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAtExit } from '../../test/helpers/cleanup.ts';
import { findProgram } from '../../test/helpers/tools.ts';
import { type RunOptions, type RunResult, runTimed } from './run.ts';

/** A run's wall time and, when /usr/bin/time is installed, its CPU time and peak RSS. */
export interface ProcessCost extends RunResult {
  /** User + system CPU time of the process and the children it waited for. */
  cpuMs?: number;
  /** Peak resident set size (VmHWM at exit), in KiB. */
  peakRssKiB?: number;
}

/** Where GNU time is, or undefined: then only wall times are measured. */
export const GNU_TIME = findProgram('time');

let timeDir: string | undefined;
let timeFiles = 0;

/** A fresh file name for GNU time's figures, in a temp dir removed when the bench exits. */
function timeFile(): string {
  if (timeDir === undefined) {
    timeDir = mkdtempSync(join(tmpdir(), 'wiretight-bench-time-'));
    removeAtExit(timeDir);
  }
  return join(timeDir, `${++timeFiles}.txt`);
}

/** Runs `cmd args` and measures it (see ProcessCost). */
export async function measureProcess(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<ProcessCost> {
  if (GNU_TIME === undefined) return runTimed(cmd, args, opts);
  const file = timeFile();
  try {
    // -o keeps the figures out of the program's own stderr.
    const run = await runTimed(GNU_TIME, ['-f', '%U %S %M', '-o', file, cmd, ...args], opts);
    // A program killed by a signal gets a "Command terminated by signal N" line first.
    const last = readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '';
    const m = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(last);
    if (m === null) return run;
    return {
      ...run,
      cpuMs: (Number(m[1]) + Number(m[2])) * 1000,
      peakRssKiB: Number(m[3]),
    };
  } finally {
    rmSync(file, { force: true });
  }
}
