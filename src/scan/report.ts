import type { ProtocolName } from '../wire/registry/versions.ts';
import type { ChainEntry } from '../pki/certificate-facts.ts';
import type { CertificateVerdicts } from '../pki/verdicts.ts';
import type { PlaintextProtocol } from './plaintext.ts';
import type { Finding } from './findings/index.ts';
import type { Grade } from './grade/index.ts';
import type { SuppressedFinding, SuppressionWarning } from './policy/suppress.ts';
import type { HttpFacts } from './http-facts.ts';
import type { EarlyDataFacts } from './checks/early-data.ts';
import type { ActiveVulnerabilityFacts } from './checks/active-vulnerabilities.ts';
import type { SessionFacts } from './session-facts.ts';
import type { ClientSimulationFacts } from './clients/result.ts';

export const SCAN_SCHEMA = 'wiretight.scan/v1';

/** One accepted cipher suite, as the report contract (docs/scan-report.md) writes it. */
export interface SuiteReport {
  readonly id: string;
  readonly name: string;
  readonly opensslName: string | null;
  readonly kx: string;
  readonly auth: string;
  readonly enc: string;
  readonly bits: number;
  readonly aead: boolean;
  readonly forwardSecrecy: boolean;
  readonly export: boolean;
  /** What the server's key exchange used when this suite was negotiated (TLS ≤ 1.2). */
  readonly keyExchange?: KeyExchangeReport;
}

export interface KeyExchangeReport {
  readonly type: 'ECDHE' | 'DHE' | 'RSA' | 'ECDHE-explicit';
  /** Named group for ECDHE (`x25519`, `secp256r1`…). */
  readonly group?: string;
  /** Prime size for DHE, modulus size for export RSA, classical size of the group for ECDHE. */
  readonly bits?: number;
}

export interface TargetReport {
  readonly host: string;
  readonly port: number;
  readonly ip: string;
  readonly sni: string | null;
}

export interface ScanErrorReport {
  readonly code: string;
  readonly message: string;
}

/** What a non-TLS service answered with: the protocol recognised, and its first bytes. */
export interface PlaintextAnswer {
  readonly protocol: PlaintextProtocol;
  /** The protocol's name and, where the bytes carry one, its banner or status line. */
  readonly description: string;
  readonly firstBytesHex: string;
  readonly firstBytesText: string;
}

/** Everything a scan observed: the facts that findings and the grade are judged from. */
export interface ReportFacts {
  readonly schema: typeof SCAN_SCHEMA;
  readonly tool: { readonly name: 'wiretight'; readonly version: string };
  readonly target: TargetReport;
  readonly startedAt: string;
  readonly tls: boolean;
  /** The STARTTLS dialogue run before TLS on each connection, when there was one. */
  readonly starttls?: string;
  /**
   * `full`: enumeration and audit. `quick` (`--quick`): enumeration only — no full
   * handshakes, certificate verdicts, vulnerability probes or HTTP checks, so no grade.
   */
  readonly scope: 'full' | 'quick';
  readonly error?: ScanErrorReport;
  readonly plaintext?: PlaintextAnswer;
  readonly protocols: Record<ProtocolName, boolean>;
  readonly cipherSuites: Partial<Record<ProtocolName, SuiteReport[]>>;
  readonly serverPreference: Partial<Record<ProtocolName, boolean>>;
  /** Every group the server accepts for key exchange, TLS 1.3 key shares first. */
  readonly groups: string[];
  readonly groupsByProtocol: { readonly 'TLSv1.3'?: string[]; readonly 'TLSv1.2'?: string[] };
  /** DHE prime sizes seen, smallest first (empty when no DHE suite is accepted). */
  readonly dhePrimeBits: number[];
  /**
   * TLS ≤ 1.2: the extensions the server's ServerHello carried in answer to wiretight's
   * (renegotiation_info, extended_master_secret, encrypt_then_mac, session_ticket,
   * status_request, signed_certificate_timestamp, ALPN…), per version.
   */
  readonly serverHelloExtensions: Partial<Record<ProtocolName, string[]>>;
  /** The chain as sent; an entry OpenSSL cannot parse carries `parseError` instead of facts. */
  readonly certificateChain: ChainEntry[];
  readonly alpn: string[];
  readonly clientCertificateRequested: boolean;
  /**
   * Certificate verdicts for the chain as sent: trust and why, the path built, chain
   * order and completeness, host name, validity, key and signature strength, revocation.
   */
  readonly certificates?: CertificateVerdicts;
  /** Raw-wire vulnerability probes: a verdict and its reason for each. */
  readonly vulnerabilities?: ActiveVulnerabilityFacts;
  /** TLS 1.3 tickets, resumption and 0-RTT: whether early data on a resumed session is accepted. */
  readonly earlyData?: EarlyDataFacts;
  /** Full-handshake facts: resumption, OCSP stapling, renegotiation, the negotiated group. */
  readonly session?: SessionFacts;
  /** HTTP over TLS (HSTS, compression) and the plain HTTP redirect, when the port speaks HTTP. */
  readonly http?: HttpFacts;
  /** Recorded client hellos replayed: who connects, with what, and who fails and why. */
  readonly clients?: ClientSimulationFacts;
  /** Connections made for this report. */
  readonly handshakes: number;
  readonly durationMs: number;
}

/** The `wiretight.scan/v1` report: the facts, the findings judged from them, and the grade. */
export interface ScanReport extends ReportFacts {
  /** With `--profile`: which Mozilla profile was checked, and whether nothing violated it. */
  readonly profile?: {
    readonly name: 'modern' | 'intermediate' | 'old';
    readonly guidelines: string;
    readonly compliant: boolean;
  };
  /** Worst first. */
  readonly findings: readonly Finding[];
  /**
   * With `--policy`: the file, the findings it suppressed (each with its reason and
   * expiry), and suppressions that have expired.
   */
  readonly policy?: {
    readonly file: string;
    readonly suppressed: readonly SuppressedFinding[];
    readonly warnings: readonly SuppressionWarning[];
  };
  readonly grade: Grade;
}
