// CPU time of processes from Linux /proc, for the cost a scan puts on the servers it
// scans: a floor no client can go below, and a fleet's own bill for being scanned.
import { readFileSync, readdirSync } from 'node:fs';

// /proc/PID/stat counts in clock ticks: USER_HZ, 100 on every Linux this runs on.
const MS_PER_TICK = 10;

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly cpuMs: number;
}

/** One /proc/PID/stat, or undefined for a process that is gone. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself hold ") ": fields follow the last.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK,
  };
}

function allProcesses(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s) => s !== undefined);
}

/** User + system CPU milliseconds a process has used so far. */
export function cpuMs(pid: number): number {
  return readStat(pid)?.cpuMs ?? 0;
}

/**
 * The process groups this process's children lead now. Servers started by the test
 * helpers run detached, each leading its group, so taken right after they start (and
 * while nothing else runs) this names the servers and whatever they fork (nginx's workers).
 */
export function childProcessGroups(): Set<number> {
  return new Set(
    allProcesses()
      .filter((p) => p.ppid === process.pid)
      .map((p) => p.pgrp),
  );
}

/** User + system CPU milliseconds used so far by every live process of these groups. */
export function groupCpuMs(groups: ReadonlySet<number>): number {
  return allProcesses()
    .filter((p) => groups.has(p.pgrp))
    .reduce((sum, p) => sum + p.cpuMs, 0);
}
