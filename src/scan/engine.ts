import { WiretightError } from '../errors.ts';
import { cipherSuite, suitesForProtocol } from '../wire/registry/cipher-suites.ts';
import type { TlsProtocolName } from '../wire/registry/versions.ts';
import { ALPN_CANDIDATES, AlpnCheck } from './checks/alpn.ts';
import { Tls13FlightCheck, type Tls13FlightFacts } from './checks/tls13-flight.ts';
import { isKeyShareAvailable } from '../wire/tls13/key-exchange.ts';
import { CipherSuiteCheck, type CipherSuiteFacts } from './checks/cipher-suites.ts';
import { EcdheCurveCheck, type GroupFacts, Tls13GroupCheck } from './checks/groups.ts';
import { Sslv2Check } from './checks/sslv2.ts';
import { type ScanFacts, assembleReport } from './assemble.ts';
import { legacyHello, offeredSuites } from './hello-profiles.ts';
import type { JobRunner } from './runner.ts';
import type { ReportFacts, ScanReport } from './report.ts';
import { judge } from './judge.ts';
import type { Fetcher, TrustStore } from '../pki/index.ts';
import type { ProfileName } from './profiles/index.ts';
import type { ScanTarget } from './target.ts';
import {
  type SessionOptions,
  firstContactFailure,
  openScanSession,
  postgresBehindRefusal,
  sessionFailed,
} from './scan-session.ts';

export { DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT_MS } from './scan-session.ts';

export interface ScanOptions extends SessionOptions {
  /** A Mozilla server-side TLS profile to check compliance with (`--profile`). */
  readonly profile?: ProfileName;
  /**
   * Enumeration only: protocols, suites, groups, chain and ALPN from raw hellos, without
   * the audit (full handshakes, certificate verdicts, vulnerability probes, HTTP). The
   * grade is then withheld.
   */
  readonly quick?: boolean;
  /** Plain HTTP port checked for a redirect to HTTPS; null skips it (default 80). */
  readonly httpPort?: number | null;
  /** Trust anchors; default: Node's Mozilla bundle and the system store. */
  readonly trust?: TrustStore;
  /** Fetches AIA issuers, OCSP answers and CRLs (plain http); null fetches nothing. */
  readonly fetcher?: Fetcher | null;
  /** Ask OCSP responders and fetch CRLs (default true). */
  readonly checkRevocation?: boolean;
  /** `cert.expiring-soon` below this many days left (default 30). */
  readonly expiryWarningDays?: number;
  /** Replay the recorded client hellos in the audit (client simulation); default true. */
  readonly clients?: boolean;
}

const LEGACY_VERSIONS: readonly TlsProtocolName[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];

/**
 * Scans one endpoint: protocols, every accepted suite per version, groups, certificate
 * chain, ALPN and client-certificate request, from raw hellos only.
 *
 * Phase 0 is one hello, to learn whether there is a TLS server at all. Then every check
 * starts as soon as what it needs is known: the suite enumerations of all versions, SSLv2,
 * the TLS 1.3 groups, and the TLS 1.2 ECDHE curves and ALPN at once; the TLS 1.3 encrypted
 * flight (certificate chain, certificate request, ALPN of TLS 1.3-only servers) once the
 * TLS 1.3 suites and the server's first group wiretight can make a key share for are known.
 */
export async function scanEndpoint(
  target: ScanTarget,
  options: ScanOptions = {},
): Promise<ScanReport> {
  const facts = await observeEndpoint(target, options);
  const judging =
    options.expiryWarningDays === undefined ? {} : { expiryWarningDays: options.expiryWarningDays };
  if (options.profile === undefined) return judge(facts, judging);
  // Loaded only when asked for: the profile data and snippets are most of its weight.
  const { checkProfileOf } = await import('./profile-check.ts');
  return judge(facts, { ...judging, profile: checkProfileOf(options.profile, facts) });
}

