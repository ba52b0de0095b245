// Severities on their own, without the catalogue: the command line parses `--fail-on
// severity:` with them before any scan code is loaded.
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Worst first: the order reports sort by and `--fail-on severity:` compares with. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Negative when `a` is worse than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}
