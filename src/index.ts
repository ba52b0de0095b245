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
