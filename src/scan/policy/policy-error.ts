import { WiretightError } from '../../errors.ts';

/** One thing wrong with a policy file, where it is, and under which key. */
export interface PolicyProblem {
  readonly file: string;
  /** 1-based; 0 when the problem is the file as a whole (unreadable, too large). */
  readonly line: number;
  readonly column: number;
  /** The key path, such as `suppressions[1].expires`; empty for the file or its root. */
  readonly path: string;
  readonly message: string;
}

/** `file:line:column: path: message`, the form editors and CI logs link to. */
export function formatProblem(p: PolicyProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
}

/** Problems spelled out in the message; `problems` keeps them all. */
const MAX_LISTED = 50;

/** A policy file that cannot be used; every problem found is listed, one per line. */
export class PolicyError extends WiretightError {
  readonly problems: readonly PolicyProblem[];

  constructor(problems: readonly PolicyProblem[], options?: { cause?: unknown }) {
    const shown = problems.slice(0, MAX_LISTED).map(formatProblem);
    const more = problems.length - shown.length;
    super(
      'WT_ERR_POLICY_INVALID',
      [...shown, ...(more > 0 ? [`…and ${more} more problems`] : [])].join('\n'),
      options,
    );
    this.name = 'PolicyError';
    this.problems = problems;
  }
}
