// The tunnel's Prometheus series. Names and labels are a public contract (docs/tunnel.md).
// Several tunnels may share one registry (one process, one /metrics): each series carries
// the tunnel's mode and the series are created once per registry.
import { X509Certificate } from 'node:crypto';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { pemCertificates } from '../pki/pem.ts';
import type { ForwardOutcome } from './forward.ts';
import type { Credentials } from './credentials.ts';
import type { TlsFacts, TunnelMode } from './connection-log.ts';
import type { ReloadResult, ReloadTrigger } from './reloader.ts';

export const TUNNEL_METRICS = {
  handshakes: 'wiretight_tunnel_handshakes_total',
  handshakeDuration: 'wiretight_tunnel_handshake_duration_seconds',
  refused: 'wiretight_tunnel_refused_connections_total',
  authorizations: 'wiretight_tunnel_authorizations_total',
  active: 'wiretight_tunnel_active_connections',
  closed: 'wiretight_tunnel_connections_closed_total',
  bytes: 'wiretight_tunnel_bytes_total',
  resumptions: 'wiretight_tunnel_session_resumptions_total',
  reloads: 'wiretight_tunnel_reloads_total',
  expiry: 'wiretight_tunnel_certificate_expiry_timestamp_seconds',
} as const;

export interface TunnelMetrics {
  handshake(facts: TlsFacts, seconds: number): void;
  handshakeFailed(reason: string, seconds?: number): void;
  refused(reason: string): void;
  authorization(allowed: boolean, rule: string): void;
  opened(): void;
  closed(outcome: ForwardOutcome): void;
  reload(result: ReloadResult, trigger: ReloadTrigger): void;
  /** Where the expiry gauge reads the certificates in use, at scrape time. */
  watchCredentials(current: () => Credentials): void;
}

interface Series {
  handshakes: Counter<'mode' | 'result' | 'reason' | 'version' | 'cipher' | 'group'>;
  handshakeDuration: Histogram<'mode' | 'result'>;
  refused: Counter<'mode' | 'reason'>;
  authorizations: Counter<'mode' | 'result' | 'rule'>;
  active: Gauge<'mode'>;
  closed: Counter<'mode' | 'reason'>;
  bytes: Counter<'mode' | 'direction'>;
  resumptions: Counter<'mode'>;
  reloads: Counter<'mode' | 'trigger' | 'result'>;
  sources: Map<TunnelMode, () => Credentials>;
}

const perRegistry = new WeakMap<Registry, Series>();

const notAfterSeconds = (c: X509Certificate): number =>
  Math.floor(new Date(c.validTo).getTime() / 1000);

function expiries(
  credentials: Credentials,
): Record<'leaf' | 'issuer' | 'root', number | undefined> {
  const chain = pemCertificates(credentials.cert.toString('latin1')).map(
    (d) => new X509Certificate(d),
  );
  const roots = pemCertificates(credentials.ca.toString('latin1')).map(
    (d) => new X509Certificate(d),
  );
  const soonestRoot = roots.map(notAfterSeconds).sort((a, b) => a - b)[0];
  const issuer = chain[1];
  return {
    leaf: notAfterSeconds(credentials.leaf),
    issuer: issuer === undefined ? undefined : notAfterSeconds(issuer),
    root: soonestRoot,
  };
}

