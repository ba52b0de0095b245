import { Semaphore } from '../core/semaphore.ts';
import { WiretightError } from '../errors.ts';
import { DEFAULT_MAX_BYTES, type Dialer, type Endpoint } from '../probe/connection.ts';
import { type HelloOutcome, helloExchange } from '../probe/hello-exchange.ts';
import { sslv2Exchange } from '../probe/sslv2-exchange.ts';
import { buildClientHello, clientHelloRecords } from '../wire/client-hello.ts';
import { cipherSuite, suitesForProtocol } from '../wire/registry/cipher-suites.ts';
import type { TlsProtocolName } from '../wire/registry/versions.ts';
import { buildSslv2ClientHello } from '../wire/sslv2.ts';
import { AlpnCheck, type AlpnFacts } from './checks/alpn.ts';
import { CipherSuiteCheck, type CipherSuiteFacts } from './checks/cipher-suites.ts';
import { EcdheCurveCheck, type GroupFacts, Tls13GroupCheck } from './checks/groups.ts';
import { Sslv2Check } from './checks/sslv2.ts';
import { assembleReport, failedReport } from './assemble.ts';
import { legacyHello } from './hello-profiles.ts';
import type { Check, Job, JobOutcome } from './job.ts';
import type { ScanReport } from './report.ts';
import { type Resolver, type ScanTarget, defaultResolver, defaultSni } from './target.ts';

export interface ScanOptions {
  /** Server name to send; `null` sends none; undefined derives it from the host. */
  readonly sni?: string | null;
  /** Deadline for each connection, from connect to the last byte read. */
  readonly timeoutMs?: number;
  /** Connections open at once against this endpoint. */
  readonly maxConnections?: number;
  readonly signal?: AbortSignal;
  readonly dialer?: Dialer;
  readonly resolver?: Resolver;
  readonly now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
/** Enough to overlap round trips without looking like a flood to the server. */
export const DEFAULT_MAX_CONNECTIONS = 8;

const LEGACY_VERSIONS: readonly TlsProtocolName[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];

/** Runs jobs for checks against one endpoint, at most `maxConnections` at a time. */
class JobRunner {
  handshakes = 0;
  readonly #endpoint: Endpoint;
  readonly #semaphore: Semaphore;
  readonly #limits;

  constructor(endpoint: Endpoint, options: ScanOptions) {
    this.#endpoint = endpoint;
    this.#semaphore = new Semaphore(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
    this.#limits = {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: DEFAULT_MAX_BYTES,
      signal: options.signal,
      dialer: options.dialer,
    };
  }

  run<J extends Job>(job: J): Promise<JobOutcome<J>> {
    return this.#semaphore.run(async () => {
      this.handshakes++;
      if (job.kind === 'sslv2-hello') {
        return (await sslv2Exchange(
          this.#endpoint,
          buildSslv2ClientHello(job.cipherSpecs),
          this.#limits,
        )) as JobOutcome<J>;
      }
      const bytes = clientHelloRecords(buildClientHello(job.hello));
      return (await helloExchange(this.#endpoint, bytes, {
        ...this.#limits,
        until: job.until,
      })) as JobOutcome<J>;
    });
  }

  /** Drives a check until it plans no more jobs, then returns its facts. */
  async drive<J extends Job, F>(check: Check<J, F>): Promise<F> {
    for (let job = check.next(); job !== undefined; job = check.next()) {
      check.absorb(job, await this.run(job));
    }
    return check.conclude();
  }
}

/** Why a first contact means there is nothing more to scan, if it does. */
function firstContactFailure(
  outcome: HelloOutcome,
): 'unreachable' | 'not-tls' | 'silent' | undefined {
  if (outcome.kind === 'connect-failed') return 'unreachable';
  if (outcome.kind === 'not-tls') return 'not-tls';
  if (outcome.kind === 'timeout') return 'silent';
  return undefined;
}

/**
 * Scans one endpoint: protocols, every accepted suite per version, groups, certificate
 * chain, ALPN and client-certificate request, from raw hellos only.
 *
 * Phase 0 is one hello, to learn whether there is a TLS server at all. Phase A runs
 * the suite enumerations of all versions, SSLv2 and the TLS 1.3 groups side by side.
 * Phase B runs what depends on phase A: ECDHE curves and ALPN.
 */
