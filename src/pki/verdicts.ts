import type { AiaAttempt } from './aia.ts';
import type { ChainOrderFacts } from './chain-order.ts';
import { MAX_PATH_LENGTH, MAX_SIGNATURE_CHECKS } from './limits.ts';
import type { HostnameVerdict } from './hostname.ts';
import type { LeafFacts } from './leaf-facts.ts';
import type { RevocationFacts } from './revocation/revocation-facts.ts';
import type { KeyStrength, SignatureStrength } from './strength.ts';
import type { AnchorSource } from './trust-store.ts';
import type { ValidityFacts } from './validity.ts';

/** Why a chain is not trusted: stable ids (users match on them) and what each means. */
export const TRUST_REASONS = {
  'no-certificate': 'the server sent no certificate',
  'unparseable-leaf': 'the leaf certificate cannot be parsed',
  'self-signed': 'the leaf is self-signed and is not a trust anchor',
  'untrusted-root': 'the chain ends at a self-signed certificate that is not a trust anchor',
  'unknown-issuer':
    'an issuer was neither sent by the server nor is a trust anchor (a client that does not fetch missing intermediates stops here)',
  'bad-signature': 'a signature in the chain does not verify with its issuer’s key',
  expired: 'a certificate of the chain has expired',
  'not-yet-valid': 'a certificate of the chain is not valid yet',
  'not-a-ca': 'a certificate that issued another is not a CA (basicConstraints)',
  'path-length-exceeded': 'a CA’s pathLenConstraint allows fewer intermediates below it',
  'limit-exceeded': `the chain goes past wiretight’s caps (${MAX_PATH_LENGTH} certificates in a path, ${MAX_SIGNATURE_CHECKS} signature checks)`,
} as const;

export type TrustReason = keyof typeof TRUST_REASONS;

/** Whether a client holding this trust store would accept the chain (host name aside). */
export interface TrustVerdict {
  /** Accepted by a client that does not fetch missing intermediates (OpenSSL, Go, Java…). */
  readonly trusted: boolean;
  /** Why not, most decisive first; empty when trusted. */
  readonly reasons: TrustReason[];
  /** Where the anchor the path ends at came from; null when it ends at none. */
  readonly anchorSource: AnchorSource | null;
  /** The anchor is one of Mozilla's roots: the CA/Browser Forum rules apply to the leaf. */
  readonly publiclyTrusted: boolean;
}

/** One certificate of the path from the leaf to the anchor, as built. */
export interface PathCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly sha256: string;
  /** Sent by the server, fetched through AIA, or taken from the trust store. */
  readonly source: 'sent' | 'fetched' | 'trust-store';
  /** Position in the chain as sent (0 = leaf); null when not sent. */
  readonly position: number | null;
  /** This certificate is the trust anchor the path ends at. */
  readonly anchor: boolean;
  readonly validity: ValidityFacts;
}

/** How complete and how well laid out the chain as sent is. */
export interface ChainVerdict extends ChainOrderFacts {
  /** Certificates the server sent. */
  readonly sent: number;
  /** The server left out an intermediate: an issuer that is not a root was not sent. */
  readonly incomplete: boolean;
  /** Issuer (DN) of the first certificate whose issuer was not sent; null when complete. */
  readonly missingIssuer: string | null;
  /** Incomplete, but trusted once the missing certificates were fetched through AIA. */
  readonly trustedAfterCompletion: boolean;
  /** caIssuers fetches made to complete the chain. */
  readonly aia: AiaAttempt[];
}

/** One certificate as the server sent it, judged on its own. */
export interface ServedCertificate {
  /** Position in the chain as sent (0 = leaf). */
  readonly position: number;
  readonly sha256: string;
  /** null when the certificate cannot be parsed at all. */
  readonly subject: string | null;
  /** Why it cannot be used, when it cannot be parsed. */
  readonly parseError?: string;
  /** Part of the path to the anchor. */
  readonly inPath: boolean;
  /** A trust anchor itself (its self-signature is not judged: no client checks it). */
  readonly anchor: boolean;
  readonly key: KeyStrength | null;
  readonly signature: SignatureStrength | null;
  readonly validity: ValidityFacts | null;
}

/**
 * Everything wiretight concludes about a server's certificates; plain JSON for the scan
 * report. Rules turn it into findings (src/scan/rules/certificates.ts).
 */
export interface CertificateVerdicts {
  /** The name or IP address the certificates were checked for (the SNI name sent). */
  readonly host: string;
  /** The instant the verdicts hold at (ISO 8601). */
  readonly checkedAt: string;
  readonly trust: TrustVerdict;
  /** Leaf first; empty when there is no parseable leaf. */
  readonly path: PathCertificate[];
  readonly chain: ChainVerdict;
  /** null when there is no parseable leaf. */
  readonly hostname: HostnameVerdict | null;
  /** Each certificate sent, in the order sent. */
  readonly served: ServedCertificate[];
  /** null when there is no parseable leaf. */
  readonly leaf: LeafFacts | null;
  /** One fact per revocation source consulted (stapled OCSP, OCSP, CRL). */
  readonly revocation: RevocationFacts[];
}
