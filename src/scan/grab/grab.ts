import { WiretightError } from '../../errors.ts';
import { type Fetcher, type TrustStore, defaultTrustStore } from '../../pki/index.ts';
import { verifyCertificates } from '../../pki/verify-certificates.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import type { Tls13FlightOutcome } from '../../probe/tls13-flight-exchange.ts';
import { parseCertificateList } from '../../wire/certificate.ts';
import { HANDSHAKE_TYPE } from '../../wire/handshake.ts';
import { cipherSuite, suitesForProtocol } from '../../wire/registry/cipher-suites.ts';
import { groupName } from '../../wire/registry/groups.ts';
import { type ProtocolName, protocolName } from '../../wire/registry/versions.ts';
import { type KeyExchangeParams, parseServerKeyExchange } from '../../wire/server-key-exchange.ts';
import { KEY_SHARE_GROUPS, isKeyShareAvailable } from '../../wire/tls13/key-exchange.ts';
import { VERSION } from '../../version.ts';
import { chainFacts, suiteReport } from '../assemble.ts';
import { type Finding, finding, sortFindings } from '../findings/index.ts';
import { legacyHello, offeredSuites, tls13Hello } from '../hello-profiles.ts';
import type { ReportFacts } from '../report.ts';
import { certificateFindings } from '../rules/certificates.ts';
import {
  type ScanSession,
  type SessionOptions,
  firstContactFailure,
  openScanSession,
  postgresBehindRefusal,
  sessionFailed,
} from '../scan-session.ts';
import type { ScanTarget } from '../target.ts';
import { GRAB_SCHEMA, type GrabReport, type NegotiatedReport } from './report.ts';

export interface GrabOptions extends SessionOptions {
  /** Trust anchors; default: Node's Mozilla bundle and the system store. */
  readonly trust?: TrustStore;
  /** Fetches AIA issuers for an incomplete chain; default none: a grab contacts only the target. */
  readonly fetcher?: Fetcher | null;
  /** `cert.expiring-soon` below this many days left (default 30). */
  readonly expiryWarningDays?: number;
}

/** What one handshake settled: the version, suite, key exchange and chain. */
interface Handshake {
  readonly version: ProtocolName;
  readonly suite: number;
  readonly group?: string;
  readonly keyExchange?: KeyExchangeParams;
  readonly chain: readonly Uint8Array[];
  readonly certificateRequested: boolean;
}

const DAY_MS = 86_400_000;

/** A current client's groups, in its order; the key share goes with the first. */
function clientGroups(): number[] {
  const g = KEY_SHARE_GROUPS;
  return [g.x25519, g.secp256r1, g.secp384r1, g.secp521r1, g.X25519MLKEM768].filter(
    isKeyShareAvailable,
  );
}

/**
 * `--grab`: what a current client gets from the endpoint, in one or two handshakes: a
 * TLS 1.3 hello read through its encrypted flight (a second one when the server asks for
 * another key share), else one TLS 1.2 hello (the server may answer with an older version)
 * read to ServerHelloDone. Then the chain's verdicts, offline. Made for inventories of
 * thousands of endpoints: a full scan makes a hundred or more connections per endpoint.
 */
