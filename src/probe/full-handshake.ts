// Full handshakes through node:tls, for the facts the raw hellos cannot reach: session
// resumption, OCSP stapling, the key exchange a current client ends up with, and
// client-initiated renegotiation. Trust is judged from the chain elsewhere, so no
// certificate is verified here. Every connection has one deadline from connect to close,
// and every failure is an outcome, never an exception.
import { constants } from 'node:crypto';
import type { Socket } from 'node:net';
import {
  DEFAULT_CIPHERS,
  type ConnectionOptions,
  type SecureVersion,
  type TLSSocket,
  connect as tlsConnect,
} from 'node:tls';
import type { WiretightError } from '../errors.ts';
import { alertName } from '../wire/registry/alerts.ts';
import { type Endpoint, type ExchangeLimits, dialOutcome, startDeadline } from './connection.ts';

/** The versions node:tls can speak: Node 24's OpenSSL 3.5 has no SSLv3. */
export const NODE_TLS_VERSIONS = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type NodeTlsVersion = (typeof NODE_TLS_VERSIONS)[number];

const SECURE_VERSION: Record<NodeTlsVersion, SecureVersion> = {
  'TLSv1.0': 'TLSv1',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

const VERSION_OF: Readonly<Record<string, NodeTlsVersion>> = {
  TLSv1: 'TLSv1.0',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

export interface FullHandshakeOptions {
  /** The SNI name; undefined sends none. */
  readonly servername: string | undefined;
  /** One version only; undefined lets client and server agree on TLS 1.0 to 1.3. */
  readonly version?: NodeTlsVersion | undefined;
  /** ALPN protocols to offer, in preference order. */
  readonly alpn?: readonly string[] | undefined;
  /** Ask for a stapled OCSP response (status_request). */
  readonly requestOcsp?: boolean | undefined;
  /** A session from an earlier handshake, offered for resumption. */
  readonly session?: Uint8Array | undefined;
  /** Leave out the session ticket extension, so only a session ID can resume. */
  readonly noTicket?: boolean | undefined;
}

/** What node:tls says about an established connection. */
export interface HandshakeFacts {
  readonly version: NodeTlsVersion | undefined;
  /** IANA name of the suite (`TLS_AES_128_GCM_SHA256`). */
  readonly suite: string;
  /** OpenSSL name of the suite. */
  readonly opensslSuite: string;
  /**
   * The ephemeral key exchange as `getEphemeralKeyInfo()` reports it: type `ECDH`, `DH` or
   * `TLSGroup` (hybrids), the OpenSSL group name and its size in bits where known. Absent
   * for static RSA key exchange.
   */
  readonly ephemeral?: { readonly type: string; readonly name?: string; readonly size?: number };
  /** The ALPN protocol the server chose. */
  readonly alpn?: string;
  readonly sessionReused: boolean;
}

/** How a connection failed before or during its first handshake. */
export type TlsFailure =
  | { readonly kind: 'connect-failed'; readonly error: WiretightError }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'reset' }
  /** The TLS layer failed: an alert from the server, or bytes OpenSSL would not accept. */
  | { readonly kind: 'tls-error'; readonly reason: string; readonly alert?: string };

/** An established connection handed to the code that uses it. */
export interface TlsConnection {
  readonly socket: TLSSocket;
  readonly facts: HandshakeFacts;
  /** The stapled OCSP response (DER), null when none was stapled or none was asked for. */
  readonly ocspResponse: Uint8Array | null;
  /**
   * The first resumable session the server gave, waiting up to `waitMs` (or until `signal`)
   * for it: TLS 1.3 tickets, and TLS 1.2 sessions, come after the handshake completes.
   * Undefined when none came.
   */
  session(waitMs: number, signal: AbortSignal): Promise<Uint8Array | undefined>;
  /** From the start of the TLS handshake to its end: about one round trip plus crypto. */
  readonly handshakeMs: number;
}

function connectOptions(socket: Socket, o: FullHandshakeOptions): ConnectionOptions {
  const pinned = o.version === undefined ? undefined : SECURE_VERSION[o.version];
  return {
    socket,
    rejectUnauthorized: false,
    ...(o.servername === undefined ? {} : { servername: o.servername }),
    minVersion: pinned ?? 'TLSv1',
    maxVersion: pinned ?? 'TLSv1.3',
    // Unpinned, the offer is node's own (what a current client negotiates), only with the
    // security level lowered so small keys still connect. Pinned to a version, a probe of
    // resumption or renegotiation must not fail on the suite, so it offers every suite.
    ciphers: pinned === undefined ? `${DEFAULT_CIPHERS}:@SECLEVEL=0` : 'ALL:@SECLEVEL=0',
    ...(o.alpn === undefined ? {} : { ALPNProtocols: [...o.alpn] }),
    ...(o.requestOcsp === true ? { requestOCSP: true } : {}),
    ...(o.session === undefined ? {} : { session: Buffer.from(o.session) }),
    ...(o.noTicket === true ? { secureOptions: constants.SSL_OP_NO_TICKET } : {}),
  };
}

/** One line for a TLS-layer error: the alert the server sent, or OpenSSL's reason. */
export function tlsFailure(err: NodeJS.ErrnoException): TlsFailure {
  const code = err.code ?? '';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    const alertNumber = /SSL alert number (\d+)/.exec(err.message)?.[1];
    // A warning no_renegotiation alert is turned into this error by OpenSSL itself.
    const alert =
      alertNumber !== undefined
        ? alertName(Number(alertNumber))
        : code === 'ERR_SSL_NO_RENEGOTIATION'
          ? 'no_renegotiation'
          : undefined;
    const reason = /:SSL routines:[^:]*:([^:]+):/.exec(err.message)?.[1] ?? code;
    return alert === undefined
      ? { kind: 'tls-error', reason }
      : { kind: 'tls-error', reason: `${alert} alert (${reason})`, alert };
  }
  // node reports a FIN during the handshake as ECONNRESET with this message.
  if (/disconnected before secure TLS connection/.test(err.message)) return { kind: 'closed' };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'reset' };
  return { kind: 'closed' };
}

