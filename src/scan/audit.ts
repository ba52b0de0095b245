import {
  type CertificateVerdicts,
  type Fetcher,
  type TrustStore,
  defaultTrustStore,
  verifyCertificates,
} from '../pki/index.ts';
import type { Dialer, Endpoint, ExchangeLimits } from '../probe/connection.ts';
import { isKeyShareAvailable } from '../wire/tls13/key-exchange.ts';
import { type EarlyDataFacts, probeEarlyData } from './checks/early-data.ts';
import type { ProtocolName } from '../wire/registry/versions.ts';
import { type HttpFacts, gatherHttpFacts } from './http-facts.ts';
import type { TlsProtocolName } from '../wire/registry/versions.ts';
import { activeCheckInput, quietPeriodFor } from './checks/active-input.ts';
import {
  type ActiveVulnerabilityFacts,
  type CheckDriver,
  gatherActiveVulnerabilities,
} from './checks/active-vulnerabilities.ts';
import type { CipherSuiteFacts } from './checks/cipher-suites.ts';
import type { ReportFacts } from './report.ts';
import type { ClientSimulationFacts } from './clients/result.ts';
import { type SessionFacts, gatherSessionFacts } from './session-facts.ts';

export interface AuditOptions {
  /** The name (SNI) or IP address the certificate must match. */
  readonly host: string;
  readonly now: Date;
  /** Default: Node's Mozilla bundle and the system store, shared by every scan in the process. */
  readonly trust?: TrustStore | undefined;
  /** Fetches AIA issuers, OCSP answers and CRLs; null fetches nothing. */
  readonly fetcher?: Fetcher | null | undefined;
  /** Ask OCSP responders and fetch CRLs (a stapled OCSP response is checked regardless). */
  readonly checkRevocation: boolean;
  /** Runs the raw-wire vulnerability checks (the scan's JobRunner). */
  readonly driver: CheckDriver;
  /** The suite enumerations, which the vulnerability checks start from. */
  readonly suites: ReadonlyMap<TlsProtocolName, CipherSuiteFacts>;
  /** TLS 1.3 groups the server accepts, in its order (for the 0-RTT probe's key share). */
  readonly groups13: readonly number[];
  /** Deadline and byte cap of each connection (the runner's). */
  readonly limits: ExchangeLimits;
  readonly sni: string | undefined;
  readonly timeoutMs: number;
  /** Plain HTTP port checked for a redirect to HTTPS; null skips it (default 80). */
  readonly httpPort?: number | null | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly dialer: Dialer;
  /** Replay the recorded client hellos (client simulation); default true. */
  readonly clients?: boolean | undefined;
}

/** What the audit adds to the enumeration: facts that need full handshakes or HTTP. */
export interface AuditFacts {
  readonly session?: SessionFacts;
  readonly http?: HttpFacts;
  readonly vulnerabilities?: ActiveVulnerabilityFacts;
  readonly earlyData?: EarlyDataFacts;
  readonly certificates?: CertificateVerdicts;
  readonly clients?: ClientSimulationFacts;
}

/**
 * The checks that build on the enumeration (which versions, which suites), side by side:
 * certificate verdicts (trust, chain, name, validity, strength, revocation);
 * the raw-wire vulnerability probes (Heartbleed, CCS injection, ROBOT, compression,
 * FALLBACK_SCSV, secure renegotiation); TLS 1.3 resumption with 0-RTT early data; full handshakes for resumption, stapling,
 * renegotiation and the negotiated group; HTTP over TLS and the plain HTTP redirect. Each
 * bounds its own connections and deadlines.
 */
export async function auditEndpoint(
  endpoint: Endpoint,
  enumeration: ReportFacts,
  options: AuditOptions,
): Promise<AuditFacts> {
  const versions = (Object.entries(enumeration.protocols) as [ProtocolName, boolean][])
    .filter(([, on]) => on)
    .map(([name]) => name);
  const common = {
    sni: options.sni,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    dialer: options.dialer,
  };
  const sessionP = gatherSessionFacts(endpoint, { ...common, versions });
  // The certificate verdicts check the response the server stapled, so they follow the
  // default handshake; the rest of the audit runs alongside.
  const certificatesP = sessionP.then((session) =>
    verifyCertificates(enumeration.certificateChain, {
      host: options.host,
      now: options.now,
      trust: options.trust ?? defaultTrustStore(),
      ...(options.fetcher === undefined ? {} : { fetcher: options.fetcher }),
      checkRevocation: options.checkRevocation,
      ...(session.ocspResponse === undefined ? {} : { stapledOcsp: session.ocspResponse }),
      fetchTimeoutMs: options.timeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }),
  );
  const [vulnerabilities, earlyData, session, certificates, http, clients] = await Promise.all([
    gatherActiveVulnerabilities(
      options.driver,
      activeCheckInput(options.suites, options.sni),
      quietPeriodFor(options.timeoutMs),
    ),
    earlyDataFacts(endpoint, options),
    sessionP,
    certificatesP,
    looksLikeHttps(endpoint, enumeration)
      ? gatherHttpFacts(endpoint, {
          ...common,
          ...(options.httpPort === undefined ? {} : { httpPort: options.httpPort }),
        })
      : undefined,
    options.clients === false ? undefined : simulate(options),
  ]);
  return {
    vulnerabilities,
    session: session.facts,
    certificates,
    ...(earlyData === undefined ? {} : { earlyData }),
    ...(http === undefined ? {} : { http }),
    ...(clients === undefined ? {} : { clients }),
  };
}

/** Client simulation, loaded with its profile data only when a scan runs it. */
async function simulate(options: AuditOptions): Promise<ClientSimulationFacts> {
  const { simulateClients } = await import('./clients/index.ts');
  return simulateClients(options.driver, options.sni);
}

/** 0-RTT over a resumed TLS 1.3 session; undefined without TLS 1.3 or a usable group. */
async function earlyDataFacts(
  endpoint: Endpoint,
  options: AuditOptions,
): Promise<EarlyDataFacts | undefined> {
  const suites = options.suites.get('TLSv1.3');
  const group = options.groups13.find(isKeyShareAvailable);
  if (suites === undefined || !suites.supported || group === undefined) return undefined;
  return probeEarlyData(endpoint, {
    sni: options.sni,
    suites: suites.accepted.map((s) => s.id),
    group,
    limits: options.limits,
  });
}

/** Ports where HTTPS is the convention even when the server negotiates no ALPN. */
const HTTPS_PORTS: ReadonlySet<number> = new Set([443, 4443, 8443, 9443]);

/**
 * Whether to ask the port for HTTP: it chose h2 or http/1.1 by ALPN, or it is a
 * conventional HTTPS port. Other services never answer an HTTP request, and waiting for
 * one would hold a connection (a whole server, for single-connection ones) until the deadline.
 */
function looksLikeHttps(endpoint: Endpoint, enumeration: ReportFacts): boolean {
  return (
    HTTPS_PORTS.has(endpoint.port) ||
    enumeration.alpn.some((p) => p === 'h2' || p.startsWith('http/'))
  );
}
