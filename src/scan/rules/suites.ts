import type { FindingId } from '../findings/catalogue.ts';
import { type Finding, finding } from '../findings/index.ts';
import { GROUPS } from '../../wire/registry/groups.ts';
import type { ReportFacts, SuiteReport } from '../report.ts';
import { type AcceptedSuite, acceptedSuites, describeSuites, distinctSuiteIds } from './context.ts';
import { is64BitBlock, isAnonymous, isCbc, isDes, isNull, isRc4 } from './suite-traits.ts';

/** A suite-level finding: which accepted suites have the trait. Order is the report order. */
const SUITE_RULES: readonly (readonly [FindingId, (s: SuiteReport) => boolean, string])[] = [
  ['suite.null', isNull, 'without encryption'],
  ['suite.anonymous', isAnonymous, 'without server authentication'],
  ['suite.export', (s) => s.export, 'export-grade'],
  ['suite.rc4', isRc4, 'with RC4'],
  ['suite.des', isDes, 'with single DES'],
  ['suite.3des', is64BitBlock, 'with a 64-bit block cipher'],
  ['suite.cbc', isCbc, 'in CBC mode'],
  ['suite.no-forward-secrecy', (s) => !s.forwardSecrecy, 'without forward secrecy'],
];

/** The weakest suites a client may be pushed to when the server follows the client. */
const WEAK_FOR_ORDER = (s: SuiteReport): boolean =>
  isNull(s) ||
  isAnonymous(s) ||
  s.export ||
  isRc4(s) ||
  isDes(s) ||
  is64BitBlock(s) ||
  !s.forwardSecrecy;

/** Bits of security below which an elliptic curve is weak (P-224 has 112). */
const MIN_EC_SECURITY_BITS = 112;

function suiteFinding(id: FindingId, what: string, matches: AcceptedSuite[]): Finding {
  const ids = distinctSuiteIds(matches);
  const plural = ids.length === 1 ? 'suite' : 'suites';
  return finding(id, {
    evidence: `${ids.length} ${plural} ${what} accepted: ${describeSuites(matches)}.`,
    details: { suites: ids },
  });
}

/** Weak suites, weak key exchange, and a client-chosen order while weak suites exist. */
export function suiteFindings(report: ReportFacts): Finding[] {
  if (!report.tls) return [];
  const accepted = acceptedSuites(report);
  const out: Finding[] = [];
  for (const [id, test, what] of SUITE_RULES) {
    const matches = accepted.filter((a) => test(a.suite));
    if (matches.length > 0) out.push(suiteFinding(id, what, matches));
  }
  out.push(...weakDh(report), ...weakEcdh(report), ...clientOrder(report, accepted));
  return out;
}

function weakDh(report: ReportFacts): Finding[] {
  const weak = report.dhePrimeBits.filter((b) => b < 2048);
  if (weak.length === 0) return [];
  const smallest = Math.min(...weak);
  return [
    finding('kex.weak-dh', {
      evidence: `DHE key exchange uses a ${smallest}-bit prime${weak.length > 1 ? ` (sizes seen: ${weak.join(', ')})` : ''}.`,
      severity: smallest < 1024 ? 'high' : 'medium',
      details: { primeBits: smallest },
    }),
  ];
}

function weakEcdh(report: ReportFacts): Finding[] {
  const weak = report.groups.filter((name) => {
    const g = GROUPS.find((x) => x.name === name);
    return g !== undefined && g.family === 'ec' && g.bits < MIN_EC_SECURITY_BITS;
  });
  if (weak.length === 0) return [];
  return [
    finding('kex.weak-ecdh', {
      evidence: `Curves with less than ${MIN_EC_SECURITY_BITS}-bit security are accepted: ${weak.join(', ')}.`,
      details: { groups: weak },
    }),
  ];
}

function clientOrder(report: ReportFacts, accepted: AcceptedSuite[]): Finding[] {
  const versions = Object.entries(report.serverPreference)
    .filter(([version, enforced]) => {
      if (enforced) return false;
      return accepted.some((a) => a.version === version && WEAK_FOR_ORDER(a.suite));
    })
    .map(([version]) => version);
  if (versions.length === 0) return [];
  return [
    finding('preference.client-order', {
      evidence: `In ${versions.join(', ')} the server picks the client’s first choice, and weak suites are among those it accepts.`,
      details: { protocols: versions },
    }),
  ];
}
