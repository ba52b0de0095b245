// The probes' names for people, apart from the probes so reports and the grade can name
// them without loading the probes' code.
import type { ActiveVulnerabilityFacts } from './active-vulnerabilities.ts';

/** Human names of the probes, for reports and for the grade's list of incomplete checks. */
export const ACTIVE_CHECK_NAMES: Readonly<Record<keyof ActiveVulnerabilityFacts, string>> = {
  heartbleed: 'Heartbleed',
  ccsInjection: 'CCS injection',
  robot: 'ROBOT',
  compression: 'CRIME (TLS compression)',
  fallbackScsv: 'Downgrade (FALLBACK_SCSV)',
  renegotiation: 'Insecure renegotiation',
};

type ProbeKey = keyof ActiveVulnerabilityFacts;

/**
 * `ROBOT (the server asks for a client certificate…)` for each of `keys` (default: every
 * probe) whose verdict was inconclusive.
 */
export function inconclusiveActiveChecks(
  facts: ActiveVulnerabilityFacts,
  keys: readonly ProbeKey[] = Object.keys(ACTIVE_CHECK_NAMES) as ProbeKey[],
): string[] {
  return keys
    .filter((key) => facts[key].verdict === 'inconclusive')
    .map((key) => `${ACTIVE_CHECK_NAMES[key]} (${facts[key].reason})`);
}
