// `tunnel client`: accepts plaintext from local applications and originates mutual TLS
// to a tunnel server (or any TLS service), verifying the server's certificate against
// the CA bundle and its name, then the --allow rules when given.
import { type Socket, createServer, isIP } from 'node:net';
import { type TLSSocket, connect } from 'node:tls';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Registry } from 'prom-client';
import { type CredentialPaths, loadCredentials } from './credentials.ts';
import { type Endpoint, dialPlain } from './endpoint.ts';
import { type CloseReason, forward } from './forward.ts';
import { type HandshakeFailureReason, handshakeFailure } from './handshake-failure.ts';
import { type PeerIdentity, peerIdentity } from './identity.ts';
import { type TunnelLimits, checkLimits, connectionSet } from './lifecycle.ts';
import { type Tunnel, listen } from './listen.ts';
import { type Refusal, logConnection, logRefusal, peerOf, tlsFacts } from './connection-log.ts';
import { noMetrics, tunnelMetrics } from './metrics.ts';
import { type AllowRules, createAuthorizer } from './policy.ts';
import { type ReloadSettings, reloaderSettings, startReloader } from './reloader.ts';

export interface TunnelClientOptions {
  readonly listen: Endpoint & { kind: 'tcp' };
  readonly target: Endpoint & { kind: 'tcp' };
  readonly credentials: CredentialPaths;
  /** The name the server's certificate must carry; default the target host. */
  readonly serverName?: string;
  /** Rules on the server's identity on top of name verification; default any. */
  readonly allow?: AllowRules;
  readonly limits?: Partial<TunnelLimits>;
  readonly reload?: ReloadSettings;
  readonly logger?: Logger;
  readonly clock?: () => Date;
  /** Registry for the wiretight_tunnel_* series; none records nothing. */
  readonly registry?: Registry;
}

type Dialled = { socket: TLSSocket; identity: PeerIdentity } | Omit<Refusal, 'mode' | 'peer'>;

export async function startTunnelClient(options: TunnelClientOptions): Promise<Tunnel> {
  const limits = checkLimits(options.limits);
  const allow = options.allow ?? { any: true };
  const authorizer = createAuthorizer(allow);
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const metrics =
    options.registry === undefined ? noMetrics : tunnelMetrics(options.registry, 'client');
  const initial = await loadCredentials(options.credentials, clock());
  const refuse = (refusal: Refusal): void => {
    metrics.refused(refusal.reason);
    logRefusal(logger, refusal);
  };
  const connections = connectionSet();
  const serverName = options.serverName ?? options.target.host;

  const reloader = startReloader({
    paths: options.credentials,
    initial,
    // Each new connection takes the current context; nothing to swap on a listener.
    apply: () => undefined,
    logger,
    clock,
    onResult: (result, trigger) => metrics.reload(result, trigger),
    ...reloaderSettings(options.reload),
  });

  // TCP first (its own timeout), then TLS over it: the half-open setting belongs to the
  // TCP socket, and tls.connect takes it from there.
  async function dial(): Promise<Dialled> {
    let tcp: Socket;
    try {
      tcp = await dialPlain(options.target, limits.connectTimeoutMs);
    } catch (error) {
      return { reason: 'target-unreachable', detail: (error as Error).message };
    }
    const started = performance.now();
    const failed = (failure: { reason: HandshakeFailureReason; detail: string }): Dialled => {
      metrics.handshakeFailed(failure.reason, (performance.now() - started) / 1000);
      return failure;
    };
    return new Promise((resolve) => {
      const socket = connect({
        socket: tcp,
        ...(isIP(serverName) === 0 ? { servername: serverName } : {}),
        host: serverName,
        secureContext: reloader.current().context,
        rejectUnauthorized: true,
      });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(failed({ reason: 'handshake-timeout', detail: `${limits.handshakeTimeoutMs} ms` }));
      }, limits.handshakeTimeoutMs);
      socket.on('error', (error: Error & { code?: string }) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(failed(handshakeFailure(error, socket.authorizationError)));
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        const raw = socket.getPeerX509Certificate()?.raw;
        try {
          if (raw === undefined) throw new TypeError('no server certificate');
          const identity = peerIdentity(raw);
          metrics.handshake(tlsFacts(socket), (performance.now() - started) / 1000);
          resolve({ socket, identity });
        } catch (error) {
          socket.destroy();
          resolve(failed({ reason: 'handshake-failed', detail: String(error) }));
        }
      });
    });
  }

  async function accept(plain: Socket): Promise<void> {
    const startedAt = clock().getTime();
    const peer = peerOf(plain);
    plain.on('error', () => undefined);
    let cut = false;
    let abort = (_reason: CloseReason): void => {
      cut = true;
      plain.destroy();
    };
    const release = connections.track((reason) => abort(reason));
    const dialled = await dial();
    if (!('socket' in dialled)) {
      refuse({ mode: 'client', peer, ...dialled });
      plain.destroy();
      release();
      return;
    }
    const { socket, identity } = dialled;
    const decision = authorizer.authorize(identity);
    metrics.authorization(decision.allowed, decision.allowed ? decision.rule : '');
    if (!decision.allowed || cut || plain.destroyed) {
      if (!decision.allowed) {
        refuse({
          mode: 'client',
          peer,
          reason: decision.reason,
          detail: authorizer.rules.join(' '),
          identity,
        });
      }
      socket.destroy();
      plain.destroy();
      release();
      return;
    }
    const record = {
      mode: 'client' as const,
      peer,
      identity,
      rule: decision.rule,
      tls: tlsFacts(socket),
      startedAt,
    };
    metrics.opened();
    const forwarding = forward(plain, socket, limits.idleTimeoutMs, (outcome) => {
      release();
      metrics.closed(outcome);
      logConnection(logger, record, outcome, clock().getTime());
    });
    abort = (reason) => forwarding.abort(reason);
  }

  const server = createServer(
    { allowHalfOpen: true, pauseOnConnect: true },
    (plain) => void accept(plain),
  );
  server.maxConnections = limits.maxConnections;
  server.on('drop', (data) =>
    refuse({
      mode: 'client',
      peer: peerOf({ remoteAddress: data?.remoteAddress, remotePort: data?.remotePort }),
      reason: 'connection-limit',
      detail: `${limits.maxConnections} connections`,
    }),
  );
  metrics.watchCredentials(() => reloader.current());
  let address;
  try {
    address = await listen(server, options.listen);
  } catch (error) {
    reloader.close();
    throw error;
  }
  logger.info(
    { event: 'tunnel.listening', mode: 'client', address, serverName, rules: authorizer.rules },
    'tunnel client: listening',
  );
  return {
    mode: 'client',
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