function series(registry: Registry): Series {
  const known = perRegistry.get(registry);
  if (known !== undefined) return known;
  const sources = new Map<TunnelMode, () => Credentials>();
  const registers = [registry];
  const created: Series = {
    handshakes: new Counter({
      name: TUNNEL_METRICS.handshakes,
      help: 'TLS handshakes by result (ok, failed), failure reason, version, suite and group.',
      labelNames: ['mode', 'result', 'reason', 'version', 'cipher', 'group'],
      registers,
    }),
    handshakeDuration: new Histogram({
      name: TUNNEL_METRICS.handshakeDuration,
      help: 'From TCP accept (server) or dial (client) to a finished or failed TLS handshake.',
      labelNames: ['mode', 'result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    refused: new Counter({
      name: TUNNEL_METRICS.refused,
      help: 'Connections refused, by reason (handshake failures, not-allowed, target-unreachable, connection-limit).',
      labelNames: ['mode', 'reason'],
      registers,
    }),
    authorizations: new Counter({
      name: TUNNEL_METRICS.authorizations,
      help: 'Authorization decisions on verified peers, by result and the --allow rule that matched.',
      labelNames: ['mode', 'result', 'rule'],
      registers,
    }),
    active: new Gauge({
      name: TUNNEL_METRICS.active,
      help: 'Connections being forwarded now.',
      labelNames: ['mode'],
      registers,
    }),
    closed: new Counter({
      name: TUNNEL_METRICS.closed,
      help: 'Forwarded connections that ended, by close reason.',
      labelNames: ['mode', 'reason'],
      registers,
    }),
    bytes: new Counter({
      name: TUNNEL_METRICS.bytes,
      help: 'Plaintext bytes forwarded, counted when a connection ends, by direction.',
      labelNames: ['mode', 'direction'],
      registers,
    }),
    resumptions: new Counter({
      name: TUNNEL_METRICS.resumptions,
      help: 'Handshakes that resumed a TLS session.',
      labelNames: ['mode'],
      registers,
    }),
    reloads: new Counter({
      name: TUNNEL_METRICS.reloads,
      help: 'Certificate reloads by trigger and result (reloaded, unchanged, failed).',
      labelNames: ['mode', 'trigger', 'result'],
      registers,
    }),
    sources,
  };
  new Gauge({
    name: TUNNEL_METRICS.expiry,
    help: 'notAfter (Unix seconds) of the certificates in use: the leaf, its issuer, the soonest-expiring trust anchor.',
    labelNames: ['mode', 'certificate'],
    registers,
    collect() {
      this.reset();
      for (const [mode, current] of sources) {
        for (const [certificate, at] of Object.entries(expiries(current()))) {
          if (at !== undefined) this.set({ mode, certificate }, at);
        }
      }
    },
  });
  perRegistry.set(registry, created);
  return created;
}

export function tunnelMetrics(registry: Registry, mode: TunnelMode): TunnelMetrics {
  const s = series(registry);
  return {
    handshake(facts, seconds) {
      s.handshakes.inc({
        mode,
        result: 'ok',
        reason: '',
        version: facts.version ?? '',
        cipher: facts.cipher ?? '',
        group: facts.group ?? '',
      });
      s.handshakeDuration.observe({ mode, result: 'ok' }, seconds);
      if (facts.resumed) s.resumptions.inc({ mode });
    },
    handshakeFailed(reason, seconds) {
      s.handshakes.inc({ mode, result: 'failed', reason, version: '', cipher: '', group: '' });
      if (seconds !== undefined) s.handshakeDuration.observe({ mode, result: 'failed' }, seconds);
    },
    refused: (reason) => s.refused.inc({ mode, reason }),
    authorization: (allowed, rule) =>
      s.authorizations.inc({ mode, result: allowed ? 'allowed' : 'denied', rule }),
    opened: () => s.active.inc({ mode }),
    closed(outcome) {
      s.active.dec({ mode });
      s.closed.inc({ mode, reason: outcome.reason });
      s.bytes.inc({ mode, direction: 'from_client' }, outcome.bytesFromClient);
      s.bytes.inc({ mode, direction: 'to_client' }, outcome.bytesToClient);
    },
    reload: (result, trigger) => s.reloads.inc({ mode, trigger, result }),
    watchCredentials: (current) => void s.sources.set(mode, current),
  };
}

/** For a tunnel started without a registry. */
export const noMetrics: TunnelMetrics = {
  handshake: () => undefined,
  handshakeFailed: () => undefined,
  refused: () => undefined,
  authorization: () => undefined,
  opened: () => undefined,
  closed: () => undefined,
  reload: () => undefined,
  watchCredentials: () => undefined,
};
