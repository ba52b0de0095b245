import type { Finding, FindingId } from '../findings/index.ts';
import type { TargetReport } from '../report.ts';
import type { Suppression } from './policy.ts';
import { matchesTarget } from './target-pattern.ts';

/** A finding a suppression removed from the report, with the suppression's terms. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: string;
  readonly expires: string;
}

/** A suppression for this target whose date has passed: its findings are reported again. */
export interface SuppressionWarning {
  readonly kind: 'suppression-expired';
  readonly id: FindingId;
  readonly expires: string;
  readonly message: string;
}

export interface SuppressionOutcome {
  readonly kept: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly warnings: SuppressionWarning[];
}

function covers(s: Suppression, target: TargetReport): boolean {
  return s.targets.some((t) => matchesTarget(t, target));
}

/**
 * Splits findings into those kept and those a live suppression for `target` covers. A
 * suppression stops holding at `expiresAt`; from then on its findings are kept and the
 * suppression is named in a warning, so a forgotten exception cannot last for ever.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  target: TargetReport,
  now: Date,
): SuppressionOutcome {
  const relevant = suppressions.filter((s) => covers(s, target));
  const live = relevant.filter((s) => now.getTime() < s.expiresAt.getTime());
  const warnings = relevant
    .filter((s) => !live.includes(s))
    .map((s): SuppressionWarning => ({
      kind: 'suppression-expired',
      id: s.id,
      expires: s.expires,
      message: `The suppression of ${s.id} for ${s.targets.map((t) => t.text).join(', ')} expired on ${s.expires} (${s.reason}); its findings are reported again.`,
    }));
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const by = live.find((s) => s.id === f.id);
    if (by === undefined) kept.push(f);
    else suppressed.push({ finding: f, reason: by.reason, expires: by.expires });
  }
  return { kept, suppressed, warnings };
}
