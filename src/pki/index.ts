export {
  type CertificateFacts,
  type CertificateParseResult,
  type ChainEntry,
  type UnparsedCertificate,
  describeCertificate,
  isUnparsed,
} from './certificate-facts.ts';
export {
  type AnchorSource,
  type CaFile,
  type TrustAnchor,
  type TrustStoreOptions,
  MAX_CA_FILE_BYTES,
  TrustStore,
  defaultTrustStore,
  parseCaFile,
  readCaFile,
} from './trust-store.ts';
export { type FetchRequest, type Fetcher, httpFetcher } from './fetcher.ts';
export {
  type VerifyOptions,
  DEFAULT_FETCH_TIMEOUT_MS,
  verifyCertificates,
} from './verify-certificates.ts';
export {
  type CertificateVerdicts,
  type ChainVerdict,
  type PathCertificate,
  type ServedCertificate,
  type TrustReason,
  type TrustVerdict,
  TRUST_REASONS,
} from './verdicts.ts';
export type { AiaAttempt } from './aia.ts';
export type { ChainOrderFacts } from './chain-order.ts';
export { type HostnameVerdict, matchHostname } from './hostname.ts';
export type { LeafFacts } from './leaf-facts.ts';
export type { KeyStrength, SignatureStrength } from './strength.ts';
export type { ValidityFacts } from './validity.ts';
export {
  type RevocationFacts,
  buildOcspRequest,
  checkCrl,
  checkOcspResponse,
  checkRevocation,
} from './revocation/index.ts';
