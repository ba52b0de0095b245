import { WiretightError } from '../errors.ts';
import type { Finding } from './findings/index.ts';
import { type Severity, SEVERITIES, compareSeverity } from './findings/severity.ts';
import type { Grade, GradeLetter } from './grade/index.ts';

/** A CI gate: fail when the grade is worse than `grade`, or a finding reaches `severity`. */
export type FailOn =
  | { readonly kind: 'grade'; readonly grade: GradeLetter }
  | { readonly kind: 'severity'; readonly severity: Severity };

/** Best first; T and M rank below every letter, since trust is broken. */
const GRADE_ORDER: readonly GradeLetter[] = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T', 'M'];
const THRESHOLD_GRADES = GRADE_ORDER.filter((g) => g !== 'T' && g !== 'M');

/** `grade:B` or `severity:high`. */
export function parseFailOn(text: string): FailOn {
  const [kind, value = ''] = text.split(':', 2);
  if (kind === 'grade' && (THRESHOLD_GRADES as readonly string[]).includes(value.toUpperCase())) {
    return { kind: 'grade', grade: value.toUpperCase() as GradeLetter };
  }
  if (kind === 'severity' && (SEVERITIES as readonly string[]).includes(value.toLowerCase())) {
    return { kind: 'severity', severity: value.toLowerCase() as Severity };
  }
  throw new WiretightError(
    'WT_ERR_CLI_USAGE',
    `--fail-on "${text}": expected grade:<${THRESHOLD_GRADES.join('|')}> or severity:<${SEVERITIES.join('|')}>`,
  );
}

/**
 * Why the report fails the gates, one line each; empty when it passes. A withheld grade
 * fails a grade gate: a gate must not pass because a check could not run.
 */
export function failOnReasons(
  report: { readonly findings: readonly Finding[]; readonly grade?: Grade },
  gates: readonly FailOn[],
): string[] {
  const reasons: string[] = [];
  for (const gate of gates) {
    if (gate.kind === 'grade') {
      const letter = report.grade?.letter ?? null;
      if (letter === null) {
        reasons.push(
          `grade withheld (${report.grade?.withheld ?? 'no grade'}), needed ${gate.grade} or better`,
        );
      } else if (GRADE_ORDER.indexOf(letter) > GRADE_ORDER.indexOf(gate.grade)) {
        reasons.push(`grade ${letter} is worse than ${gate.grade}`);
      }
    } else {
      const hits = report.findings.filter((f) => compareSeverity(f.severity, gate.severity) <= 0);
      if (hits.length > 0) {
        const ids = [...new Set(hits.map((f) => f.id))];
        reasons.push(
          `${hits.length} finding${hits.length === 1 ? '' : 's'} at ${gate.severity} or worse: ${ids.join(', ')}`,
        );
      }
    }
  }
  return reasons;
}
