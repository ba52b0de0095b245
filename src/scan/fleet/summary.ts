import type { Severity } from '../findings/index.ts';
import type { ScanReport } from '../report.ts';

/** What a fleet scan adds up to: grades, the most common serious findings, who failed. */
export interface FleetSummary {
  readonly targets: number;
  readonly tls: number;
  readonly grades: Readonly<Record<string, number>>;
  /** Finding ids of high or critical severity, by how many targets have them, most first. */
  readonly worstFindings: readonly { id: string; severity: Severity; targets: number }[];
  /** Targets with no TLS report: `{target, code, message}`. */
  readonly failed: readonly { target: string; code: string; message: string }[];
}

/**
 * Folds reports into a summary one at a time, keeping counts only: a 10,000-target scan
 * holds no reports here.
 */
export class FleetTally {
  #targets = 0;
  #tls = 0;
  readonly #grades = new Map<string, number>();
  readonly #findings = new Map<string, { severity: Severity; targets: number }>();
  readonly #failed: { target: string; code: string; message: string }[] = [];

  add(report: ScanReport): void {
    this.#targets++;
    const where = `${report.target.host}:${report.target.port}`;
    if (report.tls) this.#tls++;
    else {
      this.#failed.push({
        target: where,
        code: report.error?.code ?? 'WT_ERR_SCAN_NOT_TLS',
        message: report.plaintext?.description ?? report.error?.message ?? 'no TLS',
      });
    }
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

  summary(): FleetSummary {
    return {
      targets: this.#targets,
      tls: this.#tls,
      grades: Object.fromEntries(this.#grades),
      worstFindings: [...this.#findings]
        .map(([id, e]) => ({ id, severity: e.severity, targets: e.targets }))
        .sort((a, b) => b.targets - a.targets || a.id.localeCompare(b.id)),
      failed: this.#failed,
    };
  }
}
