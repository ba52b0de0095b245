import { type Finding, finding } from '../findings/index.ts';
import type { ReportFacts } from '../report.ts';
import { acceptedSuites, describeSuites, distinctSuiteIds } from './context.ts';
import { isCbc, isExportDh, isExportRsa } from './suite-traits.ts';

/** Logjam's threshold: groups of 1024 bits and less are within reach of precomputation. */
const LOGJAM_MAX_PRIME_BITS = 1024;

/**
 * Vulnerabilities that follow from the protocols and suites already enumerated, with no
 * extra connection. POODLE, DROWN, FREAK and Logjam are certain given those facts; BEAST
 * and LUCKY13 are only potential and say so.
 */
export function inferredVulnerabilityFindings(report: ReportFacts): Finding[] {
  if (!report.tls) return [];
  const accepted = acceptedSuites(report);
  const out: Finding[] = [];

  const sslv3Cbc = accepted.filter((a) => a.version === 'SSLv3' && isCbc(a.suite));
  if (sslv3Cbc.length > 0) {
    out.push(
      finding('vuln.poodle', {
        evidence: `SSLv3 is accepted with CBC suites: ${describeSuites(sslv3Cbc)}.`,
        details: { suites: distinctSuiteIds(sslv3Cbc) },
      }),
    );
  }

  if (report.protocols.SSLv2) {
    const count = report.cipherSuites.SSLv2?.length ?? 0;
    out.push(
      finding('vuln.drown', {
        evidence: `The server answers SSLv2 hellos (${count} cipher spec${count === 1 ? '' : 's'} offered), so its RSA key can be attacked through SSLv2.`,
        details: { cipherSpecs: count },
      }),
    );
  }

  const exportRsa = accepted.filter((a) => isExportRsa(a.suite));
  if (exportRsa.length > 0) {
    out.push(
      finding('vuln.freak', {
        evidence: `Export RSA suites are accepted: ${describeSuites(exportRsa)}.`,
        details: { suites: distinctSuiteIds(exportRsa) },
      }),
    );
  }

  const exportDh = accepted.filter((a) => isExportDh(a.suite));
  const smallPrimes = report.dhePrimeBits.filter((b) => b <= LOGJAM_MAX_PRIME_BITS);
  if (exportDh.length > 0 || smallPrimes.length > 0) {
    const why = [
      ...(exportDh.length > 0
        ? [`export DHE suites are accepted: ${describeSuites(exportDh)}`]
        : []),
      ...(smallPrimes.length > 0 ? [`DHE uses a ${Math.min(...smallPrimes)}-bit prime`] : []),
    ];
    out.push(
      finding('vuln.logjam', {
        evidence: `${why.join('; ')}.`,
        details: {
          suites: distinctSuiteIds(exportDh),
          ...(smallPrimes.length > 0 ? { primeBits: Math.min(...smallPrimes) } : {}),
        },
      }),
    );
  }

  const beast = accepted.filter(
    (a) => (a.version === 'TLSv1.0' || a.version === 'SSLv3') && isCbc(a.suite),
  );
  if (beast.length > 0) {
    out.push(
      finding('vuln.beast', {
        evidence: `CBC suites are accepted with ${[...new Set(beast.map((b) => b.version))].join(' and ')}; clients that do not split records (1/n-1) are exposed.`,
        details: { suites: distinctSuiteIds(beast) },
      }),
    );
  }

  const cbc = accepted.filter((a) => a.version !== 'SSLv2' && isCbc(a.suite));
  if (cbc.length > 0) {
    out.push(
      finding('vuln.lucky13', {
        evidence: `${distinctSuiteIds(cbc).length} CBC suites are accepted; only a TLS stack without constant-time CBC padding checks is exploitable, which a scan cannot see.`,
        details: { suites: distinctSuiteIds(cbc) },
      }),
    );
  }
  return out;
}
