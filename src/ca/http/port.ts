/**
 * What the CA's HTTP routes need from the authority: the part of `CertificateAuthority`
 * they call. Kept as an interface here, at its user, so the routes can be exercised with
 * any authority and do not reach into the rest of the class.
 */
import type { OcspStatus } from '../ocsp.ts';
import type { IssuedCertificate } from '../types.ts';

export type { OcspStatus };

export interface CaHttpAuthority {
  readonly rootPem: string;
  readonly intermediatePem: string;
  currentCrl(): Promise<{ der: Uint8Array; thisUpdate: Date; nextUpdate: Date; number: bigint }>;
  ocsp(request: Uint8Array): Promise<{ der: Uint8Array; status: OcspStatus }>;
  renew(
    current: Uint8Array,
    options?: { csr?: Uint8Array; requestedBy?: string },
  ): Promise<IssuedCertificate>;
}
