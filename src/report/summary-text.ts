import type { FailedTarget } from '../scan/fleet/failed-targets.ts';
import type { FleetSummary } from '../scan/fleet/summary.ts';
import { type Painter, pad, painter, terminalSafe } from './style.ts';

const GRADE_ORDER = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T', 'M', 'withheld'];

function tone(grade: string): Parameters<Painter>[0] {
  if (grade.startsWith('A')) return 'green';
  if (grade === 'B') return 'yellow';
  if (grade === 'withheld') return 'dim';
  return 'red';
}

/** The end of a fleet scan: how many, which grades, the commonest serious findings, who failed. */
export function renderSummary(s: FleetSummary, options: { readonly color: boolean }): string {
  const p = painter(options.color);
  const lines = [
    p('bold', `Summary: ${s.targets} target${s.targets === 1 ? '' : 's'}, ${s.tls} speaking TLS`),
  ];
  const grades = GRADE_ORDER.filter((g) => (s.grades[g] ?? 0) > 0);
  if (grades.length > 0) {
    lines.push(
      `  ${pad('grades', 10)}${grades.map((g) => `${p(tone(g), g)} ${s.grades[g] ?? 0}`).join('  ')}`,
    );
  }
  if (s.worstFindings.length > 0) {
    lines.push('  worst findings');
    for (const f of s.worstFindings.slice(0, 10)) {
      lines.push(
        `    ${pad(String(f.targets), 6)}${pad(p(f.severity === 'critical' ? ['bold', 'red'] : 'red', f.severity), 10)}${f.id}`,
      );
    }
  }
  lines.push(...unscannedLines(s, p));
  return `${lines.join('\n')}\n`;
}

/** The targets a fleet run could not check (the first 20 named) and those it never started. */
export function unscannedLines(
  s: {
    readonly failed: readonly FailedTarget[];
    readonly failedCount: number;
    readonly notScanned: number;
  },
  p: Painter,
): string[] {
  const lines: string[] = [];
  if (s.failedCount > 0) {
    lines.push(`  not checked (${s.failedCount})`);
    for (const f of s.failed.slice(0, 20)) {
      lines.push(
        `    ${pad(terminalSafe(f.target), 28)}${p('dim', terminalSafe(`${f.code}: ${f.message}`))}`,
      );
    }
    if (s.failedCount > 20) lines.push(`    … and ${s.failedCount - 20} more`);
  }
  if (s.notScanned > 0) {
    lines.push(`  not scanned ${p('red', String(s.notScanned))} (the run's --deadline came first)`);
  }
  return lines;
}
