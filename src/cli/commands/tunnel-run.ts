// The action of `wiretight tunnel server|client`: check the flags, start the tunnel, log
// to stdout as JSON lines, reload on SIGHUP, drain on SIGTERM/SIGINT.
import { once } from 'node:events';
import pino from 'pino';
import { WiretightError } from '../../errors.ts';
import {
  type AllowRules,
  type Endpoint,
  type Tunnel,
  type StatusServer,
  parseEndpoint,
  startStatusServer,
  startTunnelClient,
  startTunnelServer,
} from '../../tunnel/index.ts';
import { type Registry, createRegistry } from '../../metrics/index.ts';
import type { CliIo } from '../io.ts';
import { usage } from './ca-common.ts';
import type { TunnelFlags } from './tunnel.ts';

const LOG_LEVELS = ['info', 'warn', 'error'] as const;

function tcp(flag: string, value: string, anyPort = false): Endpoint & { kind: 'tcp' } {
  try {
    return parseEndpoint(flag, value, { anyPort }) as Endpoint & { kind: 'tcp' };
  } catch (error) {
    throw usage((error as Error).message, error);
  }
}

function allowRules(mode: 'server' | 'client', flags: TunnelFlags): AllowRules | undefined {
  const rules = { dns: flags.allowDns, uri: flags.allowUri, cn: flags.allowCn, ou: flags.allowOu };
  const given = Object.values(rules).some((r) => r.length > 0);
  if (flags.allowAll === true) return { any: true, ...rules };
  if (given) return rules;
  if (mode === 'server') {
    throw usage(
      'tunnel server needs at least one --allow-dns/--allow-uri/--allow-cn/--allow-ou, or --allow-all',
    );
  }
  return undefined;
}

interface Started {
  readonly tunnel: Tunnel;
  readonly target: Endpoint;
}

async function start(
  mode: 'server' | 'client',
  flags: TunnelFlags,
  logger: pino.Logger,
  registry: Registry,
): Promise<Started> {
  const common = {
    listen: tcp('--listen', flags.listen, true),
    credentials: { cert: flags.cert, key: flags.key, ca: flags.ca },
    limits: {
      handshakeTimeoutMs: flags.handshakeTimeout * 1000,
      idleTimeoutMs: flags.idleTimeout * 1000,
      connectTimeoutMs: flags.connectTimeout * 1000,
      drainTimeoutMs: flags.drainTimeout * 1000,
      maxConnections: flags.maxConnections,
    },
    reload: { intervalMs: flags.reloadInterval * 1000, watch: flags.watch },
    logger,
    registry,
  };
  const allow = allowRules(mode, flags);
  if (mode === 'server') {
    const target = parseEndpoint('--target', flags.target, { unix: true });
    return { target, tunnel: await startTunnelServer({ ...common, target, allow: allow ?? {} }) };
  }
  const target = tcp('--target', flags.target);
  const tunnel = await startTunnelClient({
    ...common,
    target,
    ...(flags.serverName === undefined ? {} : { serverName: flags.serverName }),
    ...(allow === undefined ? {} : { allow }),
  });
  return { target, tunnel };
}

export async function runTunnel(
  mode: 'server' | 'client',
  flags: TunnelFlags,
  io: CliIo,
): Promise<number> {
  if (!(LOG_LEVELS as readonly string[]).includes(flags.logLevel)) {
    throw usage(`--log-level ${flags.logLevel}: expected ${LOG_LEVELS.join(', ')}`);
  }
  const logger = pino(
    { level: flags.logLevel, base: { service: `wiretight-tunnel-${mode}` } },
    { write: (line: string) => io.stdout(line) },
  );
  const registry = createRegistry();
  const statusListen = flags.status === undefined ? undefined : tcp('--status', flags.status, true);
  let tunnel: Tunnel;
  let status: StatusServer | undefined;
  try {
    const started = await start(mode, flags, logger, registry);
    tunnel = started.tunnel;
    if (statusListen !== undefined) {
      status = await startStatusServer({
        listen: statusListen,
        registry,
        tunnels: [started],
      }).catch(async (error: unknown) => {
        await started.tunnel.close();
        throw error;
      });
      logger.info({ event: 'tunnel.status', address: status.address }, 'tunnel: status listening');
    }
  } catch (error) {
    if (error instanceof RangeError) throw usage(error.message, error);
    if (error instanceof WiretightError && error.code === 'WT_ERR_TUNNEL_CREDENTIALS') {
      throw usage(error.message, error);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw usage(`cannot listen: ${(error as Error).message}`, error);
    }
    throw error;
  }
  const onHup = (): void => void tunnel.reload('signal');
  process.on('SIGHUP', onHup);
  try {
    const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
    logger.info(
      {
        event: 'tunnel.drain',
        signal: String(signal[0] ?? ''),
        active: tunnel.activeConnections(),
      },
      'tunnel: draining',
    );
    await tunnel.close();
    await status?.close();
    logger.info({ event: 'tunnel.stopped' }, 'tunnel: stopped');
    return 0;
  } finally {
    process.off('SIGHUP', onHup);
    logger.flush();
  }
}
