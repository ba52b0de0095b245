export {
  type CertificateFacts,
  type CertificateParseResult,
  type ChainEntry,
  type UnparsedCertificate,
  describeCertificate,
  isUnparsed,
} from './certificate-facts.ts';
