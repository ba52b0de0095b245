import type { ScanReport } from '../scan/report.ts';

/** The `wiretight.scan/v1` document, as documented in docs/scan-report.md. */
export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
