import type { ActiveVulnerabilityFacts } from '../checks/active-vulnerabilities.ts';
import type { VerdictFacts } from '../checks/active-input.ts';
import { type Finding, type FindingId, type FindingInput, finding } from '../findings/index.ts';

type Details = NonNullable<FindingInput['details']>;

/** The probe behind each finding, and the specifics its finding carries. */
const RULES: readonly {
  readonly id: FindingId;
  readonly facts: (f: ActiveVulnerabilityFacts) => VerdictFacts;
  readonly details: (f: ActiveVulnerabilityFacts) => Details;
}[] = [
  {
    id: 'vuln.heartbleed',
    facts: (f) => f.heartbleed,
    details: ({ heartbleed: h }) => ({
      ...(h.request === undefined
        ? {}
        : { requestCarried: h.request.carried, requestClaimed: h.request.claimed }),
      ...(h.response === undefined ? {} : { responseCarried: h.response.carried }),
    }),
  },
  {
    id: 'vuln.ccs-injection',
    facts: (f) => f.ccsInjection,
    details: ({ ccsInjection: c }) => (c.reactions === undefined ? {} : { reactions: c.reactions }),
  },
  {
    id: 'vuln.robot',
    facts: (f) => f.robot,
    details: ({ robot: r }) => ({
      ...(r.oracle === undefined ? {} : { oracle: r.oracle }),
      ...(r.suite === undefined ? {} : { suite: r.suite }),
    }),
  },
  {
    id: 'vuln.compression',
    facts: (f) => f.compression,
    details: ({ compression: c }) => (c.method === undefined ? {} : { method: c.method }),
  },
  {
    id: 'vuln.no-fallback-scsv',
    facts: (f) => f.fallbackScsv,
    details: ({ fallbackScsv: s }) => (s.highest === undefined ? {} : { highest: s.highest }),
  },
  {
    id: 'vuln.insecure-renegotiation',
    facts: (f) => f.renegotiation,
    details: () => ({}),
  },
];

/**
 * A finding for each probe that showed the vulnerability on the wire. Inconclusive and
 * not-applicable probes make no finding: they are reported with their facts (and count as
 * incomplete checks for the grade), not guessed into one.
 */
export function activeVulnerabilityFindings(
  facts: ActiveVulnerabilityFacts | undefined,
): Finding[] {
  if (facts === undefined) return [];
  const out: Finding[] = [];
  for (const rule of RULES) {
    const f = rule.facts(facts);
    if (f.verdict !== 'vulnerable') continue;
    const details: Details = {
      ...(f.version === undefined ? {} : { version: f.version }),
      ...rule.details(facts),
    };
    out.push(finding(rule.id, { evidence: `${capitalise(f.reason)}.`, details }));
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
