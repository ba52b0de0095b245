import { FINDING_CATALOGUE, type FindingId } from './catalogue.ts';
import { type Severity, compareSeverity } from './severity.ts';

export { SEVERITIES, type Severity, compareSeverity } from './severity.ts';

/**
 * How sure a finding is. `confirmed`: the server showed the behaviour. `potential`: a risk
 * inferred from other facts (LUCKY13 from CBC being offered); those stay low severity.
 */
export type Confidence = 'confirmed' | 'potential';

/** One problem or notable fact about an endpoint, as written to the report's `findings`. */
export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly title: string;
  /** What was seen on this endpoint, in a sentence a person can check. */
  readonly evidence: string;
  /** The change that removes the finding. */
  readonly fix: string;
  readonly references: readonly string[];
  /** Machine-readable specifics (days left, prime bits, suite ids…), when there are any. */
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** Ready configuration for common servers (`nginx`, `apache`, `haproxy`, `caddy`…). */
  readonly snippets?: Readonly<Record<string, string>>;
}

export interface FindingInput {
  readonly evidence: string;
  /** Overrides the catalogue's default where the facts make it worse (or milder). */
  readonly severity?: Severity;
  /** A fix specific to what was seen; the catalogue's generic fix otherwise. */
  readonly fix?: string;
  readonly details?: Finding['details'];
  readonly snippets?: Finding['snippets'];
}

/** Builds a finding from its catalogue entry and what was seen on this endpoint. */
export function finding(id: FindingId, input: FindingInput): Finding {
  const entry = FINDING_CATALOGUE[id];
  return {
    id,
    severity: input.severity ?? entry.severity,
    confidence: entry.confidence,
    title: entry.title,
    evidence: input.evidence,
    fix: input.fix ?? entry.fix,
    references: entry.references,
    ...(input.details === undefined ? {} : { details: input.details }),
    ...(input.snippets === undefined ? {} : { snippets: input.snippets }),
  };
}

/** Findings worst first; ties keep the order the rules produced them in. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => compareSeverity(a.severity, b.severity));
}
