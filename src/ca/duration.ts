// Lifetimes as people write them in flags and policy files: 90s, 15m, 24h, 30d, 2w, 10y.

const UNITS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 } as const;
type Unit = keyof typeof UNITS;

/** Longer than any certificate should live; also keeps dates inside what X.509 can say. */
export const MAX_DURATION_SECONDS = 100 * UNITS.y;

const PATTERN = /^([1-9][0-9]{0,9})([smhdwy])$/;

/** Seconds of `90s`, `15m`, `24h`, `30d`, `2w` or `10y` (a year is 365 days); RangeError otherwise. */
export function parseDuration(text: string): number {
  const m = PATTERN.exec(text.trim());
  if (m === null) {
    throw new RangeError(
      `"${text}" is not a duration: a whole number and one of s, m, h, d, w, y (e.g. 24h, 30d)`,
    );
  }
  const seconds = Number(m[1]) * UNITS[m[2] as Unit];
  if (seconds > MAX_DURATION_SECONDS) {
    throw new RangeError(`"${text}" is longer than 100 years`);
  }
  return seconds;
}

/** The largest unit that divides `seconds` exactly: 86400 → `1d`, 5400 → `90m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new RangeError(`formatDuration: ${seconds} is not a positive whole number of seconds`);
  }
  const units = Object.entries(UNITS).reverse() as [Unit, number][];
  for (const [unit, size] of units) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