function handshakeFacts(socket: TLSSocket): HandshakeFacts {
  const cipher = socket.getCipher();
  const info = socket.getEphemeralKeyInfo() ?? {};
  const type = 'type' in info && typeof info.type === 'string' ? info.type : undefined;
  const name = 'name' in info && typeof info.name === 'string' ? info.name : undefined;
  const size = 'size' in info && typeof info.size === 'number' ? info.size : undefined;
  const alpn = socket.alpnProtocol;
  const version = VERSION_OF[socket.getProtocol() ?? ''];
  return {
    version,
    suite: cipher.standardName,
    opensslSuite: cipher.name,
    ...(type === undefined
      ? {}
      : {
          ephemeral: {
            type,
            ...(name === undefined ? {} : { name }),
            ...(size === undefined ? {} : { size }),
          },
        }),
    ...(typeof alpn === 'string' ? { alpn } : {}),
    sessionReused: socket.isSessionReused(),
  };
}

/** Dials, then runs the TLS handshake; resolves at secureConnect or with the failure. */
async function openTls(
  endpoint: Endpoint,
  options: FullHandshakeOptions,
  limits: ExchangeLimits,
  signal: AbortSignal,
): Promise<TlsConnection | TlsFailure> {
  const tcp = await dialOutcome(endpoint, limits, signal);
  if (!('write' in tcp)) return tcp;
  tcp.on('error', () => {}); // surfaced on the TLS socket
  const started = performance.now();
  const socket = tlsConnect(connectOptions(tcp, options));
  // Errors after the handshake belong to whoever uses the socket; none may go unhandled.
  socket.on('error', () => {});
  let ocspResponse: Uint8Array | null = null;
  socket.on('OCSPResponse', (response: Buffer | null) => {
    ocspResponse = response === null ? null : new Uint8Array(response);
  });
  let firstSession: Uint8Array | undefined;
  socket.on('session', (session: Buffer) => {
    firstSession ??= new Uint8Array(session);
  });
  const session = (waitMs: number, waitSignal: AbortSignal): Promise<Uint8Array | undefined> =>
    firstSession !== undefined || socket.destroyed || waitSignal.aborted
      ? Promise.resolve(firstSession)
      : new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            socket.off('session', done);
            socket.off('close', done);
            waitSignal.removeEventListener('abort', done);
            resolve(firstSession);
          };
          const timer = setTimeout(done, waitMs);
          // Registered after the recording listener above, so firstSession is set by now.
          socket.on('session', done);
          socket.once('close', done);
          waitSignal.addEventListener('abort', done, { once: true });
        });

  return new Promise((resolve) => {
    const settle = (result: TlsConnection | TlsFailure): void => {
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if ('kind' in result) socket.destroy();
      resolve(result);
    };
    const onSecure = (): void =>
      settle({
        socket,
        facts: handshakeFacts(socket),
        ocspResponse,
        session,
        handshakeMs: performance.now() - started,
      });
    const onError = (err: NodeJS.ErrnoException): void => settle(tlsFailure(err));
    const onClose = (): void => settle({ kind: 'closed' });
    // A caller's cancel reads as a timeout too, as in the raw exchanges.
    const onAbort = (): void => settle({ kind: 'timeout' });
    socket.once('secureConnect', onSecure);
    socket.once('error', onError);
    socket.once('close', onClose);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long a server gets to close its side after our close_notify. */
const CLOSE_GRACE_MS = 250;

/**
 * close_notify and FIN, then wait briefly for the server to close too. An abrupt close
 * makes OpenSSL servers drop the session from their cache, which would hide resumption
 * by session ID on the next connection.
 */
function closeGracefully(socket: TLSSocket, signal: AbortSignal): Promise<void> {
  if (socket.destroyed || signal.aborted) {
    socket.destroy();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      socket.off('close', done);
      signal.removeEventListener('abort', done);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, CLOSE_GRACE_MS);
    socket.once('close', done);
    signal.addEventListener('abort', done, { once: true });
    socket.end();
  });
}

