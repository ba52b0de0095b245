import type { Finding } from '../findings/index.ts';
import type { ReportFacts } from '../report.ts';
import { inferredVulnerabilityFindings } from './inferred-vulnerabilities.ts';
import { protocolFindings } from './protocols.ts';
import { suiteFindings } from './suites.ts';
import { transportFindings } from './transport.ts';
import { sessionFindings } from './session.ts';
import { httpFindings } from './http.ts';
import { activeVulnerabilityFindings } from './vulnerabilities-active.ts';
import { earlyDataFindings } from './early-data.ts';
import { certificateFindings } from './certificates.ts';

/** Every rule over the facts of a report, in report order: transport, protocols, suites, vulnerabilities. */
export interface RuleOptions {
  /** `cert.expiring-soon` below this many days left (default 30). */
  readonly expiryWarningDays?: number;
}

export function evaluateRules(report: ReportFacts, options: RuleOptions = {}): Finding[] {
  return [
    ...transportFindings(report),
    ...(report.certificates === undefined ? [] : certificateFindings(report.certificates, options)),
    ...protocolFindings(report),
    ...suiteFindings(report),
    ...inferredVulnerabilityFindings(report),
    ...activeVulnerabilityFindings(report.vulnerabilities),
    ...earlyDataFindings(report.earlyData),
    ...(report.session === undefined ? [] : sessionFindings(report.session)),
    ...(report.http === undefined ? [] : httpFindings(report.http)),
  ];
}
