import { WiretightError } from '../errors.ts';
import { type Dialer, defaultDialer } from '../probe/connection.ts';
import type { HelloOutcome } from '../probe/hello-exchange.ts';
import { type PostgresSslOutcome, postgresSslRequest } from '../probe/postgres-ssl-request.ts';
import {
  type StarttlsProtocol,
  StarttlsRefusedError,
  starttlsDialer,
  starttlsForPort,
} from '../probe/starttls/index.ts';
import { toHex } from '../core/bytes.ts';
import { failedReport } from './assemble.ts';
import type { ReportFacts } from './report.ts';
import { JobRunner } from './runner.ts';
import { type Resolver, type ScanTarget, defaultResolver, defaultSni } from './target.ts';

/** What every kind of scan of one endpoint needs before its first hello. */
export interface SessionOptions {
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
  /**
   * The cleartext dialogue before TLS on every connection (`--starttls`); null for none;
   * undefined chooses from the well-known port (25 smtp, 143 imap, 5432 postgres…).
   */
  readonly starttls?: StarttlsProtocol | null;
}

export const DEFAULT_TIMEOUT_MS = 5000;
/** Enough to overlap round trips without looking like a flood to the server. */
export const DEFAULT_MAX_CONNECTIONS = 8;

/** One endpoint, resolved, with the runner every connection of its scan goes through. */
export interface ScanSession {
  readonly target: ScanTarget;
  readonly address: string;
  /** The server name as reported: null when none is sent. */
  readonly sniOption: string | null;
  /** The server name as sent in hellos. */
  readonly sni: string | undefined;
  readonly starttls: StarttlsProtocol | undefined;
  readonly runner: JobRunner;
  /** Counts its connections, so a report's `handshakes` covers the whole scan. */
  readonly dialer: Dialer;
  readonly timeoutMs: number;
  readonly started: number;
  readonly now: () => number;
  /** Connections made so far through `dialer`. */
  connections(): number;
}

/**
 * Resolves the target and prepares its runner. A name that does not resolve is the only
 * failure here: it comes back as the report of a failed scan.
 */
export async function openScanSession(
  target: ScanTarget,
  options: SessionOptions,
): Promise<{ session: ScanSession } | { failed: ReportFacts }> {
  const now = options.now ?? Date.now;
  const started = now();
  const sniOption = options.sni === undefined ? defaultSni(target.host) : options.sni;
  let address: string;
  try {
    address = await (options.resolver ?? defaultResolver)(target.host);
  } catch (err) {
    if (!(err instanceof WiretightError)) throw err;
    return { failed: failedReport(target, '', sniOption, started, now, 0, err) };
  }
  let connections = 0;
  const starttls =
    options.starttls === undefined ? starttlsForPort(target.port) : (options.starttls ?? undefined);
  const baseDialer =
    starttls === undefined
      ? (options.dialer ?? defaultDialer)
      : starttlsDialer(starttls, options.dialer ?? defaultDialer);
  const dialer: Dialer = (endpoint, signal) => {
    connections++;
    return baseDialer(endpoint, signal);
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const runner = new JobRunner(
    { host: target.host, address, port: target.port },
    {
      timeoutMs,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      signal: options.signal,
      dialer,
    },
  );
  return {
    session: {
      target,
      address,
      sniOption,
      sni: sniOption ?? undefined,
      starttls,
      runner,
      dialer,
      timeoutMs,
      started,
      now,
      connections: () => connections,
    },
  };
}

/**
 * Why a first contact means there is nothing more to scan, if it does. A refusal (alert,
 * close, reset) does not: the server may still speak another version.
 */
export function firstContactFailure(
  outcome: HelloOutcome,
  target: ScanTarget,
): WiretightError | undefined {
  const where = `${target.host}:${target.port}`;
  switch (outcome.kind) {
    case 'connect-failed':
      if (outcome.error instanceof StarttlsRefusedError) {
        return new WiretightError(
          'WT_ERR_SCAN_NOT_TLS',
          `${where} will not start TLS: ${outcome.error.plaintext.description}`,
          { cause: outcome.error },
        );
      }
      return new WiretightError('WT_ERR_SCAN_UNREACHABLE', outcome.error.message, {
        cause: outcome.error,
      });
    case 'not-tls':
      return new WiretightError(
        'WT_ERR_SCAN_NOT_TLS',
        `${where} answered a TLS ClientHello in a protocol other than TLS`,
      );
    case 'timeout':
      return new WiretightError(
        'WT_ERR_PROBE_TIMEOUT',
        `${where} accepted the connection but sent no complete answer to a TLS ClientHello in time`,
      );
    case 'malformed':
      return new WiretightError(
        outcome.error.code,
        `${where} answered with a malformed TLS message: ${outcome.error.message}`,
        { cause: outcome.error },
      );
    default:
      return undefined;
  }
}

/** The report of a session that ends without TLS: `error`, and what `outcome` showed. */
export function sessionFailed(
  session: ScanSession,
  error: WiretightError,
  outcome?: HelloOutcome,
): ReportFacts {
  const { target, address, sniOption, started, now, starttls } = session;
  const failed = failedReport(
    target,
    address,
    sniOption,
    started,
    now,
    session.connections(),
    error,
    outcome,
  );
  return starttls === undefined ? failed : { ...failed, starttls };
}

/**
 * Some services close on bytes they cannot parse without a word; PostgreSQL does so for a
 * ClientHello, and says whether it has SSL only to its own SSLRequest. After a hello was
 * `refusal` ('closed', 'reset', …), asks; undefined when it is not PostgreSQL.
 */
export async function postgresBehindRefusal(
  session: ScanSession,
  refusal: string,
): Promise<Pick<ReportFacts, 'error' | 'plaintext'> | undefined> {
  if (session.starttls !== undefined || (refusal !== 'closed' && refusal !== 'reset')) {
    return undefined;
  }
  const { runner } = session;
  const answer = await postgresSslRequest(runner.endpoint, runner.limits);
  return answer.kind === 'postgres' ? postgresAnswer(session.target, answer) : undefined;
}

/** A PostgreSQL server found behind a port that refused TLS hellos. */
function postgresAnswer(
  target: ScanTarget,
  answer: Extract<PostgresSslOutcome, { kind: 'postgres' }>,
): Pick<ReportFacts, 'error' | 'plaintext'> {
  const where = `${target.host}:${target.port}`;
  const letter = answer.ssl ? 'S' : 'N';
  const error = new WiretightError(
    'WT_ERR_SCAN_NOT_TLS',
    answer.ssl
      ? `${where} is a PostgreSQL server: it starts TLS only after a PostgreSQL SSLRequest, not on connect`
      : `${where} is a PostgreSQL server with SSL off`,
  );
  return {
    error: error.toJSON(),
    ...(answer.ssl
      ? {}
      : {
          plaintext: {
            protocol: 'postgresql',
            description: `PostgreSQL with SSL off (answered '${letter}' to an SSLRequest)`,
            firstBytesHex: toHex(new Uint8Array([letter.charCodeAt(0)])),
            firstBytesText: letter,
          },
        }),
  };
}
