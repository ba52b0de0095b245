import { sortFindings } from './findings/index.ts';
import { gradeReport } from './grade/index.ts';
import type { ReportFacts, ScanReport } from './report.ts';
import { evaluateRules } from './rules/index.ts';

/**
 * Turns what a scan observed into the report users read: findings from the rules (pure
 * functions of the facts), worst first, and the grade judged from both.
 */
export function judge(facts: ReportFacts): ScanReport {
  const findings = sortFindings(evaluateRules(facts));
  const grade = gradeReport(facts, findings, { incompleteChecks: [] });
  return { ...facts, findings, grade };
}
