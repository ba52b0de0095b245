import { type Finding, finding } from '../findings/index.ts';
import type { ReportFacts } from '../report.ts';

/** A cleartext port, and the mutual-TLS fact. */
export function transportFindings(report: ReportFacts): Finding[] {
  const out: Finding[] = [];
  if (!report.tls && report.plaintext !== undefined) {
    out.push(
      finding('transport.plaintext', {
        evidence: `The port answered a TLS ClientHello in cleartext: ${report.plaintext.description}.`,
        details: { protocol: report.plaintext.protocol },
      }),
    );
  }
  if (report.tls && report.clientCertificateRequested) {
    out.push(
      finding('tls.client-cert-required', {
        evidence: 'The server sent a CertificateRequest in its handshake.',
      }),
    );
  }
  return out;
}
