export {
  type CertificateFacts,
  type CertificateParseResult,
  describeCertificate,
} from './certificate-facts.ts';
