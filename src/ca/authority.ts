// The certificate authority: the one object the CLI, `ca serve` and the ACME server use.
// It opens a CA directory with the intermediate's key (never the root's), and ties the
// policy, issuance, the store, the CRL, the OCSP responder, metrics and the audit log.
import type { Registry } from 'prom-client';
import { type Logger, silentLogger } from '../core/logger.ts';
import { WiretightError } from '../errors.ts';
import { type CaMetrics, caMetrics } from './ca-metrics.ts';
import type { Issuer } from './certificate-builder.ts';
import { type CaConfig, normalizePublicUrl } from './config.ts';
import { CrlPublisher, type CurrentCrl } from './crl-publisher.ts';
import { describeIdentifier } from './identifiers.ts';
import { type IssueContext, type LeafSpec, issueLeaf } from './issuance.ts';
import { type RenewOptions, csrSpec, renewalSpec, requestSpec } from './leaf-specs.ts';
import { loadCa } from './load.ts';
import { type OcspAnswer, answerOcsp } from './ocsp.ts';
import { type ProvisionerPolicy, checkIdentifiers } from './policy.ts';
import { LeafProfile } from './profiles.ts';
import { ResponderKeeper } from './responder.ts';
import { type RandomSource, defaultRandom, normalizeSerial } from './serial.ts';
import type { CaStore, ListStatus } from './store.ts';
import {
  type CertificateRecord,
  type CsrIssueOptions,
  type Identifier,
  type IssueRequest,
  type IssuedCertificate,
  REVOCATION_REASONS,
  type RevocationReason,
} from './types.ts';

export type { RenewOptions };

export interface OpenCaOptions {
  readonly dir: string;
  readonly passphrase: string;
  /** The caller opens the store (src/store: openCaStore(`${dir}/ca.db`)); close() closes it. */
  readonly store: CaStore;
  readonly clock?: () => Date;
  readonly random?: RandomSource;
  /** Audit: one info line per issuance and per revocation. */
  readonly logger?: Logger;
  readonly registry?: Registry;
  /** Overrides ca.json's URL for the OCSP (`/ocsp`) and CRL (`/crl`) pointers in leaves. */
  readonly publicUrl?: string;
}

export interface ListFilter {
  readonly status?: ListStatus;
  readonly expiringWithinSeconds?: number;
  readonly limit?: number;
}

interface State {
  readonly config: CaConfig;
  readonly policy: ProvisionerPolicy;
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly intermediate: Issuer;
  readonly profile: LeafProfile;
  readonly store: CaStore;
  readonly clock: () => Date;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly crl: CrlPublisher;
  readonly responder: ResponderKeeper;
}

const refusedCodes = new Set([
  'WT_ERR_CA_POLICY',
  'WT_ERR_CA_CSR',
  'WT_ERR_CA_RENEW',
  'WT_ERR_CA_REVOKED',
]);

export class CertificateAuthority {
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly policy: ProvisionerPolicy;
  readonly #s: State;
  readonly #metrics: CaMetrics | undefined;

  private constructor(state: State, registry: Registry | undefined) {
    this.#s = state;
    this.rootPem = state.rootPem;
    this.intermediatePem = state.intermediatePem;
    this.policy = state.policy;
    this.#metrics =
      registry === undefined
        ? undefined
        : caMetrics(registry, {
            counts: () => state.store.count(state.clock()),
            crlAgeSeconds: async () => {
              const thisUpdate =
                state.crl.cachedThisUpdate ?? (await state.crl.current()).thisUpdate;
              return Math.max(0, (state.clock().getTime() - thisUpdate.getTime()) / 1000);
            },
          });
  }