/**
 * One TLS connection: dial and handshake within the deadline, let `use` work on the
 * established connection (the same deadline's signal is passed on), and always close.
 */
export async function withTls<T>(
  endpoint: Endpoint,
  options: FullHandshakeOptions,
  limits: ExchangeLimits,
  use: (connection: TlsConnection, signal: AbortSignal) => Promise<T>,
): Promise<T | TlsFailure> {
  const deadline = startDeadline(limits);
  try {
    const opened = await openTls(endpoint, options, limits, deadline.signal);
    if ('kind' in opened) return opened;
    try {
      return await use(opened, deadline.signal);
    } finally {
      await closeGracefully(opened.socket, deadline.signal);
    }
  } finally {
    deadline.dispose();
  }
}

export type HandshakeOutcome =
  | {
      readonly kind: 'established';
      readonly facts: HandshakeFacts;
      readonly ocspResponse: Uint8Array | null;
    }
  | TlsFailure;

/** One handshake, for its facts and (with `requestOcsp`) the stapled OCSP response. */
export function handshakeProbe(
  endpoint: Endpoint,
  options: FullHandshakeOptions,
  limits: ExchangeLimits,
): Promise<HandshakeOutcome> {
  return withTls(endpoint, options, limits, (c) =>
    Promise.resolve({
      kind: 'established' as const,
      facts: c.facts,
      ocspResponse: c.ocspResponse,
    }),
  );
}

/** `session-id`: TLS ≤ 1.2 with tickets off. `ticket`: a session ticket (any version). */
export type ResumptionMechanism = 'session-id' | 'ticket';

export type ResumptionOutcome =
  | { readonly kind: 'resumed' }
  /** The server ran a full handshake although a session was offered. */
  | { readonly kind: 'not-resumed' }
  /** The server gave nothing to resume with (no session ID, no ticket). */
  | { readonly kind: 'no-session'; readonly reason: string }
  /** A connection failed: the first one, or the one that offered the session. */
  | (TlsFailure & { readonly stage: 'first' | 'resume' });

/** Shortest wait for a session ticket after the handshake; twice the handshake if longer. */
const SESSION_WAIT_MIN_MS = 250;

/**
 * Two connections: the first collects a session, the second offers it and asks whether
 * the server resumed it. TLS ≤ 1.2 `ticket` counts only a session that carries a ticket,
 * so a resumption by session ID is not mistaken for one by ticket.
 */
