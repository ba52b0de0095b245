// `tunnel server`: accepts mutual TLS, checks the client's certificate against the CA
// bundle and the --allow rules, and forwards the plaintext to the target.
import type { Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { type TLSSocket, createServer } from 'node:tls';
import { type Logger, silentLogger } from '../core/logger.ts';
import { type CredentialPaths, contextOptions, loadCredentials } from './credentials.ts';
import { type Endpoint, dialPlain } from './endpoint.ts';
import { type CloseReason, forward } from './forward.ts';
import { handshakeFailure } from './handshake-failure.ts';
import { peerIdentity } from './identity.ts';
import { type TunnelLimits, checkLimits, connectionSet } from './lifecycle.ts';
import { type Tunnel, listen } from './listen.ts';
import { type Refusal, logConnection, logRefusal, peerOf, tlsFacts } from './connection-log.ts';
import { noMetrics, tunnelMetrics } from './metrics.ts';
import { type AllowRules, createAuthorizer } from './policy.ts';
import { type ReloadSettings, reloaderSettings, startReloader } from './reloader.ts';

export interface TunnelServerOptions {
  readonly listen: Endpoint & { kind: 'tcp' };
  readonly target: Endpoint;
  readonly credentials: CredentialPaths;
  readonly allow: AllowRules;
  readonly limits?: Partial<TunnelLimits>;
  readonly reload?: ReloadSettings;
  readonly logger?: Logger;
  readonly clock?: () => Date;
  /** Registry for the wiretight_tunnel_* series; none records nothing. */
  readonly registry?: Registry;
}

export async function startTunnelServer(options: TunnelServerOptions): Promise<Tunnel> {
  const limits = checkLimits(options.limits);
  const authorizer = createAuthorizer(options.allow);
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const metrics =
    options.registry === undefined ? noMetrics : tunnelMetrics(options.registry, 'server');
  const initial = await loadCredentials(options.credentials, clock());
  const connections = connectionSet();
  const refuse = (refusal: Omit<Refusal, 'mode'>): void => {
    metrics.refused(refusal.reason);
    logRefusal(logger, { mode: 'server', ...refusal });
  };

  const server = createServer({
    ...contextOptions(initial),
    requestCert: true,
    rejectUnauthorized: true,
    handshakeTimeout: limits.handshakeTimeoutMs,
    allowHalfOpen: true,
  });
  server.maxConnections = limits.maxConnections;
  server.on('drop', (data) =>
    refuse({
      peer: peerOf({ remoteAddress: data?.remoteAddress, remotePort: data?.remotePort }),
      reason: 'connection-limit',
      detail: `${limits.maxConnections} connections`,
    }),
  );
  // A socket refused for its certificate is destroyed before the error is reported, and
  // with it its address: keep the address and the accept time by the raw TCP socket.
  const accepted = new WeakMap<object, { peer: string; at: number }>();
  const acceptOf = (socket: TLSSocket): { peer: string; at: number } | undefined => {
    const raw = (socket as unknown as { _parent?: object })._parent;
    return raw === undefined ? undefined : accepted.get(raw);
  };
  const since = (at: number | undefined): number | undefined =>
    at === undefined ? undefined : (performance.now() - at) / 1000;
  server.on('connection', (raw: Socket) =>
    accepted.set(raw, { peer: peerOf(raw), at: performance.now() }),
  );
  server.on('tlsClientError', (error, socket) => {
    const failure = handshakeFailure(error as Error & { code?: string }, socket.authorizationError);
    const at = acceptOf(socket);
    metrics.handshakeFailed(failure.reason, since(at?.at));
    refuse({ peer: at?.peer ?? peerOf(socket), ...failure });
    // With a tlsClientError listener Node leaves the socket open (a timed-out handshake
    // would hold its slot forever): closing it is ours to do.
    socket.destroy();
  });
  server.on('secureConnection', (socket: TLSSocket) => void accept(socket));

  async function accept(socket: TLSSocket): Promise<void> {
    const startedAt = clock().getTime();
    const peer = peerOf(socket);
    const tls = tlsFacts(socket);
    metrics.handshake(tls, since(acceptOf(socket)?.at) ?? 0);
    socket.on('error', () => undefined); // reported by forward() or the refusal below
    let cut = false;
    let abort = (_reason: CloseReason): void => {
      cut = true;
      socket.destroy();
    };
    const release = connections.track((reason) => abort(reason));
    const refuseHere = (refusal: Omit<Refusal, 'mode' | 'peer'>): void => {
      refuse({ peer, ...refusal });
      socket.destroy();
      release();
    };
    const raw = socket.getPeerX509Certificate()?.raw;
    let identity;
    try {
      if (raw === undefined) throw new TypeError('no peer certificate after the handshake');
      identity = peerIdentity(raw);
    } catch (error) {
      refuseHere({ reason: 'handshake-failed', detail: String(error) });
      return;
    }
    const decision = authorizer.authorize(identity);
    metrics.authorization(decision.allowed, decision.allowed ? decision.rule : '');
    if (!decision.allowed) {
      refuseHere({ reason: decision.reason, detail: authorizer.rules.join(' '), identity });
      return;
    }
    let target;
    try {
      target = await dialPlain(options.target, limits.connectTimeoutMs);
    } catch (error) {
      refuseHere({ reason: 'target-unreachable', detail: (error as Error).message, identity });
      return;
    }
    if (cut || socket.destroyed) {
      target.destroy();
      release();
      return;
    }
    const record = { mode: 'server' as const, peer, identity, rule: decision.rule, tls, startedAt };
    metrics.opened();
    const forwarding = forward(socket, target, limits.idleTimeoutMs, (outcome) => {
      release();
      metrics.closed(outcome);
      logConnection(logger, record, outcome, clock().getTime());
    });
    abort = (reason) => forwarding.abort(reason);
  }

  const address = await listen(server, options.listen);
  const reloader = startReloader({
    paths: options.credentials,
    initial,
    apply: (next) => server.setSecureContext(contextOptions(next)),
    logger,
    clock,
    onResult: (result, trigger) => metrics.reload(result, trigger),
    ...reloaderSettings(options.reload),
  });
  metrics.watchCredentials(() => reloader.current());
  logger.info(
    { event: 'tunnel.listening', mode: 'server', address, rules: authorizer.rules },
    'tunnel server: listening',
  );
  return {
    mode: 'server',
    address,
    activeConnections: () => connections.size(),
    credentials: () => reloader.current(),
    reload: (trigger = 'manual') => reloader.reload(trigger),
    async close() {
      reloader.close();
      await connections.drain(server, limits.drainTimeoutMs);
    },
  };
}
