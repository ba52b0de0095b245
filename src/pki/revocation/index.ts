export { type RevocationFacts, crlReasonName } from './revocation-facts.ts';
export { type RevocationOptions, CRL_MAX_BYTES, OCSP_MAX_BYTES, checkRevocation } from './check.ts';
export { buildOcspRequest } from './ocsp-request.ts';
export { type OcspCheck, checkOcspResponse } from './ocsp-response.ts';
export { type CrlCheck, checkCrl } from './crl.ts';