export async function resumptionProbe(
  endpoint: Endpoint,
  options: {
    readonly servername: string | undefined;
    readonly version: NodeTlsVersion;
    readonly mechanism: ResumptionMechanism;
  },
  limits: ExchangeLimits,
): Promise<ResumptionOutcome> {
  if (options.mechanism === 'session-id' && options.version === 'TLSv1.3') {
    throw new RangeError('TLS 1.3 resumes by ticket only: no session-id probe for it');
  }
  const tlsOptions: FullHandshakeOptions = {
    servername: options.servername,
    version: options.version,
    noTicket: options.mechanism === 'session-id',
  };
  const first = await withTls(endpoint, tlsOptions, limits, async (c, signal) => {
    const waitMs = Math.max(SESSION_WAIT_MIN_MS, 2 * c.handshakeMs);
    const session = await c.session(waitMs, signal);
    if (session === undefined) {
      const what = options.mechanism === 'session-id' ? 'session ID' : 'session ticket';
      return { kind: 'no-session' as const, reason: `the server sent no ${what}` };
    }
    if (
      options.mechanism === 'ticket' &&
      c.facts.version !== 'TLSv1.3' &&
      c.socket.getTLSTicket() === undefined
    ) {
      return { kind: 'no-session' as const, reason: 'the server sent no session ticket' };
    }
    return { kind: 'session' as const, session };
  });
  if (first.kind !== 'session') {
    return first.kind === 'no-session' ? first : { ...first, stage: 'first' };
  }
  const reused = await withTls(endpoint, { ...tlsOptions, session: first.session }, limits, (c) =>
    Promise.resolve(c.facts.sessionReused),
  );
  if (typeof reused !== 'boolean') return { ...reused, stage: 'resume' };
  return { kind: reused ? 'resumed' : 'not-resumed' };
}

export type RenegotiationOutcome =
  | { readonly kind: 'accepted' }
  /** The server answered the renegotiation hello with an alert, a close or a reset. */
  | { readonly kind: 'refused'; readonly reason: string; readonly alert?: string }
  /** Nothing came back before the deadline: neither a refusal nor an acceptance. */
  | { readonly kind: 'no-answer' }
  /** The client could not start a renegotiation on this connection. */
  | { readonly kind: 'not-started'; readonly reason: string }
  /** The connection failed before the renegotiation (no connection, no first handshake). */
  | TlsFailure;

/**
 * A handshake pinned to `version` (≤ TLS 1.2), then a client-initiated renegotiation on
 * the same connection. The first handshake has just succeeded on this connection, so an
 * alert, a close or a reset that follows the renegotiation hello is the server's answer
 * to it; silence until the deadline is not counted as either answer.
 */
export function renegotiationProbe(
  endpoint: Endpoint,
  options: { readonly servername: string | undefined; readonly version: NodeTlsVersion },
  limits: ExchangeLimits,
): Promise<RenegotiationOutcome> {
  return withTls(endpoint, options, limits, (c, signal) => renegotiate(c.socket, signal));
}

function renegotiate(socket: TLSSocket, signal: AbortSignal): Promise<RenegotiationOutcome> {
  return new Promise((resolve) => {
    const finish = (outcome: RenegotiationOutcome): void => {
      socket.off('secure', onSecure);
      socket.off('error', onError);
      socket.off('end', onClose);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    // node emits 'secure' again when the renegotiation handshake completes.
    const onSecure = (): void => finish({ kind: 'accepted' });
    const onError = (err: NodeJS.ErrnoException): void => {
      const failure = tlsFailure(err);
      if (failure.kind === 'tls-error') finish({ ...failure, kind: 'refused' });
      else if (failure.kind === 'reset')
        finish({ kind: 'refused', reason: 'the server reset the connection' });
      else finish({ kind: 'refused', reason: 'the server closed the connection' });
    };
    const onClose = (): void =>
      finish({ kind: 'refused', reason: 'the server closed the connection' });
    const onAbort = (): void => finish({ kind: 'no-answer' });
    socket.once('secure', onSecure);
    socket.on('error', onError);
    socket.once('end', onClose);
    socket.once('close', onClose);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    const started = socket.renegotiate({ rejectUnauthorized: false }, (err) => {
      if (err !== null && !started) finish({ kind: 'not-started', reason: err.message });
    });
    if (started === undefined) finish({ kind: 'not-started', reason: 'the socket was closed' });
  });
}
