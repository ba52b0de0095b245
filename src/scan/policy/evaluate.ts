import { type Finding, sortFindings } from '../findings/index.ts';
import type { ScanReport } from '../report.ts';
import type { Policy } from './policy.ts';
import { policyFindings } from './policy-rules.ts';
import { type SuppressedFinding, type SuppressionWarning, applySuppressions } from './suppress.ts';

export interface PolicyResult {
  /** The report's findings and the policy's, minus the suppressed ones, worst first. */
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly warnings: SuppressionWarning[];
}

/**
 * Judges a report by a policy: the policy's rules add `policy.*` findings, then the
 * suppressions live at `now` remove findings (built-in or policy) for matching targets.
 * The report is not changed; its grade stays what the built-in findings made it.
 */
export function evaluatePolicy(policy: Policy, report: ScanReport, now: Date): PolicyResult {
  const all = [...report.findings, ...policyFindings(policy, report)];
  const { kept, suppressed, warnings } = applySuppressions(
    all,
    policy.suppressions,
    report.target,
    now,
  );
  return { findings: sortFindings(kept), suppressed, warnings };
}

/** A report judged against a policy: its findings filtered, and what the policy did. */
export function applyPolicy(policy: Policy, report: ScanReport, now: Date): ScanReport {
  const result = evaluatePolicy(policy, report, now);
  return {
    ...report,
    findings: result.findings,
    policy: { file: policy.source, suppressed: result.suppressed, warnings: result.warnings },
  };
}
