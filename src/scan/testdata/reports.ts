// Scan reports built from a few facts, for the tests of rules and grading (pure functions
// of a report). Suites are described by the registry exactly as assemble.ts does.
import type { CertificateFacts } from '../../pki/certificate-facts.ts';
import type { ProtocolName } from '../../wire/registry/versions.ts';
import { emptyProtocols, suiteReport } from '../assemble.ts';
import { SCAN_SCHEMA, type ReportFacts } from '../report.ts';

export interface ReportSketch {
  /** Accepted suite ids per version, e.g. `{ 'TLSv1.2': [0xc02f] }`. */
  readonly suites: Partial<Record<ProtocolName, readonly number[]>>;
  readonly serverPreference?: Partial<Record<ProtocolName, boolean>>;
  readonly groups13?: readonly string[];
  readonly groups12?: readonly string[];
  readonly dhePrimeBits?: readonly number[];
  /** Leaf key: `rsa` 2048 unless given. */
  readonly leafKey?: { readonly type: string; readonly bits: number };
  readonly clientCertificateRequested?: boolean;
}

export function leafFacts(key = { type: 'rsa', bits: 2048 }): CertificateFacts {
  return {
    subject: 'CN=localhost',
    issuer: 'CN=Test Intermediate',
    serialNumber: '01',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    subjectAltNames: ['DNS:localhost'],
    publicKey: key,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    isCa: false,
    selfIssued: false,
    sha256: '00',
    pem: '',
  };
}

export function sketchReport(sketch: ReportSketch): ReportFacts {
  const protocols = emptyProtocols();
  const cipherSuites: ReportFacts['cipherSuites'] = {};
  for (const [version, ids] of Object.entries(sketch.suites) as [ProtocolName, number[]][]) {
    if (ids.length === 0) continue;
    protocols[version] = true;
    cipherSuites[version] = ids.map((id) =>
      suiteReport({ id }, version === 'SSLv2' ? 'sslv2' : 'tls'),
    );
  }
  const groups13 = [...(sketch.groups13 ?? (protocols['TLSv1.3'] ? ['x25519'] : []))];
  const groups12 = [...(sketch.groups12 ?? [])];
  return {
    schema: SCAN_SCHEMA,
    tool: { name: 'wiretight', version: 'test' },
    target: { host: 'localhost', port: 443, ip: '127.0.0.1', sni: 'localhost' },
    startedAt: '2026-06-01T00:00:00.000Z',
    tls: true,
    scope: 'full',
    protocols,
    cipherSuites,
    serverPreference: sketch.serverPreference ?? {},
    groups: [...new Set([...groups13, ...groups12])],
    groupsByProtocol: {
      ...(groups13.length > 0 ? { 'TLSv1.3': groups13 } : {}),
      ...(groups12.length > 0 ? { 'TLSv1.2': groups12 } : {}),
    },
    dhePrimeBits: [...(sketch.dhePrimeBits ?? [])],
    serverHelloExtensions: {},
    certificateChain: [leafFacts(sketch.leafKey)],
    alpn: [],
    clientCertificateRequested: sketch.clientCertificateRequested ?? false,
    handshakes: 1,
    durationMs: 1,
  };
}