  /** Opens the CA in `options.dir`. WT_ERR_CA_DIR, WT_ERR_CA_CONFIG, WT_ERR_CA_PASSPHRASE. */
  static async open(options: OpenCaOptions): Promise<CertificateAuthority> {
    if (typeof options.dir !== 'string' || options.dir === '')
      throw new TypeError('dir must be a path');
    if (typeof options.passphrase !== 'string') throw new TypeError('passphrase must be a string');
    if (options.store === undefined) throw new TypeError('store is required (openCaStore)');
    const clock = options.clock ?? (() => new Date());
    const random = options.random ?? defaultRandom;
    const loaded = await loadCa(options.dir, options.passphrase);
    const url =
      options.publicUrl === undefined
        ? loaded.config.publicUrl
        : normalizePublicUrl(options.publicUrl);
    const profile = new LeafProfile(
      loaded.intermediate,
      url === null ? {} : { ocsp: `${url}/ocsp`, crl: `${url}/crl` },
    );
    const logger = (options.logger ?? silentLogger).child({ component: 'ca' });
    const crl = new CrlPublisher({
      issuer: loaded.intermediate,
      store: options.store,
      clock,
      validitySeconds: loaded.config.crlValiditySeconds,
      refreshSeconds: loaded.config.crlRefreshSeconds,
    });
    const responder = await ResponderKeeper.start({
      dir: options.dir,
      passphrase: options.passphrase,
      intermediate: loaded.intermediate,
      caName: loaded.config.name,
      keyType: loaded.config.keyType,
      lifetimeSeconds: loaded.config.ocspResponderLifetimeSeconds,
      clock,
      random,
      logger,
    });
    const state: State = {
      ...loaded,
      profile,
      store: options.store,
      clock,
      random,
      logger,
      crl,
      responder,
    };
    return new CertificateAuthority(state, options.registry);
  }

  /** Throws WT_ERR_CA_POLICY naming the first identifier the policy refuses. */
  checkIdentifiers(identifiers: readonly Identifier[]): void {
    checkIdentifiers(this.#s.policy, identifiers);
  }

  issue(request: IssueRequest): Promise<IssuedCertificate> {
    return this.#instrumented(request?.provisioner, () => requestSpec(request));
  }

  /** Issues for a DER CSR's key and names; WT_ERR_CA_CSR, WT_ERR_CA_POLICY. */
  issueFromCsr(csr: Uint8Array, options: CsrIssueOptions): Promise<IssuedCertificate> {
    return this.#instrumented(options?.provisioner, () => csrSpec(csr, options));
  }

  /** WT_ERR_CA_RENEW (not issued here, expired), WT_ERR_CA_REVOKED, WT_ERR_CA_CSR, WT_ERR_CA_POLICY. */
  renew(current: Uint8Array, options: RenewOptions = {}): Promise<IssuedCertificate> {
    const s = this.#s;
    return this.#instrumented('renew', () =>
      renewalSpec(s.store, s.policy, s.clock(), current, options),
    );
  }

