/**
 * Everything a handler reaches: the ports (CA, store), the in-memory parts of one server
 * (nonces, running validations) and its settings, built once by registerAcme.
 */
import type { Logger } from '../core/logger.ts';
import type { CertificateUsage } from '../ca/types.ts';
import type { AcmeCertificateAuthority } from './ca-port.ts';
import type { LifecycleDeps } from './lifecycle.ts';
import type { AcmeMetrics } from './metrics.ts';
import type { AccountKeyCache } from './jws/key-cache.ts';
import type { NonceStore } from './nonces.ts';
import type { ExternalAccountBindingOptions, ResolvedValidation } from './options.ts';
import type { AcmeStore } from './store.ts';
import type { ValidationRunner } from './validations.ts';

export interface AcmeContext extends LifecycleDeps {
  readonly ca: AcmeCertificateAuthority;
  readonly store: AcmeStore;
  readonly nonces: NonceStore;
  readonly keyCache: AccountKeyCache;
  readonly metrics: AcmeMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  /** The clients' view of the server's scheme, host and port, asked per request. */
  readonly baseUrl: () => string;
  readonly eab: ExternalAccountBindingOptions | undefined;
  readonly termsOfService: string | undefined;
  readonly validation: ResolvedValidation;
  readonly validations: ValidationRunner;
  readonly issuance: {
    readonly usage: CertificateUsage;
    readonly lifetimeSeconds: number | undefined;
  };
}