export async function grabEndpoint(
  target: ScanTarget,
  options: GrabOptions = {},
): Promise<GrabReport> {
  const opened = await openScanSession(target, options);
  if ('failed' in opened) return grabReportFromFacts(opened.failed);
  const { session } = opened;
  const result = await handshake(session);
  if (!('version' in result)) return grabReportFromFacts(await failure(session, result));

  const now = new Date(session.now());
  const chain = chainFacts(result.chain);
  const certificates = await verifyCertificates(chain, {
    host: session.sni ?? session.address,
    now,
    trust: options.trust ?? defaultTrustStore(),
    fetcher: options.fetcher ?? null,
    checkRevocation: false,
    fetchTimeoutMs: session.timeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const leaf = chain[0];
  const notAfter = leaf !== undefined && 'notAfter' in leaf ? Date.parse(leaf.notAfter) : NaN;
  const findings = [
    ...certificateFindings(
      certificates,
      options.expiryWarningDays === undefined
        ? {}
        : { expiryWarningDays: options.expiryWarningDays },
    ),
    ...versionFindings(result.version),
  ];
  return {
    ...header(session),
    tls: true,
    negotiated: negotiated(result),
    certificateChain: chain,
    certificates,
    ...(Number.isNaN(notAfter)
      ? {}
      : { expiresInDays: Math.floor((notAfter - now.getTime()) / DAY_MS) }),
    clientCertificateRequested: result.certificateRequested,
    findings: sortFindings(findings),
    handshakes: session.connections(),
    durationMs: session.now() - session.started,
  };
}

function header(
  session: ScanSession,
): Pick<GrabReport, 'schema' | 'tool' | 'target' | 'startedAt' | 'starttls'> {
  return {
    schema: GRAB_SCHEMA,
    tool: { name: 'wiretight', version: VERSION },
    target: {
      host: session.target.host,
      port: session.target.port,
      ip: session.address,
      sni: session.sniOption,
    },
    startedAt: new Date(session.started).toISOString(),
    ...(session.starttls === undefined ? {} : { starttls: session.starttls }),
  };
}

/** A failed scan's facts as a grab report: the target, the error and any plaintext answer. */
export function grabReportFromFacts(facts: ReportFacts): GrabReport {
  return {
    schema: GRAB_SCHEMA,
    tool: facts.tool,
    target: facts.target,
    startedAt: facts.startedAt,
    tls: false,
    ...(facts.starttls === undefined ? {} : { starttls: facts.starttls }),
    ...(facts.error === undefined ? {} : { error: facts.error }),
    ...(facts.plaintext === undefined ? {} : { plaintext: facts.plaintext }),
    certificateChain: [],
    clientCertificateRequested: false,
    findings: [],
    handshakes: facts.handshakes,
    durationMs: facts.durationMs,
  };
}

/** The TLS 1.3 attempt, then the TLS 1.2 one; the last outcome when neither completed. */
async function handshake(session: ScanSession): Promise<Handshake | HelloOutcome> {
  const groups = clientGroups();
  const first = groups[0];
  if (first !== undefined) {
    const suites13 = suitesForProtocol('TLSv1.3').map((s) => s.id);
    const hello = tls13Hello(suites13, groups, session.sni);
    let outcome = await session.runner.run({ kind: 'tls13-flight', hello, group: first });
    const asked = outcome.kind === 'no-flight' ? outcome.facts : undefined;
    if (
      asked?.isHelloRetryRequest === true &&
      asked.keyShareGroup !== undefined &&
      asked.keyShareGroup !== first &&
      groups.includes(asked.keyShareGroup)
    ) {
      outcome = await session.runner.run({
        kind: 'tls13-flight',
        hello,
        group: asked.keyShareGroup,
      });
    }
    const done = fromFlight(outcome);
    if (done !== undefined) return done;
    // Nothing else would answer a TLS 1.2 hello either.
    if (outcome.kind === 'connect-failed' || outcome.kind === 'not-tls') return outcome;
  }
  const outcome = await session.runner.run({
    kind: 'tls-hello',
    hello: legacyHello('TLSv1.2', offeredSuites('TLSv1.2'), session.sni),
    until: 'flight',
  });
  return fromLegacyFlight(outcome) ?? outcome;
}

function fromFlight(outcome: Tls13FlightOutcome): Handshake | undefined {
  if (outcome.kind !== 'flight') return undefined;
  const { facts, flight } = outcome;
  return {
    version: 'TLSv1.3',
    suite: facts.cipherSuite,
    ...(facts.keyShareGroup === undefined ? {} : { group: groupName(facts.keyShareGroup) }),
    chain: flight.certificate?.entries.map((e) => e.der) ?? [],
    certificateRequested: flight.certificateRequest !== undefined,
  };
}

function fromLegacyFlight(outcome: HelloOutcome): Handshake | undefined {
  if (outcome.kind !== 'hello' || outcome.facts.isHelloRetryRequest) return undefined;
  const version = protocolName(outcome.facts.version);
  if (version === undefined || version === 'TLSv1.3') return undefined;
  const suite = outcome.facts.cipherSuite;
  let chain: readonly Uint8Array[] = [];
  let keyExchange: KeyExchangeParams | undefined;
  let certificateRequested = false;
  for (const msg of outcome.messages) {
    // A message that does not parse leaves its fact out; the handshake itself stands.
    try {
      if (msg.type === HANDSHAKE_TYPE.certificate) chain = parseCertificateList(msg.body);
      else if (msg.type === HANDSHAKE_TYPE.server_key_exchange) {
        keyExchange = parseServerKeyExchange(
          msg.body,
          cipherSuite(suite)?.kx ?? '',
          version === 'TLSv1.2',
        );
      } else if (msg.type === HANDSHAKE_TYPE.certificate_request) certificateRequested = true;
    } catch (err) {
      if (!(err instanceof WiretightError)) throw err;
    }
  }
  return {
    version,
    suite,
    ...(keyExchange?.kind === 'ecdhe' ? { group: groupName(keyExchange.group) } : {}),
    ...(keyExchange === undefined ? {} : { keyExchange }),
    chain,
    certificateRequested,
  };
}

function negotiated(h: Handshake): NegotiatedReport {
  return {
    version: h.version,
    suite: suiteReport(
      h.keyExchange === undefined ? { id: h.suite } : { id: h.suite, keyExchange: h.keyExchange },
    ),
    ...(h.group === undefined ? {} : { group: h.group }),
  };
}

/** Why no handshake completed, as the full scan would report it. */
async function failure(session: ScanSession, outcome: HelloOutcome): Promise<ReportFacts> {
  const { target } = session;
  const failed = firstContactFailure(outcome, target);
  if (failed !== undefined) return sessionFailed(session, failed, outcome);
  const why = outcome.kind === 'alert' ? `alert ${outcome.alert.description}` : outcome.kind;
  const refused = new WiretightError(
    'WT_ERR_SCAN_HANDSHAKE_REFUSED',
    `${target.host}:${target.port} completed no TLS hello a current client sends (${why})`,
  );
  const postgres = await postgresBehindRefusal(session, outcome.kind);
  return { ...sessionFailed(session, refused, outcome), ...postgres };
}

/** The negotiated version is the best the server has: an obsolete one is a finding. */
function versionFindings(version: ProtocolName): Finding[] {
  const ids = {
    SSLv3: 'protocol.sslv3',
    'TLSv1.0': 'protocol.tls10',
    'TLSv1.1': 'protocol.tls11',
  } as const;
  const out: Finding[] = [];
  if (version in ids) {
    out.push(
      finding(ids[version as keyof typeof ids], {
        evidence: `A client offering TLS 1.3 and 1.2 got ${version}: the best the server has.`,
        details: { protocol: version },
      }),
    );
  }
  if (version !== 'TLSv1.3') {
    out.push(
      finding('protocol.no-tls13', {
        evidence: `A TLS 1.3 hello was refused; the server negotiated ${version}.`,
        details: { bestProtocol: version },
      }),
    );
  }
  return out;
}
