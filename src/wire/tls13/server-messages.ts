import { ByteReader } from '../../core/bytes.ts';
import { decodeServerAlpn } from '../extensions/alpn.ts';
import { decodeCertificateAuthorities } from '../extensions/certificate-authorities.ts';
import { type Extension, findExtension, parseExtensions } from '../extensions/extension.ts';
import { decodeSignatureAlgorithms } from '../extensions/signature-algorithms.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';

/**
 * Parsers for the messages of a TLS 1.3 server's encrypted flight (RFC 8446 §4.3–4.4),
 * each given the message body (without its 4-byte header). Every length is checked against
 * what is left, and unknown extensions are kept byte for byte. Extension data is decoded
 * by the codecs in ../extensions, as it is in a ServerHello.
 */

export interface EncryptedExtensions {
  readonly extensions: readonly Extension[];
  /** The ALPN protocol the server selected, decoded as decodeAlpn decodes it (UTF-8). */
  readonly alpn?: string;
}

export interface CertificateRequest {
  readonly context: Uint8Array;
  readonly extensions: readonly Extension[];
  readonly signatureAlgorithms?: readonly number[];
  readonly signatureAlgorithmsCert?: readonly number[];
  /** DER-encoded DistinguishedNames of the CAs the server accepts client certificates from. */
  readonly certificateAuthorities?: readonly Uint8Array[];
}

export interface CertificateEntry {
  readonly der: Uint8Array;
  readonly extensions: readonly Extension[];
}

export interface Certificate {
  readonly context: Uint8Array;
  readonly entries: readonly CertificateEntry[];
}

export interface CertificateVerify {
  readonly scheme: number;
  readonly signature: Uint8Array;
}

export interface Finished {
  readonly verifyData: Uint8Array;
}

export function parseEncryptedExtensions(body: Uint8Array): EncryptedExtensions {
  const r = new ByteReader(body, 'EncryptedExtensions');
  const extensions = parseExtensions(r);
  r.expectEnd();
  const alpn = findExtension(extensions, X.application_layer_protocol_negotiation);
  if (alpn === undefined) return { extensions };
  return { extensions, alpn: decodeServerAlpn(alpn.data) };
}

export function parseCertificateRequest(body: Uint8Array): CertificateRequest {
  const r = new ByteReader(body, 'CertificateRequest');
  const context = r.vector(1, 'certificate_request_context');
  const extensions = parseExtensions(r, 'extensions', 2);
  r.expectEnd();
  const data = (type: number): Uint8Array | undefined => findExtension(extensions, type)?.data;
  const sigalgs = data(X.signature_algorithms);
  const sigalgsCert = data(X.signature_algorithms_cert);
  const authorities = data(X.certificate_authorities);
  return {
    context,
    extensions,
    ...(sigalgs && { signatureAlgorithms: decodeSignatureAlgorithms(sigalgs) }),
    ...(sigalgsCert && {
      signatureAlgorithmsCert: decodeSignatureAlgorithms(sigalgsCert, 'signature_algorithms_cert'),
    }),
    ...(authorities && { certificateAuthorities: decodeCertificateAuthorities(authorities) }),
  };
}

export function parseCertificate(body: Uint8Array): Certificate {
  const r = new ByteReader(body, 'Certificate');
  const context = r.vector(1, 'certificate_request_context');
  const list = r.sub(3, 'certificate_list');
  r.expectEnd();
  const entries: CertificateEntry[] = [];
  while (!list.atEnd) {
    const i = entries.length;
    const der = list.vector(3, `[${i}].cert_data`, 1);
    const extensions = parseExtensions(list, `[${i}].extensions`);
    entries.push({ der, extensions });
  }
  return { context, entries };
}

export function parseCertificateVerify(body: Uint8Array): CertificateVerify {
  const r = new ByteReader(body, 'CertificateVerify');
  const scheme = r.u16('algorithm');
  const signature = r.vector(2, 'signature');
  r.expectEnd();
  return { scheme, signature };
}

export function parseFinished(body: Uint8Array): Finished {
  const r = new ByteReader(body, 'Finished');
  if (r.remaining === 0) r.fail('verify_data is empty');
  return { verifyData: r.rest() };
}
