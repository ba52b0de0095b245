import {
  type Finding,
  SEVERITIES,
  type Severity,
  compareSeverity,
} from '../scan/findings/index.ts';
import type { Grade } from '../scan/grade/index.ts';

/** `B (score 87)`, `T (score 92; A if the certificate were trusted)`, or why it is withheld. */
export function gradeText(grade: Grade): string {
  if (grade.letter === null) return `withheld: ${grade.withheld ?? 'unknown'}`;
  const parts = [`score ${grade.score ?? '?'}`];
  if (grade.letterIgnoringTrust !== undefined) {
    parts.push(`${grade.letterIgnoringTrust} if the certificate were trusted and matching`);
  }
  return `${grade.letter} (${parts.join('; ')})`;
}

/** Findings at `threshold` or worse, in the report's order (worst first). */
export function atOrAbove(findings: readonly Finding[], threshold: Severity): Finding[] {
  return findings.filter((f) => compareSeverity(f.severity, threshold) <= 0);
}

/** `1 high, 3 medium, 2 low`, worst first; `none` when empty. */
export function severityCounts(findings: readonly Finding[]): string {
  const parts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}
