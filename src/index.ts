// The public API of the wiretight package. Named exports only; the CLI is one user of it.
export {
  scanEndpoint,
  type ScanOptions,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
} from './scan/engine.ts';
export {
  parseTarget,
  defaultSni,
  type ScanTarget,
  type Resolver,
  DEFAULT_PORT,
} from './scan/target.ts';
export {
  SCAN_SCHEMA,
  type ScanReport,
  type SuiteReport,
  type KeyExchangeReport,
  type TargetReport,
  type ScanErrorReport,
  type PlaintextAnswer,
} from './scan/report.ts';
export { renderText, renderJson, type TextOptions } from './report/index.ts';
export {
  type CertificateFacts,
  type ChainEntry,
  type UnparsedCertificate,
  describeCertificate,
  isUnparsed,
} from './pki/index.ts';
export {
  ERROR_CODES,
  type ErrorCode,
  WiretightError,
  DecodeError,
  isWiretightError,
} from './errors.ts';
export { type Dialer, type Endpoint } from './probe/connection.ts';
export { PROTOCOL_NAMES, type ProtocolName } from './wire/registry/versions.ts';
export {
  CIPHER_SUITES,
  type CipherSuite,
  cipherSuite,
  cipherSuiteByHex,
  suiteIdHex,
} from './wire/registry/cipher-suites.ts';
export { GROUPS, groupName } from './wire/registry/groups.ts';
export { VERSION } from './version.ts';
// The internal CA, its ACME server and the service that serves both (docs/ca.md).
export {
  CertificateAuthority,
  type OpenCaOptions,
  initCa,
  type InitOptions,
  type CertificateRecord,
  type IssuedCertificate,
  type IssueRequest,
  type CsrIssueOptions,
  type Identifier,
  type ProvisionerPolicy,
  type CaStore,
} from './ca/index.ts';
export { registerAcme, type AcmeOptions, type AcmeStore } from './acme/index.ts';
export { startCaService, type CaService, type CaServiceOptions } from './acme/service.ts';
export { openCaStore } from './store/index.ts';
export { createRegistry } from './metrics/index.ts';
