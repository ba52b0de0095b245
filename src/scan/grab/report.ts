import type { ChainEntry } from '../../pki/certificate-facts.ts';
import type { CertificateVerdicts } from '../../pki/verdicts.ts';
import type { ProtocolName } from '../../wire/registry/versions.ts';
import type { Finding } from '../findings/index.ts';
import type { PlaintextAnswer, ScanErrorReport, SuiteReport, TargetReport } from '../report.ts';

export const GRAB_SCHEMA = 'wiretight.grab/v1';

/** What a current client gets: the version, suite and key exchange the server chose. */
export interface NegotiatedReport {
  readonly version: ProtocolName;
  readonly suite: SuiteReport;
  /** The key exchange group: TLS 1.3's key share, or TLS 1.2's ECDHE curve. */
  readonly group?: string;
}

/**
 * The `wiretight.grab/v1` report (`wiretight scan --grab`, docs/grab-report.md): one or
 * two handshakes per target, for inventories of thousands of endpoints. It states what
 * was negotiated, never what else the server accepts: that takes a full scan.
 */
export interface GrabReport {
  readonly schema: typeof GRAB_SCHEMA;
  readonly tool: { readonly name: 'wiretight'; readonly version: string };
  readonly target: TargetReport;
  readonly startedAt: string;
  readonly tls: boolean;
  readonly starttls?: string;
  readonly error?: ScanErrorReport;
  readonly plaintext?: PlaintextAnswer;
  readonly negotiated?: NegotiatedReport;
  readonly certificateChain: ChainEntry[];
  /** Trust, host name, validity and strength of the chain; no revocation lookups. */
  readonly certificates?: CertificateVerdicts;
  /** Days until the leaf expires, rounded down; negative once it has. */
  readonly expiresInDays?: number;
  readonly clientCertificateRequested: boolean;
  /** Certificate findings and the negotiated version's; worst first. */
  readonly findings: readonly Finding[];
  readonly handshakes: number;
  readonly durationMs: number;
}