export async function scanEndpoint(
  target: ScanTarget,
  options: ScanOptions = {},
): Promise<ScanReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const sniOption = options.sni === undefined ? defaultSni(target.host) : options.sni;
  const sni = sniOption ?? undefined;
  let address: string;
  try {
    address = await (options.resolver ?? defaultResolver)(target.host);
  } catch (err) {
    if (!(err instanceof WiretightError)) throw err;
    return failedReport(target, '', sniOption, started, now, 0, err);
  }
  const runner = new JobRunner({ host: target.host, address, port: target.port }, options);

  // Phase 0: the TLS 1.2 enumeration's first hello doubles as the first contact.
  const tls12 = new CipherSuiteCheck('TLSv1.2', sni);
  const firstJob = tls12.next();
  if (firstJob === undefined) throw new TypeError('a new suite check always plans a first hello');
  const first = await runner.run(firstJob);
  const failure = firstContactFailure(first);
  if (failure !== undefined) {
    return failedReport(
      target,
      address,
      sniOption,
      started,
      now,
      runner.handshakes,
      contactError(failure, first, target),
      first,
    );
  }
  tls12.absorb(firstJob, first);

  // Phase A.
  const legacyChecks = new Map<TlsProtocolName, CipherSuiteCheck>([
    ['TLSv1.2', tls12],
    ...(['TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).map(
      (v) => [v, new CipherSuiteCheck(v, sni)] as const,
    ),
  ]);
  const tls13 = new CipherSuiteCheck('TLSv1.3', sni);
  const [suites13, sslv2, groups13, ...legacyFacts] = await Promise.all([
    runner.drive(tls13),
    runner.drive(new Sslv2Check()),
    runner.drive(new Tls13GroupCheck(tls13Suites(), sni)),
    ...[...legacyChecks.values()].map((c) => runner.drive(c)),
  ]);
  const suiteFacts = new Map<TlsProtocolName, CipherSuiteFacts>(
    [suites13, ...legacyFacts].map((f) => [f.version, f]),
  );

  // Phase B.
  const bestLegacy = LEGACY_VERSIONS.map((v) => suiteFacts.get(v)).find(
    (f) => f?.supported === true,
  );
  const [groups12, alpn] = await Promise.all([
    ecdheCurves(runner, bestLegacy, sni),
    bestLegacy === undefined || bestLegacy.version === 'SSLv3'
      ? Promise.resolve<AlpnFacts>({ protocols: [] })
      : runner.drive(
          new AlpnCheck(
            legacyHello(
              bestLegacy.version,
              bestLegacy.accepted.map((s) => s.id),
              sni,
            ),
          ),
        ),
  ]);

  return assembleReport({
    target,
    address,
    sni: sniOption,
    started,
    durationMs: now() - started,
    handshakes: runner.handshakes,
    suites: suiteFacts,
    sslv2,
    groups13: suites13.supported ? groups13 : { version: 'TLSv1.3', accepted: [] },
    groups12,
    alpn,
  });
}

function tls13Suites(): number[] {
  return suitesForProtocol('TLSv1.3').map((s) => s.id);
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

function contactError(
  failure: 'unreachable' | 'not-tls' | 'silent',
  outcome: HelloOutcome,
  target: ScanTarget,
): WiretightError {
  const where = `${target.host}:${target.port}`;
  if (failure === 'unreachable' && outcome.kind === 'connect-failed') {
    return new WiretightError('WT_ERR_SCAN_UNREACHABLE', outcome.error.message, {
      cause: outcome.error,
    });
  }
  if (failure === 'not-tls') {
    return new WiretightError(
      'WT_ERR_SCAN_NOT_TLS',
      `${where} answered a TLS ClientHello in a protocol other than TLS`,
    );
  }
  return new WiretightError(
    'WT_ERR_PROBE_TIMEOUT',
    `${where} accepted the connection but did not answer a TLS ClientHello`,
  );
}
