// Reports for the renderers' tests: judged from sketched facts (src/scan/testdata), plus
// server-controlled text that tries to break out of every output format.
import { finding, sortFindings } from '../../scan/findings/index.ts';
import { judge } from '../../scan/judge.ts';
import type { ReportFacts, ScanReport } from '../../scan/report.ts';
import { leafFacts, sketchReport } from '../../scan/testdata/reports.ts';

/** Markup, quotes, a CDATA end, a comment end, controls XML forbids, a lone surrogate. */
export const HOSTILE = `<script>alert("pwn")</script> & 'q' ]]> --> \u0000\u001b\ud800 <!--`;

/** TLS 1.0 with 3DES and CBC, a certificate subject and a finding carrying HOSTILE. */
export function weakReport(): ScanReport {
  const facts: ReportFacts = {
    ...sketchReport({ suites: { 'TLSv1.0': [0x000a, 0xc013], 'TLSv1.2': [0xc02f, 0x000a] } }),
    target: { host: 'db.internal', port: 5433, ip: '10.0.0.5', sni: 'db.internal' },
    certificateChain: [{ ...leafFacts(), subject: `CN=${HOSTILE}` }],
    alpn: [HOSTILE],
  };
  const report = judge(facts);
  const hostile = finding('cert.hostname-mismatch', {
    evidence: `The certificate names ${HOSTILE}, not db.internal.`,
    snippets: { nginx: `server_name ${HOSTILE};` },
  });
  return { ...report, findings: sortFindings([...report.findings, hostile]) };
}

/** TLS 1.2 and 1.3 with AEAD suites only: no findings, grade A. */
export function strongReport(): ScanReport {
  return judge({
    ...sketchReport({ suites: { 'TLSv1.3': [0x1301, 0x1302], 'TLSv1.2': [0xc02f] } }),
    target: { host: '::1', port: 8443, ip: '::1', sni: null },
  });
}

/** A scan that stopped at first contact: no facts, no findings, the grade withheld. */
export function unreachableReport(): ScanReport {
  return judge({
    ...sketchReport({ suites: {} }),
    target: { host: 'gone.internal', port: 443, ip: '', sni: 'gone.internal' },
    tls: false,
    certificateChain: [],
    error: { code: 'WT_ERR_SCAN_UNREACHABLE', message: `connect ECONNREFUSED ${HOSTILE}` },
  });
}

/** A port that answered in cleartext, with a hostile banner. */
export function plaintextReport(): ScanReport {
  return judge({
    ...sketchReport({ suites: {} }),
    target: { host: 'cache.internal', port: 6379, ip: '10.0.0.9', sni: 'cache.internal' },
    tls: false,
    certificateChain: [],
    error: { code: 'WT_ERR_SCAN_NOT_TLS', message: 'The target answered, but not with TLS.' },
    plaintext: {
      protocol: 'http',
      description: `HTTP (${HOSTILE})`,
      firstBytesHex: '48545450',
      firstBytesText: HOSTILE,
    },
  });
}