/** Everything the scan observes of one endpoint, before any judgement. */
async function observeEndpoint(target: ScanTarget, options: ScanOptions): Promise<ReportFacts> {
  const opened = await openScanSession(target, options);
  if ('failed' in opened) return opened.failed;
  const { session } = opened;
  const { address, sniOption, sni, starttls, runner, dialer, timeoutMs, started, now } = session;
  const endpoint = runner.endpoint;

  // Phase 0: the TLS 1.2 enumeration's first hello doubles as the first contact.
  const tls12 = new CipherSuiteCheck('TLSv1.2', sni);
  const firstJob = tls12.next();
  if (firstJob === undefined) throw new TypeError('a new suite check always plans a first hello');
  const first = await runner.run(firstJob);
  const failure = firstContactFailure(first, target);
  if (failure !== undefined) return sessionFailed(session, failure, first);
  tls12.absorb(firstJob, first);

  const facts = await gatherFacts(runner, tls12, sni);
  let report = assembleReport({
    target,
    address,
    sni: sniOption,
    started,
    durationMs: now() - started,
    handshakes: session.connections(),
    ...facts,
  });
  if (starttls !== undefined) report = { ...report, starttls };
  if (report.tls) {
    if (options.quick === true) return { ...report, scope: 'quick' };
    // Loaded only for a full scan: --quick should not pay for node:tls, HTTP and the probes.
    const { auditEndpoint } = await import('./audit.ts');
    const audit = await auditEndpoint(endpoint, report, {
      host: sni ?? address,
      now: new Date(now()),
      trust: options.trust,
      fetcher: options.fetcher,
      checkRevocation: options.checkRevocation ?? true,
      driver: runner,
      suites: facts.suites,
      groups13: facts.groups13.accepted,
      limits: runner.limits,
      sni,
      timeoutMs,
      httpPort: options.httpPort,
      signal: options.signal,
      dialer,
      clients: options.clients,
    });
    return { ...report, ...audit, handshakes: session.connections(), durationMs: now() - started };
  }
  const refusal = suites12Refusal(facts.suites);
  const postgres = await postgresBehindRefusal(session, refusal);
  if (postgres !== undefined) return { ...report, ...postgres, handshakes: session.connections() };
  const error = new WiretightError(
    'WT_ERR_SCAN_HANDSHAKE_REFUSED',
    `${target.host}:${target.port} accepted connections but answered no TLS or SSL hello (${refusal})`,
  );
  return { ...report, error: error.toJSON() };
}

/** How the TLS 1.2 hello, the one most servers answer, was refused. */
function suites12Refusal(facts: ReadonlyMap<TlsProtocolName, CipherSuiteFacts>): string {
  return facts.get('TLSv1.2')?.refusal ?? facts.get('TLSv1.3')?.refusal ?? 'no answer';
}

type GatheredFacts = Pick<
  ScanFacts,
  'suites' | 'sslv2' | 'groups13' | 'groups12' | 'alpn' | 'tls13Flight'
>;

/**
 * Every check after first contact, each started as soon as what it needs is known (no
 * phase barriers), and all settled before returning so no connection outlives the scan.
 */
