import { X509Certificate, createHash } from 'node:crypto';

/** What the scan report says of each certificate; always filled, valid chain or not. */
export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subjectAltNames: string[];
  readonly publicKey: {
    readonly type: string;
    readonly bits: number | null;
    readonly curve?: string;
  };
  readonly signatureAlgorithm: string;
  readonly isCa: boolean;
  readonly selfIssued: boolean;
  readonly sha256: string;
  readonly pem: string;
}

/** A certificate as sent that OpenSSL cannot parse: kept, with why, never dropped. */
export interface UnparsedCertificate {
  readonly parseError: string;
  readonly sha256: string;
  readonly pem: string;
}

/** One entry of a chain as sent. */
export type ChainEntry = CertificateFacts | UnparsedCertificate;

export function isUnparsed(entry: ChainEntry): entry is UnparsedCertificate {
  return 'parseError' in entry;
}

export type CertificateParseResult =
  | { readonly ok: true; readonly facts: CertificateFacts }
  | { readonly ok: false; readonly certificate: UnparsedCertificate };

/** Curve sizes for keys where OpenSSL reports only the curve name. */
const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  prime192v1: 192,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

const OKP_BITS: Record<string, number> = { ed25519: 256, ed448: 456, x25519: 256, x448: 448 };

/** `CN=a\nO=b` (OpenSSL's multi-line form) → `CN=a, O=b`. */
// Node reports an empty Name (an IP- or URI-only leaf, its names in a critical SAN) as
// undefined, whatever its typings say.
function oneLine(dn: string | undefined): string {
  return (dn ?? '').split('\n').filter(Boolean).join(', ');
}

function splitSans(san: string | undefined): string[] {
  if (san === undefined || san === '') return [];
  // Node quotes entries that contain commas; split only on the separators between entries.
  // OpenSSL spells IP entries `IP Address:`; the report uses the short form of RFC 5280 tools.
  const entries = san.match(/(?:[^,"]+|"[^"]*")+/g) ?? [];
  return entries.map((s) => s.trim().replace(/^IP Address:/, 'IP:'));
}

function publicKeyFacts(cert: X509Certificate): CertificateFacts['publicKey'] {
  const key = cert.publicKey;
  const type = key.asymmetricKeyType ?? 'unknown';
  const d = key.asymmetricKeyDetails ?? {};
  if (d.modulusLength !== undefined) return { type, bits: d.modulusLength };
  if (d.namedCurve !== undefined)
    return { type, bits: CURVE_BITS[d.namedCurve] ?? null, curve: d.namedCurve };
  return { type, bits: OKP_BITS[type] ?? null };
}

function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

const BAD_TIME = 'Bad time value';

function hasValidDates(cert: X509Certificate): boolean {
  return (
    cert.validFrom !== BAD_TIME &&
    cert.validTo !== BAD_TIME &&
    !Number.isNaN(cert.validFromDate.getTime()) &&
    !Number.isNaN(cert.validToDate.getTime())
  );
}

/**
 * Reads a DER certificate as sent by a server. A certificate OpenSSL cannot parse is a
 * fact too (the server sent garbage), so this returns rather than throws.
 */
export function describeCertificate(der: Uint8Array): CertificateParseResult {
  const sha256 = createHash('sha256').update(der).digest('hex');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (err) {
    const parseError = err instanceof Error ? err.message : String(err);
    return { ok: false, certificate: { parseError, sha256, pem: toPem(der) } };
  }
  // OpenSSL parses a certificate whose validity times are malformed and leaves them to be
  // read later; such a certificate is unusable. Node then prints "Bad time value" but
  // its Date is not reliably invalid (sometimes a date in year 72528), so check both.
  if (!hasValidDates(cert)) {
    const parseError = `invalid validity dates (notBefore "${cert.validFrom}", notAfter "${cert.validTo}")`;
    return { ok: false, certificate: { parseError, sha256, pem: toPem(der) } };
  }
  return {
    ok: true,
    facts: {
      subject: oneLine(cert.subject),
      issuer: oneLine(cert.issuer),
      serialNumber: cert.serialNumber.toLowerCase(),
      notBefore: cert.validFromDate.toISOString(),
      notAfter: cert.validToDate.toISOString(),
      subjectAltNames: splitSans(cert.subjectAltName),
      publicKey: publicKeyFacts(cert),
      signatureAlgorithm: cert.signatureAlgorithm ?? 'unknown',
      isCa: cert.ca,
      selfIssued: cert.subject === cert.issuer,
      sha256,
      pem: toPem(der),
    },
  };
}
