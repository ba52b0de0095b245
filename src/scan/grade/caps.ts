/**
 * The rules that cap a grade, after the SSL Labs rating guide and its yearly changes, keyed
 * by the finding that triggers them. Where wiretight deviates from the guide the entry
 * says why (docs/grade.md lists the same table).
 */
import type { FindingId } from '../findings/catalogue.ts';
import type { Finding } from '../findings/index.ts';

export type CapLetter = 'A-' | 'B' | 'C' | 'F' | 'T' | 'M';

export interface CapRule {
  readonly letter: CapLetter;
  readonly reason: string;
}

type CapDecision = (f: Finding) => CapRule | undefined;

const cap =
  (letter: CapLetter, reason: string): CapDecision =>
  () => ({ letter, reason });

const numberDetail = (f: Finding, key: string): number | undefined => {
  const v = f.details?.[key];
  return typeof v === 'number' ? v : undefined;
};

export const CAP_RULES: Partial<Record<FindingId, CapDecision>> = {
  'protocol.sslv2': cap('F', 'SSLv2 is enabled'),
  'protocol.sslv3': cap('C', 'SSLv3 is enabled (POODLE)'),
  'protocol.tls10': cap('B', 'TLS 1.0 is enabled'),
  'protocol.tls11': cap('B', 'TLS 1.1 is enabled'),
  'suite.null': cap('F', 'suites without encryption are accepted'),
  'suite.anonymous': cap('F', 'anonymous suites are accepted'),
  'suite.export': cap('F', 'export suites are accepted'),
  'suite.rc4': cap('C', 'RC4 is accepted'),
  'suite.3des': cap('C', '64-bit block ciphers are accepted (SWEET32)'),
  'suite.no-forward-secrecy': cap('A-', 'some suites lack forward secrecy'),
  'kex.weak-dh': (f) =>
    (numberDetail(f, 'primeBits') ?? 0) < 1024
      ? { letter: 'F', reason: 'DH parameters below 1024 bits' }
      : { letter: 'B', reason: 'DH parameters below 2048 bits' },
  'kex.weak-ecdh': cap('B', 'elliptic curves below 224 bits are accepted'),
  'cert.expired': cap('T', 'the certificate has expired'),
  'cert.not-yet-valid': cap('T', 'the certificate is not valid yet'),
  'cert.untrusted': cap('T', 'the chain does not lead to a trusted root'),
  'cert.self-signed': cap('T', 'the certificate is self-signed'),
  'cert.hostname-mismatch': cap('M', 'the certificate does not match the host name'),
  'cert.revoked': cap('F', 'the certificate is revoked'),
  'cert.chain-incomplete': cap('B', 'the chain is incomplete'),
  'cert.weak-key': (f) =>
    (numberDetail(f, 'bits') ?? 0) < 1024
      ? { letter: 'F', reason: 'the certificate key is below 1024 bits' }
      : { letter: 'B', reason: 'the certificate key is below 2048 bits' },
  'cert.weak-signature': (f) =>
    f.details?.['hash'] === 'md5'
      ? { letter: 'F', reason: 'a certificate is signed with MD5' }
      : { letter: 'T', reason: 'a certificate is signed with SHA-1, which browsers distrust' },
  'vuln.heartbleed': cap('F', 'vulnerable to Heartbleed'),
  'vuln.ccs-injection': cap('F', 'vulnerable to CCS injection'),
  'vuln.robot': cap('F', 'vulnerable to ROBOT'),
  'vuln.drown': cap('F', 'vulnerable to DROWN'),
  'vuln.freak': cap('F', 'vulnerable to FREAK'),
  'vuln.logjam': (f) =>
    (f.details?.['suites'] as readonly string[] | undefined)?.length
      ? { letter: 'F', reason: 'export DHE suites are accepted (Logjam)' }
      : { letter: 'B', reason: 'DH parameters of 1024 bits or less (Logjam)' },
  'vuln.poodle': cap('C', 'SSLv3 with CBC (POODLE)'),
  'vuln.compression': cap('C', 'TLS compression is enabled (CRIME)'),
  'vuln.insecure-renegotiation': cap('A-', 'secure renegotiation is not supported'),
  'vuln.client-renegotiation': cap('A-', 'client-initiated renegotiation is accepted'),
  'vuln.no-fallback-scsv': cap('A-', 'TLS_FALLBACK_SCSV is not supported'),
  'vuln.early-data': cap('A-', '0-RTT early data is accepted'),
};

/** When insecure renegotiation meets client-initiated renegotiation, the guide gives an F. */
export const INSECURE_CLIENT_RENEGOTIATION: CapRule = {
  letter: 'F',
  reason: 'insecure client-initiated renegotiation is possible',
};