  /** Runs one issuance with its metrics and audit line; `spec` gathers what to issue. */
  async #instrumented(
    provisioner: string | undefined,
    spec: () => LeafSpec | Promise<LeafSpec>,
  ): Promise<IssuedCertificate> {
    const label = provisioner ?? 'unknown';
    const stopTimer = this.#metrics?.issuanceDuration.startTimer({ provisioner: label });
    try {
      const ctx: IssueContext = {
        policy: this.#s.policy,
        profile: this.#s.profile,
        issuer: this.#s.intermediate,
        intermediatePem: this.#s.intermediatePem,
        store: this.#s.store,
        now: this.#s.clock(),
        random: this.#s.random,
      };
      const issued = await issueLeaf(ctx, await spec());
      const r = issued.record;
      this.#metrics?.issuances.inc({ result: 'issued', provisioner: label });
      this.#s.logger.info(
        {
          event: 'ca.issued',
          serial: r.serial,
          identifiers: r.identifiers.map(describeIdentifier),
          usage: r.usage,
          provisioner: r.provisioner,
          requestedBy: r.requestedBy,
          notAfter: r.notAfter.toISOString(),
        },
        'certificate issued',
      );
      return issued;
    } catch (err) {
      const refused = err instanceof WiretightError && refusedCodes.has(err.code);
      this.#metrics?.issuances.inc({ result: refused ? 'refused' : 'error', provisioner: label });
      this.#s.logger.warn(
        {
          event: refused ? 'ca.refused' : 'ca.error',
          provisioner: label,
          error: err instanceof WiretightError ? err.toJSON() : String(err),
        },
        refused ? 'certificate refused' : 'certificate issuance failed',
      );
      throw err;
    } finally {
      stopTimer?.();
    }
  }

  async revoke(
    serial: string,
    reason: RevocationReason,
    requestedBy?: string,
  ): Promise<CertificateRecord> {
    if (typeof serial !== 'string') throw new TypeError('serial must be a hex string');
    if (!Object.hasOwn(REVOCATION_REASONS, reason) || reason === 'removeFromCRL') {
      throw new RangeError(`"${String(reason)}" is not a revocation reason`);
    }
    const normal = normalizeSerial(serial);
    const result = await this.#s.store.revoke(normal, this.#s.clock(), reason);
    if (result.outcome === 'not-found') {
      throw new WiretightError(
        'WT_ERR_CA_NOT_FOUND',
        `no certificate with serial ${normal} was issued by this CA`,
      );
    }
    if (result.outcome === 'already-revoked') {
      throw new WiretightError(
        'WT_ERR_CA_REVOKED',
        `certificate ${normal} was revoked already, at ${result.record.revokedAt?.toISOString() ?? '?'}`,
      );
    }
    this.#metrics?.revocations.inc({ reason });
    this.#s.logger.info(
      {
        event: 'ca.revoked',
        serial: normal,
        identifiers: result.record.identifiers.map(describeIdentifier),
        reason,
        requestedBy: requestedBy ?? null,
      },
      'certificate revoked',
    );
    await this.#s.crl.regenerate();
    return result.record;
  }

  /** The record of `serial` (any hex form); undefined when unknown or not hex. */
  async get(serial: string): Promise<CertificateRecord | undefined> {
    if (typeof serial !== 'string') throw new TypeError('serial must be a hex string');
    let normal: string;
    try {
      normal = normalizeSerial(serial);
    } catch {
      return undefined;
    }
    return this.#s.store.get(normal);
  }

  list(filter: ListFilter = {}): Promise<CertificateRecord[]> {
    const { status, expiringWithinSeconds, limit } = filter;
    if (status !== undefined && !['valid', 'revoked', 'expired'].includes(status)) {
      throw new TypeError('status must be valid, revoked or expired');
    }
    if (expiringWithinSeconds !== undefined && !(expiringWithinSeconds > 0)) {
      throw new RangeError('expiringWithinSeconds must be positive');
    }
    if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
      throw new RangeError('limit must be a positive whole number');
    }
    return this.#s.store.list({ ...filter, now: this.#s.clock() });
  }

  currentCrl(): Promise<CurrentCrl> {
    return this.#s.crl.current();
  }

  /** Answers a DER OCSPRequest; malformed and foreign requests get their RFC 6960 status. */
  async ocsp(request: Uint8Array): Promise<OcspAnswer> {
    const answer = await answerOcsp(request, {
      issuer: this.#s.intermediate,
      responder: await this.#s.responder.current(),
      lookup: (serial) => this.#s.store.get(serial),
      now: this.#s.clock(),
      validitySeconds: this.#s.config.ocspValiditySeconds,
    });
    this.#metrics?.ocspResponses.inc({ status: answer.status });
    return answer;
  }

  /** Waits for a CRL signing or responder rotation in progress, then closes the store. */
  async close(): Promise<void> {
    await this.#s.responder.settled();
    await this.#s.crl.settled();
    await this.#s.store.close();
  }
}
