// The CA's Prometheus series. Their names and labels are a public contract (docs/metrics.md).
// Gauges are computed when scraped, from whichever CA opened on the registry last, so
// opening the CA again on the same registry (a reload) reuses the series instead of failing.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CertificateCounts } from './store.ts';

export const CA_METRICS = {
  issuances: 'wiretight_ca_issuances_total',
  issuanceDuration: 'wiretight_ca_issuance_duration_seconds',
  revocations: 'wiretight_ca_revocations_total',
  ocspResponses: 'wiretight_ca_ocsp_responses_total',
  crlAge: 'wiretight_ca_crl_age_seconds',
  certificates: 'wiretight_ca_certificates',
} as const;

/** What the gauges read when scraped. */
export interface CaGaugeSource {
  counts(): Promise<CertificateCounts>;
  /** Seconds since the current CRL's thisUpdate. */
  crlAgeSeconds(): Promise<number>;
}

export interface CaMetrics {
  readonly issuances: Counter<'result' | 'provisioner'>;
  readonly issuanceDuration: Histogram<'provisioner'>;
  readonly revocations: Counter<'reason'>;
  readonly ocspResponses: Counter<'status'>;
}

const sources = new WeakMap<Registry, { current: CaGaugeSource }>();

function existing<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function caMetrics(registry: Registry, source: CaGaugeSource): CaMetrics {
  const holder = sources.get(registry);
  if (holder !== undefined) {
    holder.current = source;
  } else {
    const fresh = { current: source };
    sources.set(registry, fresh);
    new Gauge({
      name: CA_METRICS.crlAge,
      help: 'Seconds since the current CRL was signed (its thisUpdate).',
      registers: [registry],
      async collect() {
        this.set(await fresh.current.crlAgeSeconds());
      },
    });
    new Gauge({
      name: CA_METRICS.certificates,
      help: 'Certificates in the CA store by status: valid (unrevoked, not expired), expired, revoked.',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const counts = await fresh.current.counts();
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
  }
  return {
    issuances: existing(
      registry,
      CA_METRICS.issuances,
      () =>
        new Counter({
          name: CA_METRICS.issuances,
          help: 'Certificate requests by result (issued, refused by policy or CSR checks, error) and provisioner.',
          labelNames: ['result', 'provisioner'] as const,
          registers: [registry],
        }),
    ),
    issuanceDuration: existing(
      registry,
      CA_METRICS.issuanceDuration,
      () =>
        new Histogram({
          name: CA_METRICS.issuanceDuration,
          help: 'Time to check, sign and store one certificate, in seconds.',
          labelNames: ['provisioner'] as const,
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
          registers: [registry],
        }),
    ),
    revocations: existing(
      registry,
      CA_METRICS.revocations,
      () =>
        new Counter({
          name: CA_METRICS.revocations,
          help: 'Certificates revoked, by RFC 5280 reason.',
          labelNames: ['reason'] as const,
          registers: [registry],
        }),
    ),
    ocspResponses: existing(
      registry,
      CA_METRICS.ocspResponses,
      () =>
        new Counter({
          name: CA_METRICS.ocspResponses,
          help: 'OCSP answers by status: good, revoked, unknown, malformed, unauthorized.',
          labelNames: ['status'] as const,
          registers: [registry],
        }),
    ),
  };
}
