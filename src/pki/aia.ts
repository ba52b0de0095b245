import { WiretightError } from '../errors.ts';
import { TAG, contextTag, decodeOid, derElement, derSequence, expectTag } from './der.ts';
import { type Fetcher, fetchWithin } from './fetcher.ts';
import { pemBlocks } from './pem.ts';

/** One try at fetching a missing issuer from the caIssuers URL of a certificate's AIA. */
export interface AiaAttempt {
  readonly url: string;
  /**
   * `issuer-found`: the URL served the missing issuer. `not-the-issuer`: it served
   * certificates, none of which issued the certificate. `failed`: the fetch or the
   * parse failed (see `error`), or the URL is not plain http.
   */
  readonly outcome: 'issuer-found' | 'not-the-issuer' | 'failed';
  readonly error?: string;
}

export interface AiaLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** An intermediate is 1-2 KB and a .p7c bundle a few; nothing legitimate comes near this. */
export const AIA_MAX_BYTES = 256 * 1024;
/** At most this many certificates are read from one PKCS#7 bundle. */
export const AIA_MAX_CERTIFICATES = 10;

const SIGNED_DATA = '1.2.840.113549.1.7.2';

/** The certificates of a PKCS#7 (CMS) SignedData "certs-only" bundle. */
function pkcs7Certificates(der: Uint8Array): Uint8Array[] {
  const [type, content] = derSequence(derElement(der, 'ContentInfo'), 'ContentInfo');
  if (decodeOid(expectTag(type, TAG.OID, 'contentType').body) !== SIGNED_DATA) {
    throw new WiretightError('WT_ERR_PKI_DECODE', 'PKCS#7 bundle is not SignedData');
  }
  const [signedData] = derSequence(content, 'content', contextTag(0));
  const certificates = derSequence(signedData, 'SignedData').find((f) => f.tag === contextTag(0));
  if (certificates === undefined) return [];
  return derSequence(certificates, 'certificates', contextTag(0))
    .filter((c) => c.tag === TAG.SEQUENCE)
    .slice(0, AIA_MAX_CERTIFICATES)
    .map((c) => c.der);
}

/**
 * What a caIssuers URL serves (RFC 5280 §4.2.2.1): one DER certificate or a DER
 * "certs-only" PKCS#7 bundle; PEM of either is accepted too, as servers send it.
 */
export function decodeIssuerResponse(body: Uint8Array): Uint8Array[] {
  const text = Buffer.from(body.subarray(0, 64)).toString('latin1');
  if (text.includes('-----BEGIN ')) {
    return pemBlocks(Buffer.from(body).toString('latin1'))
      .flatMap((b) => (b.label === 'CERTIFICATE' ? [b.der] : pkcs7Certificates(b.der)))
      .slice(0, AIA_MAX_CERTIFICATES);
  }
  const [first] = derSequence(derElement(body, 'caIssuers response'), 'caIssuers response');
  // A certificate starts with its tbsCertificate SEQUENCE; a ContentInfo with an OID.
  return first?.tag === TAG.OID ? pkcs7Certificates(body) : [body];
}

/** Fetches and decodes a caIssuers URL; rejects with a WiretightError on any failure. */
export async function fetchIssuerCertificates(
  url: string,
  fetcher: Fetcher,
  limits: AiaLimits,
): Promise<Uint8Array[]> {
  const body = await fetchWithin(fetcher, {
    url,
    method: 'GET',
    maxBytes: limits.maxBytes,
    timeoutMs: limits.timeoutMs,
    ...(limits.signal === undefined ? {} : { signal: limits.signal }),
  });
  return decodeIssuerResponse(body);
}
