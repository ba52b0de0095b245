import type { Finding, Severity } from '../scan/findings/index.ts';
import type { Grade } from '../scan/grade/index.ts';
import type { ScanReport } from '../scan/report.ts';
import { type Painter, pad } from './style.ts';

type Tone = Parameters<Painter>[0];

export const SEVERITY_TONE: Record<Severity, Tone> = {
  critical: ['bold', 'red'],
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'dim',
};

function gradeTone(letter: string): Tone {
  if (letter.startsWith('A')) return ['bold', 'green'];
  if (letter === 'B') return ['bold', 'yellow'];
  return ['bold', 'red'];
}

/** `Grade  B  (score 87; capped: TLS 1.0 is enabled)`. */
export function gradeLines(grade: Grade, p: Painter): string[] {
  if (grade.letter === null) {
    return [`  ${pad('Grade', 9)}${p('dim', `withheld: ${grade.withheld ?? 'unknown'}`)}`];
  }
  const parts = [`score ${grade.score ?? '?'}`];
  if (grade.letterIgnoringTrust !== undefined) {
    parts.push(`${grade.letterIgnoringTrust} if the certificate were trusted and matching`);
  }
  const lines = [
    `  ${pad('Grade', 9)}${p(gradeTone(grade.letter), grade.letter)}  ${p('dim', `(${parts.join('; ')})`)}`,
  ];
  for (const cap of grade.caps) {
    lines.push(`  ${pad('', 9)}${p('dim', `${cap.letter} cap: ${cap.reason}`)}`);
  }
  for (const note of grade.notes ?? []) lines.push(`  ${pad('', 9)}${p('dim', `note: ${note}`)}`);
  return lines;
}

/** `Profile  intermediate (Mozilla guidelines 6.0): 3 violations`. */
export function profileLines(
  profile: ScanReport['profile'],
  findings: readonly Finding[],
  p: Painter,
): string[] {
  if (profile === undefined) return [];
  const violations = findings.filter((f) => f.id.startsWith('profile.')).length;
  const verdict = profile.compliant
    ? p('green', 'compliant')
    : p('red', `${violations} violation${violations === 1 ? '' : 's'}`);
  return [
    `  ${pad('Profile', 9)}${profile.name} ${p('dim', `(Mozilla guidelines ${profile.guidelines})`)}: ${verdict}`,
  ];
}

/**
 * Findings worst first. Those of medium severity and above get their fix printed under
 * them; low and info ones a single line, since a person reads the top of the list.
 */
export function findingLines(findings: readonly Finding[], p: Painter): string[] {
  if (findings.length === 0) return [`  ${p('green', 'no findings')}`];
  const lines: string[] = [];
  for (const f of findings) {
    const tag = pad(p(SEVERITY_TONE[f.severity], f.severity.toUpperCase()), 10);
    lines.push(`  ${tag}${f.title} ${p('dim', `[${f.id}]`)}`);
    lines.push(`  ${pad('', 10)}${p('dim', f.evidence)}`);
    if (f.severity !== 'low' && f.severity !== 'info') {
      lines.push(`  ${pad('', 10)}fix: ${f.fix}`);
    }
    if (f.snippets !== undefined) {
      const servers = Object.keys(f.snippets).join(', ');
      lines.push(
        `  ${pad('', 10)}${p('dim', `config for ${servers}: --format json, or docs/profiles.md`)}`,
      );
    }
  }
  return lines;
}
