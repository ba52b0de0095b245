/** A `wiretight.scan/v1` (docs/scan-report.md) or `wiretight.grab/v1` document, pretty-printed. */
export function renderJson(report: object): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
