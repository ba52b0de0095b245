import { type Finding, sortFindings } from './findings/index.ts';
import { gradeReport } from './grade/index.ts';
import type { ReportFacts, ScanReport } from './report.ts';
import { evaluateRules } from './rules/index.ts';
import { inconclusiveActiveChecks } from './checks/active-names.ts';
import type { ProfileVerdict } from './profile-check.ts';

export interface JudgeOptions {
  /** `cert.expiring-soon` below this many days left (default 30). */
  readonly expiryWarningDays?: number;
  /** The outcome of a Mozilla profile check (`--profile`), see profile-check.ts. */
  readonly profile?: ProfileVerdict;
}

/**
 * Turns what a scan observed into the report users read: findings from the rules (pure
 * functions of the facts), worst first, and the grade judged from both. Profile findings
 * do not move the grade: a profile is a policy choice, not a measure of security.
 */
export function judge(facts: ReportFacts, options: JudgeOptions = {}): ScanReport {
  const findings = evaluateRules(facts, {
    ...(options.expiryWarningDays === undefined
      ? {}
      : { expiryWarningDays: options.expiryWarningDays }),
  });
  const profileFindings: readonly Finding[] = options.profile?.findings ?? [];
  const hsts = facts.http?.https.hsts;
  const grade = gradeReport(facts, findings, {
    incompleteChecks: incompleteChecks(facts),
    notes: gradeNotes(facts),
    ...(hsts === undefined
      ? {}
      : { hstsMaxAge: hsts?.valid === true ? (hsts.maxAge ?? null) : null }),
  });
  const profile = options.profile === undefined ? {} : { profile: options.profile.summary };
  return { ...facts, ...profile, findings: sortFindings([...findings, ...profileFindings]), grade };
}

/** Probes whose verdict can cap the grade at F: without them the grade could flatter. */
const GRADE_CRITICAL_PROBES = ['heartbleed', 'ccsInjection', 'robot'] as const;

function incompleteChecks(facts: ReportFacts): string[] {
  if (facts.scope === 'quick') {
    return [
      'the audit (--quick skips full handshakes, certificate verdicts and vulnerability probes)',
    ];
  }
  const v = facts.vulnerabilities;
  if (v === undefined) return [];
  // ROBOT stopped by a client-certificate request is noted on the grade instead.
  const probes = GRADE_CRITICAL_PROBES.filter(
    (key) => !(key === 'robot' && v.robot.behindClientCertificate === true),
  );
  return inconclusiveActiveChecks(v, probes);
}

/** What the grade could not see but does not withhold for, said next to it. */
function gradeNotes(facts: ReportFacts): string[] {
  return facts.vulnerabilities?.robot.behindClientCertificate === true
    ? [
        'ROBOT was tested only up to the client-certificate request: the server answered every padding alike there, so an unauthenticated client cannot use an oracle, but one behind the certificate check was not tested',
      ]
    : [];
}
