// Why a TLS handshake did not produce an authorized connection, as one stable word for
// logs and metric labels, from the certificate verification code when there is one and
// else from the OpenSSL/Node error code. Unlisted codes fall back to `handshake-failed`
// and keep the raw code as the detail.
export const HANDSHAKE_FAILURES = {
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted-certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted-certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted-certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted-certificate',
  CERT_UNTRUSTED: 'untrusted-certificate',
  CERT_SIGNATURE_FAILURE: 'untrusted-certificate',
  CERT_HAS_EXPIRED: 'expired-certificate',
  CERT_NOT_YET_VALID: 'not-yet-valid-certificate',
  CERT_REVOKED: 'revoked-certificate',
  INVALID_PURPOSE: 'wrong-key-usage',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name-mismatch',
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'no-client-certificate',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'certificate-required',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'handshake-timeout',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'protocol-version',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'protocol-version',
  ERR_SSL_NO_SHARED_CIPHER: 'no-shared-cipher',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'no-shared-cipher',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not-tls',
  ERR_SSL_HTTP_REQUEST: 'not-tls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'not-tls',
  ERR_SSL_RECORD_LAYER_FAILURE: 'not-tls',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
} as const;

export type HandshakeFailureReason =
  (typeof HANDSHAKE_FAILURES)[keyof typeof HANDSHAKE_FAILURES] | 'handshake-failed';

export interface HandshakeFailure {
  readonly reason: HandshakeFailureReason;
  /** The raw verification or error code. */
  readonly detail: string;
}

const lookup = (code: string | undefined): HandshakeFailureReason | undefined =>
  code !== undefined && Object.hasOwn(HANDSHAKE_FAILURES, code)
    ? HANDSHAKE_FAILURES[code as keyof typeof HANDSHAKE_FAILURES]
    : undefined;

/**
 * `authorizationError` is the peer-certificate verdict Node records on the socket even
 * when it then resets the connection; it explains an ECONNRESET better than the reset.
 */
export function handshakeFailure(
  error: (Error & { code?: string }) | undefined,
  authorizationError?: string | Error | null,
): HandshakeFailure {
  const verify =
    authorizationError instanceof Error
      ? (authorizationError as Error & { code?: string }).code
      : (authorizationError ?? undefined);
  const byVerify = lookup(verify);
  if (byVerify !== undefined && verify !== undefined) return { reason: byVerify, detail: verify };
  const code = error?.code ?? error?.message ?? 'unknown';
  return { reason: lookup(code) ?? 'handshake-failed', detail: code };
}
