/**
 * The CA's own HTTP surface, mounted by `wiretight ca serve`: the OCSP responder, the CRL
 * distribution point with the root and intermediate, and the mTLS renewal endpoint.
 */
import type { FastifyInstance } from 'fastify';
import { registerCrlRoutes } from './crl-routes.ts';
import { registerOcspRoutes } from './ocsp-routes.ts';
import type { CaHttpAuthority } from './port.ts';
import { registerRenewRoute } from './renew-route.ts';

export type { CaHttpAuthority, OcspStatus } from './port.ts';
export { MAX_OCSP_REQUEST_BYTES, decodeGetRequest } from './ocsp-routes.ts';
export { MAX_RENEW_CSR_BYTES } from './renew-route.ts';

/** OCSP and CRL are signed objects, fine over plain HTTP (where most relying parties fetch them). */
export function registerRevocationRoutes(app: FastifyInstance, ca: CaHttpAuthority): void {
  registerOcspRoutes(app, ca);
  registerCrlRoutes(app, ca);
}

/** Everything, for the HTTPS listener: revocation routes plus renewal, which needs mTLS. */
export function registerCaRoutes(app: FastifyInstance, ca: CaHttpAuthority): void {
  registerRevocationRoutes(app, ca);
  registerRenewRoute(app, ca);
}
