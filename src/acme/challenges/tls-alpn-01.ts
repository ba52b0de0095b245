/**
 * tls-alpn-01 (RFC 8737): a TLS handshake offering only the `acme-tls/1` protocol, with the
 * identifier as SNI (RFC 8738 §6: an IP's reverse-DNS name). The server must negotiate
 * `acme-tls/1` and present a certificate whose only SAN is the identifier and whose
 * critical id-pe-acmeIdentifier extension holds SHA-256 of the key authorization. The
 * certificate is self-signed by design, so it is not verified.
 */
import { connect } from 'node:tls';
import { bytesEqual } from '../../core/bytes.ts';
import { certificateParts, findExtension } from '../../pki/certificate-parts.ts';
import { OID, decodeSubjectAltName } from '../../pki/extensions.ts';
import type { Identifier } from '../../ca/types.ts';
import { problemDocument } from '../problems.ts';
import { ipBytes, reverseDnsName } from './ip-address.ts';
import { keyAuthorizationDigest } from './key-authorization.ts';
import { addressOf, failureProblem } from './network.ts';
import { VALID, type ValidationOutcome, type Validator } from './types.ts';

export const ACME_TLS_ALPN = 'acme-tls/1';
export const ACME_IDENTIFIER_OID = '1.3.6.1.5.5.7.1.31';

type Handshake =
  | { readonly alpn: string | false; readonly der: Uint8Array | undefined }
  | { readonly error: unknown };

function handshake(
  address: string,
  port: number,
  servername: string,
  signal: AbortSignal,
): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({
      host: address,
      port,
      servername,
      ALPNProtocols: [ACME_TLS_ALPN],
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
    const abort = (): void => {
      socket.destroy();
      resolve({ error: signal.reason });
    };
    signal.addEventListener('abort', abort, { once: true });
    if (signal.aborted) abort();
    const finish = (result: Handshake): void => {
      signal.removeEventListener('abort', abort);
      socket.destroy();
      resolve(result);
    };
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate(false).raw as Buffer | undefined;
      finish({
        alpn: socket.alpnProtocol ?? false,
        der: raw === undefined ? undefined : new Uint8Array(raw),
      });
    });
    socket.once('error', (error) => finish({ error }));
  });
}

/** Why the presented certificate does not prove control, or undefined when it does. */
export function certificateProblem(
  der: Uint8Array,
  identifier: Identifier,
  keyAuthorization: string,
): string | undefined {
  let parts;
  try {
    parts = certificateParts(der);
  } catch {
    return 'the certificate is not valid DER';
  }
  const san = findExtension(parts, OID.subjectAltName);
  let names;
  try {
    names = san === undefined ? undefined : decodeSubjectAltName(san.value);
  } catch {
    return 'the subjectAltName extension is malformed';
  }
  const wanted = identifier.type === 'ip' ? ipBytes(identifier.value) : undefined;
  const only =
    names !== undefined &&
    names.dnsNames.length + names.ipAddresses.length === 1 &&
    (identifier.type === 'dns'
      ? names.dnsNames[0]?.toLowerCase() === identifier.value
      : wanted !== undefined &&
        names.ipAddresses[0] !== undefined &&
        bytesEqual(names.ipAddresses[0], wanted));
  if (!only) return `the certificate's subjectAltName is not exactly ${identifier.value}`;
  const acme = findExtension(parts, ACME_IDENTIFIER_OID);
  if (acme === undefined || !acme.critical) {
    return 'the certificate has no critical acmeIdentifier extension';
  }
  const expected = Buffer.concat([
    Buffer.from([0x04, 0x20]),
    keyAuthorizationDigest(keyAuthorization),
  ]);
  if (!bytesEqual(acme.value, expected)) {
    return "the acmeIdentifier extension does not hold the key authorization's digest";
  }
  return undefined;
}

export const validateTlsAlpn01: Validator = async (target, settings, signal) => {
  const { identifier, keyAuthorization } = target;
  const servername = identifier.type === 'ip' ? reverseDnsName(identifier.value) : identifier.value;
  const where = `${identifier.value}:${settings.tlsAlpn01Port} (tls-alpn-01)`;
  let address: string | undefined;
  try {
    address = await addressOf(identifier, settings, signal);
  } catch (error) {
    return { valid: false, problem: failureProblem(error, where, signal, settings.timeoutMs) };
  }
  if (address === undefined || servername === undefined) {
    return {
      valid: false,
      problem: problemDocument('dns', `${where}: ${identifier.value} has no address`),
    };
  }
  const result = await handshake(address, settings.tlsAlpn01Port, servername, signal);
  return judge(result, where, identifier, keyAuthorization, signal, settings.timeoutMs);
};

function judge(
  result: Handshake,
  where: string,
  identifier: Identifier,
  keyAuthorization: string,
  signal: AbortSignal,
  timeoutMs: number,
): ValidationOutcome {
  if ('error' in result) {
    return { valid: false, problem: failureProblem(result.error, where, signal, timeoutMs) };
  }
  if (result.alpn !== ACME_TLS_ALPN) {
    return {
      valid: false,
      problem: problemDocument('tls', `${where}: the server did not negotiate ${ACME_TLS_ALPN}`),
    };
  }
  const why =
    result.der === undefined
      ? 'the server presented no certificate'
      : certificateProblem(result.der, identifier, keyAuthorization);
  return why === undefined
    ? VALID
    : { valid: false, problem: problemDocument('incorrectResponse', `${where}: ${why}`) };
}
