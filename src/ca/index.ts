// The CA's one public door: the authority, `ca init`, the store interface the backends
// implement, the policy, and the helpers the CLI and the ACME server share.
export {
  CertificateAuthority,
  type ListFilter,
  type OpenCaOptions,
  type RenewOptions,
} from './authority.ts';
export { CA_FILES, caPath } from './ca-dir.ts';
export { CA_METRICS } from './ca-metrics.ts';
export { CLOCK_SKEW_SECONDS } from './certificate-builder.ts';
export { type CaConfig, CONFIG_FORMAT } from './config.ts';
export type { CurrentCrl } from './crl-publisher.ts';
export { MAX_CSR_BYTES, csrFromFile, parseCsr, type ParsedCsr } from './csr.ts';
export { formatDuration, parseDuration } from './duration.ts';
export {
  MAX_IDENTIFIERS,
  describeIdentifier,
  normalizeIdentifier,
  normalizeIdentifiers,
  sameIdentifiers,
} from './identifiers.ts';
export { type InitOptions, type InitResult, MIN_PASSPHRASE_LENGTH, initCa } from './init.ts';
export { encryptPrivateKey } from './key-file.ts';
export {
  KEY_TYPES,
  type KeyPair,
  type KeyType,
  describePublicKey,
  generateKeyPair,
  isKeyAlgorithm,
} from './keys.ts';
export { readConfig } from './load.ts';
export { MAX_OCSP_REQUEST_BYTES, type OcspAnswer, type OcspStatus } from './ocsp.ts';
export { MAX_POLICY_BYTES, parsePolicy, renderPolicy } from './policy-file.ts';
export { DEFAULT_POLICY, type ProvisionerPolicy } from './policy.ts';
export { normalizeSerial } from './serial.ts';
export type {
  CaStore,
  CertificateCounts,
  CertificateQuery,
  ListStatus,
  RevokeOutcome,
  RevokedEntry,
  StoredCrl,
} from './store.ts';
export {
  CERTIFICATE_USAGES,
  type CertificateRecord,
  type CertificateStatus,
  type CertificateUsage,
  type CsrIssueOptions,
  type Identifier,
  type IdentifierType,
  type IssueRequest,
  type IssuedCertificate,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  type Provisioner,
  REVOCATION_REASONS,
  type RevocationReason,
} from './types.ts';