async function gatherFacts(
  runner: JobRunner,
  tls12: CipherSuiteCheck,
  sni: string | undefined,
): Promise<GatheredFacts> {
  const legacy = new Map<TlsProtocolName, Promise<CipherSuiteFacts>>([
    ['TLSv1.2', runner.drive(tls12)],
    ...(['TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).map(
      (v) => [v, runner.drive(new CipherSuiteCheck(v, sni))] as const,
    ),
  ]);
  const suites13P = runner.drive(new CipherSuiteCheck('TLSv1.3', sni));
  const groups13 = driveTls13Groups(runner, sni);
  const sslv2P = runner.drive(new Sslv2Check());
  // ECDHE curves and ALPN need a version and suites the server accepts. Most servers speak
  // TLS 1.2, so both start now on TLS 1.2 hellos that offer every registered suite, instead
  // of waiting for the TLS 1.2 enumeration; for a server without TLS 1.2 they run again on
  // its best older version once that is known.
  const curves12P = runner.drive(new EcdheCurveCheck('TLSv1.2', ecdheSuites('TLSv1.2'), sni));
  const alpn12P = runner.drive(
    new AlpnCheck(legacyHello('TLSv1.2', offeredSuites('TLSv1.2'), sni)),
  );
  const bestLegacyP = bestLegacyVersion(legacy);
  // ALPN is read in the clear from a TLS ≤ 1.2 ServerHello when the server speaks one;
  // a TLS 1.3-only server says it only inside its encrypted flight.
  const alpnInClearP = bestLegacyP.then((f) =>
    f !== undefined && f.version !== 'SSLv3' ? f : undefined,
  );
  const groups12P = bestLegacyP.then((f) =>
    f?.version === 'TLSv1.2' ? curves12P : ecdheCurves(runner, f, sni),
  );
  const alpnP = alpnInClearP.then((f) => {
    if (f === undefined) return { protocols: [] };
    if (f.version === 'TLSv1.2') return alpn12P;
    return runner.drive(
      new AlpnCheck(
        legacyHello(
          f.version,
          f.accepted.map((a) => a.id),
          sni,
        ),
      ),
    );
  });
  // Whether ALPN can be read in the clear is known at first contact when TLS 1.2 answered
  // it; otherwise once the older versions are enumerated.
  const inClearP = tls12.conclude().supported
    ? Promise.resolve(true)
    : alpnInClearP.then((f) => f !== undefined);
  const flight13P = Promise.all([suites13P, groups13.flightGroup, inClearP]).then(
    ([suites, group, inClear]) =>
      tls13Flight(runner, suites, group, sni, inClear ? undefined : ALPN_CANDIDATES),
  );
  const [suites13, groups13Facts, sslv2, groups12, alpn, flight13, , , ...legacyFacts] =
    await Promise.all([
      suites13P,
      groups13.facts,
      sslv2P,
      groups12P,
      alpnP,
      flight13P,
      curves12P,
      alpn12P,
      ...legacy.values(),
    ]);
  return {
    suites: new Map<TlsProtocolName, CipherSuiteFacts>(
      [suites13, ...legacyFacts].map((f) => [f.version, f]),
    ),
    sslv2,
    groups13: suites13.supported ? groups13Facts : { version: 'TLSv1.3', accepted: [] },
    groups12,
    alpn,
    ...(flight13 === undefined ? {} : { tls13Flight: flight13 }),
  };
}

/** The highest TLS ≤ 1.2 version the server supports, known as soon as its check ends. */
async function bestLegacyVersion(
  legacy: ReadonlyMap<TlsProtocolName, Promise<CipherSuiteFacts>>,
): Promise<CipherSuiteFacts | undefined> {
  for (const version of LEGACY_VERSIONS) {
    const facts = await legacy.get(version);
    if (facts?.supported === true) return facts;
  }
  return undefined;
}

/** Every registered ECDHE suite usable in `version`, strongest first. */
function ecdheSuites(version: TlsProtocolName): number[] {
  return offeredSuites(version).filter((id) => cipherSuite(id)?.kx === 'ECDHE');
}

function tls13Suites(): number[] {
  return suitesForProtocol('TLSv1.3').map((s) => s.id);
}

/**
 * Drives the TLS 1.3 group enumeration, and names the group the encrypted flight uses as
 * soon as it is known: the first accepted group wiretight can make a key share for.
 * Groups are accepted in the server's order, so the first such group seen is the one the
 * finished list gives, and the flight need not wait for the rest of the enumeration.
 */
function driveTls13Groups(
  runner: JobRunner,
  sni: string | undefined,
): { facts: Promise<GroupFacts>; flightGroup: Promise<number | undefined> } {
  const check = new Tls13GroupCheck(tls13Suites(), sni);
  let name: (group: number | undefined) => void = () => undefined;
  const flightGroup = new Promise<number | undefined>((resolve) => {
    name = resolve;
  });
  const facts = runner.drive(check, () => {
    const group = check.conclude().accepted.find(isKeyShareAvailable);
    if (group !== undefined) name(group);
  });
  facts.then(
    (f) => name(f.accepted.find(isKeyShareAvailable)),
    () => name(undefined),
  );
  return { facts, flightGroup };
}

/**
 * The TLS 1.3 encrypted flight on `group`; undefined when TLS 1.3 is off or no accepted
 * group is one wiretight can make a key share for.
 */
async function tls13Flight(
  runner: JobRunner,
  suites: CipherSuiteFacts,
  group: number | undefined,
  sni: string | undefined,
  alpn: readonly string[] | undefined,
): Promise<Tls13FlightFacts | undefined> {
  if (!suites.supported || group === undefined) return undefined;
  return runner.drive(
    new Tls13FlightCheck(
      suites.accepted.map((s) => s.id),
      group,
      sni,
      alpn,
    ),
  );
}

async function ecdheCurves(
  runner: JobRunner,
  facts: CipherSuiteFacts | undefined,
  sni: string | undefined,
): Promise<GroupFacts | undefined> {
  if (facts === undefined) return undefined;
  const ecdhe = facts.accepted.map((s) => s.id).filter((id) => cipherSuite(id)?.kx === 'ECDHE');
  if (ecdhe.length === 0) return undefined;
  return runner.drive(new EcdheCurveCheck(facts.version, ecdhe, sni));
}
