// The one log line per connection and per refusal. Field names are a contract for log
// pipelines (docs/tunnel.md); they match the metric labels where both exist.
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../core/logger.ts';
import type { ForwardOutcome } from './forward.ts';
import type { HandshakeFailure } from './handshake-failure.ts';
import type { PeerIdentity } from './identity.ts';

export type TunnelMode = 'server' | 'client';

export interface TlsFacts {
  readonly version: string | null;
  readonly cipher: string | null;
  /** Key exchange group; OpenSSL only tells the side that sent the ClientHello. */
  readonly group: string | null;
  readonly resumed: boolean;
}

export function tlsFacts(socket: TLSSocket): TlsFacts {
  const key = socket.getEphemeralKeyInfo() as { name?: string } | null;
  return {
    version: socket.getProtocol(),
    cipher: socket.getCipher()?.standardName ?? null,
    group: key?.name ?? null,
    resumed: socket.isSessionReused(),
  };
}

export function identityFields(identity: PeerIdentity): Record<string, unknown> {
  return {
    cn: identity.commonNames,
    ou: identity.organizationalUnits,
    dns: identity.dnsNames,
    uri: identity.uris,
    ip: identity.ipAddresses,
    serial: identity.serial,
  };
}

export interface ConnectionRecord {
  readonly mode: TunnelMode;
  /** host:port of the side that opened the connection. */
  readonly peer: string;
  readonly identity: PeerIdentity;
  readonly rule: string;
  readonly tls: TlsFacts;
  readonly startedAt: number;
}

export function logConnection(
  logger: Logger,
  record: ConnectionRecord,
  outcome: ForwardOutcome,
  now: number,
): void {
  logger.info(
    {
      event: 'tunnel.connection',
      mode: record.mode,
      peer: record.peer,
      identity: identityFields(record.identity),
      rule: record.rule,
      ...record.tls,
      durationMs: now - record.startedAt,
      bytesFromClient: outcome.bytesFromClient,
      bytesToClient: outcome.bytesToClient,
      reason: outcome.reason,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    },
    'tunnel: connection closed',
  );
}

export interface Refusal {
  readonly mode: TunnelMode;
  readonly peer: string;
  readonly reason:
    HandshakeFailure['reason'] | 'not-allowed' | 'target-unreachable' | 'connection-limit';
  readonly detail: string;
  readonly identity?: PeerIdentity;
}

export function logRefusal(logger: Logger, refusal: Refusal): void {
  logger.warn(
    {
      event: 'tunnel.refused',
      mode: refusal.mode,
      peer: refusal.peer,
      reason: refusal.reason,
      detail: refusal.detail,
      ...(refusal.identity === undefined ? {} : { identity: identityFields(refusal.identity) }),
    },
    `tunnel: connection refused (${refusal.reason})`,
  );
}

export const peerOf = (socket: {
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
}): string =>
  socket.remoteAddress === undefined
    ? 'unknown'
    : socket.remoteAddress.includes(':')
      ? `[${socket.remoteAddress}]:${socket.remotePort ?? 0}`
      : `${socket.remoteAddress}:${socket.remotePort ?? 0}`;
