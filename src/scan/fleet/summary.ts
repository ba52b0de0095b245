import { type FailedTarget, FailedTargets } from './failed-targets.ts';
import type { Severity } from '../findings/index.ts';
import type { ScanReport } from '../report.ts';

/** What a fleet scan adds up to: grades, the most common serious findings, who failed. */
export interface FleetSummary {
  readonly targets: number;
  readonly tls: number;
  readonly grades: Readonly<Record<string, number>>;
  /** Finding ids of high or critical severity, by how many targets have them, most first. */
  readonly worstFindings: readonly { id: string; severity: Severity; targets: number }[];
  /** Targets with no TLS report, the first `MAX_FAILED_LISTED` of them. */
  readonly failed: readonly FailedTarget[];
  /** All targets with no TLS report, listed or not. */
  readonly failedCount: number;
  /** Targets never scanned: the run's `--deadline` came first. Not in `targets`. */
  readonly notScanned: number;
}

export { reportLabel } from './failed-targets.ts';

/**
 * Folds reports into a summary one at a time, keeping counts only: a 10,000-target scan
 * holds no reports here.
 */
export class FleetTally {
  #targets = 0;
  #tls = 0;
  readonly #grades = new Map<string, number>();
  readonly #findings = new Map<string, { severity: Severity; targets: number }>();
  readonly #failed = new FailedTargets();
  #notScanned = 0;

  add(report: ScanReport): void {
    this.#targets++;
    if (report.tls) this.#tls++;
    else this.#failed.add(report);
    const grade = report.grade.letter ?? 'withheld';
    this.#grades.set(grade, (this.#grades.get(grade) ?? 0) + 1);
    for (const id of new Set(report.findings.map((f) => f.id))) {
      const f = report.findings.find((x) => x.id === id);
      if (f === undefined || (f.severity !== 'critical' && f.severity !== 'high')) continue;
      const entry = this.#findings.get(id) ?? { severity: f.severity, targets: 0 };
      entry.targets++;
      this.#findings.set(id, entry);
    }
  }

  /** Counts targets the run ended without scanning. */
  addNotScanned(count: number): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    }
    this.#notScanned += count;
  }

  summary(): FleetSummary {
    return {
      targets: this.#targets,
      tls: this.#tls,
      grades: Object.fromEntries(this.#grades),
      worstFindings: [...this.#findings]
        .map(([id, e]) => ({ id, severity: e.severity, targets: e.targets }))
        .sort((a, b) => b.targets - a.targets || a.id.localeCompare(b.id)),
      failed: this.#failed.listed,
      failedCount: this.#failed.count,
      notScanned: this.#notScanned,
    };
  }
}
