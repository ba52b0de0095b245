import { type Finding, finding } from '../findings/index.ts';
import type { ReportFacts } from '../report.ts';

const LEGACY = [
  ['SSLv2', 'protocol.sslv2'],
  ['SSLv3', 'protocol.sslv3'],
  ['TLSv1.0', 'protocol.tls10'],
  ['TLSv1.1', 'protocol.tls11'],
] as const;

/** Obsolete versions the server accepts, and TLS 1.3 when it does not. */
export function protocolFindings(report: ReportFacts): Finding[] {
  if (!report.tls) return [];
  const out: Finding[] = [];
  for (const [version, id] of LEGACY) {
    if (report.protocols[version]) {
      const count = report.cipherSuites[version]?.length ?? 0;
      out.push(
        finding(id, {
          evidence: `The server completed a ${version} hello (${count} suite${count === 1 ? '' : 's'} accepted).`,
          details: { protocol: version, suites: count },
        }),
      );
    }
  }
  if (!report.protocols['TLSv1.3']) {
    const best = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3', 'SSLv2'] as const).find(
      (v) => report.protocols[v],
    );
    out.push(
      finding('protocol.no-tls13', {
        evidence: `TLS 1.3 hellos are refused; the best version offered is ${best ?? 'none'}.`,
        details: { bestProtocol: best ?? 'none' },
      }),
    );
  }
  return out;
}
