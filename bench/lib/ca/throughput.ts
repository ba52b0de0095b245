// Rates as the CA bench prints them: per second of wall time, and per second of CPU time,
// which is what "per core" means honestly on a machine that other work shares.

export interface Throughput {
  readonly count: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** count per wall-clock second. */
  readonly perSecond: number;
  /** count per CPU second (user + system) of the process that did the work. */
  readonly perCpuSecond: number;
}

export function throughput(count: number, wallMs: number, cpuMs: number): Throughput {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be ≥ 0, got ${count}`);
  if (!(wallMs > 0) || !(cpuMs >= 0)) throw new RangeError('times must be positive');
  return {
    count,
    wallMs,
    cpuMs,
    perSecond: (count * 1000) / wallMs,
    perCpuSecond: cpuMs === 0 ? Infinity : (count * 1000) / cpuMs,
  };
}

/** `2,345/s`: a rate rounded to a whole number with thousands separators. */
export function formatRate(perSecond: number | undefined, unit = '/s'): string {
  if (perSecond === undefined || !Number.isFinite(perSecond)) return '-';
  return `${Math.round(perSecond).toLocaleString('en-US')}${unit}`;
}
