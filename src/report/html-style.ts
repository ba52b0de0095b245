// The report's one style sheet, inline: the file must open anywhere, offline, and print.
import type { GradeLetter } from '../scan/grade/index.ts';
import type { Severity } from '../scan/findings/index.ts';

export const STYLE = `
:root { --good: #1a7f37; --warn: #9a6700; --bad: #cf222e; --dim: #6e7781; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
  max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 0; overflow-wrap: anywhere; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .5rem;
  border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { font-weight: 600; }
table.facts th { width: 14rem; font-weight: normal; color: var(--dim); }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
article { border-top: 3px solid var(--line); margin-top: 2rem; padding-top: 1rem;
  break-before: page; }
article:first-of-type { break-before: auto; }
header.target { display: flex; gap: 1.25rem; align-items: center; }
.grade { font-size: 3rem; font-weight: 800; min-width: 5rem; text-align: center;
  border-radius: .5rem; padding: .25rem .75rem; color: #fff; background: var(--dim); }
.grade.small { font-size: 1rem; min-width: 2.5rem; padding: .1rem .4rem; display: inline-block; }
.grade-good { background: var(--good); } .grade-warn { background: var(--warn); }
.grade-bad { background: var(--bad); }
.good { color: var(--good); } .warn { color: var(--warn); } .bad { color: var(--bad); }
.dim { color: var(--dim); }
.sev { display: inline-block; min-width: 5.5rem; font-weight: 700; font-size: .8rem;
  text-transform: uppercase; }
.sev-critical, .sev-high { color: var(--bad); } .sev-medium { color: var(--warn); }
.sev-low { color: #0969da; } .sev-info { color: var(--dim); }
.finding { border-left: 4px solid var(--line); padding: .25rem .75rem; margin: .5rem 0;
  break-inside: avoid; }
.finding.critical, .finding.high { border-color: var(--bad); }
.finding.medium { border-color: var(--warn); }
.finding p { margin: .25rem 0; }
details summary { cursor: pointer; color: var(--dim); }
@media print {
  body { font-size: 11pt; padding: 0; }
  .grade { color: #000; border: 3px solid currentColor; background: none; }
  .grade-good { color: var(--good); } .grade-warn { color: var(--warn); }
  .grade-bad { color: var(--bad); }
  details > summary { display: none; }
  details > * { display: block; }
  details::details-content { display: contents; content-visibility: visible; }
}
`;

/** Green for A grades, amber for B, red below and for T/M; grey when withheld. */
export function gradeClass(letter: GradeLetter | null): string {
  if (letter === null) return 'grade';
  if (letter.startsWith('A')) return 'grade grade-good';
  return letter === 'B' ? 'grade grade-warn' : 'grade grade-bad';
}

export function severityClass(severity: Severity): string {
  return `sev sev-${severity}`;
}
