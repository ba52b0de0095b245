import type { ProtocolName } from '../../wire/registry/versions.ts';
import type { ReportFacts, SuiteReport } from '../report.ts';

/** Every accepted suite with the version it was accepted in, in report order. */
export interface AcceptedSuite {
  readonly version: ProtocolName;
  readonly suite: SuiteReport;
}

export function acceptedSuites(report: ReportFacts): AcceptedSuite[] {
  const out: AcceptedSuite[] = [];
  for (const [version, suites] of Object.entries(report.cipherSuites) as [
    ProtocolName,
    SuiteReport[],
  ][]) {
    for (const suite of suites) out.push({ version, suite });
  }
  return out;
}

/** `TLS_RSA_WITH_RC4_128_SHA (TLSv1.0, TLSv1.2)` for each distinct suite, in order. */
export function describeSuites(matches: readonly AcceptedSuite[], limit = 6): string {
  const versions = new Map<string, ProtocolName[]>();
  for (const m of matches) {
    const list = versions.get(m.suite.name) ?? [];
    list.push(m.version);
    versions.set(m.suite.name, list);
  }
  const parts = [...versions].map(([name, v]) => `${name} (${v.join(', ')})`);
  const shown = parts.slice(0, limit).join('; ');
  return parts.length > limit ? `${shown}; and ${parts.length - limit} more` : shown;
}

export function distinctSuiteIds(matches: readonly AcceptedSuite[]): string[] {
  return [...new Set(matches.map((m) => m.suite.id))];
}
