/**
 * What ACME reads from the certificates it issued: the serial in the CA's form, the RFC 9773
 * certID that names a certificate for renewal information and `replaces`, and the renewal
 * window it suggests.
 */
import { certificateParts, findExtension } from '../pki/certificate-parts.ts';
import { contextPrimitiveTag, derElement, derSequence, integerMagnitude } from '../pki/der.ts';
import type { CertificateRecord } from '../ca/types.ts';
import { decodeBase64url } from './jws/flattened.ts';

const AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';

/** The store's serial: lower-case hex of the INTEGER's magnitude (no DER sign byte). */
export function serialHex(contents: Uint8Array): string {
  return Buffer.from(integerMagnitude(contents)).toString('hex');
}

/** The keyIdentifier of a certificate's Authority Key Identifier, if it has one. */
export function authorityKeyId(der: Uint8Array): Uint8Array | undefined {
  const aki = findExtension(certificateParts(der), AUTHORITY_KEY_IDENTIFIER);
  if (aki === undefined) return undefined;
  const fields = derSequence(
    derElement(aki.value, 'AuthorityKeyIdentifier'),
    'AuthorityKeyIdentifier',
  );
  return fields.find((f) => f.tag === contextPrimitiveTag(0))?.body;
}

/** RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial INTEGER contents). */
export function certId(der: Uint8Array): string | undefined {
  const keyId = authorityKeyId(der);
  if (keyId === undefined) return undefined;
  const serial = certificateParts(der).serial;
  return `${Buffer.from(keyId).toString('base64url')}.${Buffer.from(serial).toString('base64url')}`;
}

export interface ParsedCertId {
  readonly keyId: Uint8Array;
  /** The serial in the store's form. */
  readonly serial: string;
}

/** The parts of a certID as a client sent it; undefined when it is not one. */
export function parseCertId(text: string): ParsedCertId | undefined {
  if (text.length > 512) return undefined;
  const [keyPart, serialPart, extra] = text.split('.');
  if (keyPart === undefined || serialPart === undefined || extra !== undefined) return undefined;
  const keyId = decodeBase64url(keyPart);
  const serial = decodeBase64url(serialPart);
  if (keyId === undefined || serial === undefined || keyId.length === 0 || serial.length === 0) {
    return undefined;
  }
  // The serial part is an INTEGER's contents: a leading 0x00 only before a high bit.
  if (
    (serial[0] === 0 && serial.length > 1 && ((serial[1] ?? 0) & 0x80) === 0) ||
    ((serial[0] ?? 0) & 0x80) !== 0
  ) {
    return undefined;
  }
  return { keyId, serial: serialHex(serial) };
}

export interface RenewalWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The window RFC 9773 suggests renewing in: between 2/3 and 5/6 of the lifetime, so a
 * 24 h certificate is renewed between hours 16 and 20 and a failed renewal still has hours
 * to be retried. A revoked certificate gets a window already past: renew now.
 */
export function renewalWindow(record: CertificateRecord, now: number): RenewalWindow {
  if (record.status === 'revoked') {
    return { start: new Date(now - 2 * 60_000), end: new Date(now - 60_000) };
  }
  const from = record.notBefore.getTime();
  const lifetime = record.notAfter.getTime() - from;
  return {
    start: new Date(from + Math.floor((lifetime * 2) / 3)),
    end: new Date(from + Math.floor((lifetime * 5) / 6)),
  };
}

/** How long a client should wait before asking again: a tenth of the lifetime, 1 min to 6 h. */
export function renewalRetryAfterSeconds(record: CertificateRecord): number {
  const lifetimeSeconds = (record.notAfter.getTime() - record.notBefore.getTime()) / 1000;
  return Math.min(6 * 3600, Math.max(60, Math.floor(lifetimeSeconds / 10)));
}
