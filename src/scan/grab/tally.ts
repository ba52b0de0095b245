import { type FailedTarget, FailedTargets } from '../fleet/failed-targets.ts';
import type { GrabReport } from './report.ts';

/** What a grab of a fleet adds up to: versions, certificates about to fail, who failed. */
export interface GrabSummary {
  readonly targets: number;
  readonly tls: number;
  /** Negotiated version → targets. */
  readonly versions: Readonly<Record<string, number>>;
  readonly expired: number;
  /** Not expired, but within the warning period. */
  readonly expiringSoon: number;
  readonly untrusted: number;
  readonly hostnameMismatch: number;
  /** Targets with no TLS handshake, the first `MAX_FAILED_LISTED` of them. */
  readonly failed: readonly FailedTarget[];
  /** All targets with no TLS handshake, listed or not. */
  readonly failedCount: number;
  /** Targets a run's deadline left unscanned. */
  readonly notScanned: number;
}

/** Folds grab reports into counts one at a time; it keeps no report. */
export class GrabTally {
  readonly #warningDays: number;
  #targets = 0;
  #tls = 0;
  readonly #versions = new Map<string, number>();
  #expired = 0;
  #expiringSoon = 0;
  #untrusted = 0;
  #hostnameMismatch = 0;
  readonly #failed = new FailedTargets();
  #notScanned = 0;

  constructor(expiryWarningDays: number) {
    this.#warningDays = expiryWarningDays;
  }

  add(report: GrabReport): void {
    this.#targets++;
    const version = report.negotiated?.version;
    if (report.tls && version !== undefined) {
      this.#tls++;
      this.#versions.set(version, (this.#versions.get(version) ?? 0) + 1);
    } else {
      this.#failed.add(report);
    }
    const days = report.expiresInDays;
    if (days !== undefined && days < 0) this.#expired++;
    else if (days !== undefined && days < this.#warningDays) this.#expiringSoon++;
    if (report.certificates !== undefined && !report.certificates.trust.trusted) this.#untrusted++;
    if (report.certificates?.hostname?.matches === false) this.#hostnameMismatch++;
  }

  addNotScanned(count: number): void {
    this.#notScanned += count;
  }

  summary(): GrabSummary {
    return {
      targets: this.#targets,
      tls: this.#tls,
      versions: Object.fromEntries(this.#versions),
      expired: this.#expired,
      expiringSoon: this.#expiringSoon,
      untrusted: this.#untrusted,
      hostnameMismatch: this.#hostnameMismatch,
      failed: this.#failed.listed,
      failedCount: this.#failed.count,
      notScanned: this.#notScanned,
    };
  }
}
