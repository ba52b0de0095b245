import type { PlaintextAnswer, ScanErrorReport, TargetReport } from '../report.ts';
import { formatTarget } from '../target.ts';

/** A target with no TLS handshake, as a summary names it. */
export interface FailedTarget {
  readonly target: string;
  readonly code: string;
  readonly message: string;
}

/** A sweep of a /16 may fail on most addresses; a summary names this many of them. */
export const MAX_FAILED_LISTED = 1000;

/** `host:port`, with the address it resolved to when that differs (IPv6 in brackets). */
export function reportLabel(report: { readonly target: TargetReport }): string {
  const { host, port, ip } = report.target;
  const where = formatTarget({ host, port });
  return ip === '' || ip === host ? where : `${where} (${ip})`;
}

/**
 * The targets that could not be checked: all counted, the first `MAX_FAILED_LISTED` kept,
 * so a summary stays bounded however large the fleet.
 */
export class FailedTargets {
  readonly #listed: FailedTarget[] = [];
  #count = 0;

  add(report: {
    readonly target: TargetReport;
    readonly error?: ScanErrorReport;
    readonly plaintext?: PlaintextAnswer;
  }): void {
    this.#count++;
    if (this.#listed.length >= MAX_FAILED_LISTED) return;
    this.#listed.push({
      target: reportLabel(report),
      code: report.error?.code ?? 'WT_ERR_SCAN_NOT_TLS',
      message: report.plaintext?.description ?? report.error?.message ?? 'no TLS',
    });
  }

  get listed(): readonly FailedTarget[] {
    return this.#listed;
  }

  get count(): number {
    return this.#count;
  }
}
