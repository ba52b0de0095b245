/**
 * The one catalogue of error codes. Users match on `code`, so a code never changes meaning
 * once released; docs/errors.md lists the same codes and a test keeps the two in sync.
 */
export const ERROR_CODES = {
  WT_ERR_WIRE_DECODE: 'Bytes received from a peer do not form a valid TLS structure.',
  WT_ERR_WIRE_TOO_LARGE: 'A peer announced a length above the cap wiretight accepts.',
  WT_ERR_WIRE_ENCODE: 'A value does not fit the TLS structure it was written into.',
  WT_ERR_WIRE_DECRYPT: 'A protected TLS record could not be decrypted or authenticated.',
  WT_ERR_PROBE_DNS: 'The target host name could not be resolved.',
  WT_ERR_PROBE_CONNECT: 'The TCP connection to the target was refused or could not be made.',
  WT_ERR_PROBE_TIMEOUT: 'The peer did not answer within the timeout.',
  WT_ERR_PROBE_RESET: 'The peer reset the connection.',
  WT_ERR_PROBE_CLOSED: 'The peer closed the connection before the exchange was complete.',
  WT_ERR_PROBE_ABORTED: 'The operation was cancelled.',
  WT_ERR_SCAN_UNREACHABLE: 'The target could not be reached at all.',
  WT_ERR_SCAN_NOT_TLS: 'The target answered, but not with TLS.',
  WT_ERR_SCAN_DEADLINE:
    "The scan of a target was stopped by its time limit (--target-timeout) or the run's (--deadline).",
  WT_ERR_SCAN_HANDSHAKE_REFUSED:
    'The target accepted connections but completed no TLS hello of any version.',
  WT_ERR_SCAN_CLIENT_PROFILE:
    'A client-simulation profile is not valid: bad hex, a malformed ClientHello, or a missing or wrong field.',
  WT_ERR_STARTTLS_REFUSED:
    "The server does not offer STARTTLS (or its protocol's TLS upgrade), refused it, or has TLS off.",
  WT_ERR_STARTTLS_PROTOCOL:
    'The cleartext dialogue before STARTTLS broke the protocol: garbage, an over-long line, an unexpected answer.',
  WT_ERR_PKI_CA_FILE: 'A trust-anchor file cannot be read or holds no valid certificate.',
  WT_ERR_PKI_FETCH:
    'Fetching certificate data over HTTP (AIA issuer, OCSP, CRL) failed, timed out or exceeded its cap.',
  WT_ERR_PKI_DECODE: 'An OCSP response, CRL or certificate bundle is not valid DER or PEM.',
  WT_ERR_CA_DIR:
    'A CA directory is missing, not initialised, already initialised, or holds a file that cannot be read.',
  WT_ERR_CA_PASSPHRASE:
    'The passphrase for a CA private key is missing, empty, or does not decrypt the key.',
  WT_ERR_CA_POLICY:
    'A certificate request breaks the provisioner policy: an identifier, key type, key size or lifetime that is not allowed.',
  WT_ERR_CA_CSR:
    'A certificate signing request is not valid DER, its signature does not verify, or it asks for what cannot be issued.',
  WT_ERR_CA_NOT_FOUND: 'No certificate with that serial number was issued by this CA.',
  WT_ERR_CA_REVOKED: 'The certificate is revoked, so it cannot be revoked again or renewed.',
  WT_ERR_CA_CONFIG:
    'A CA configuration or provisioner policy file cannot be read or breaks its format.',
  WT_ERR_CA_RENEW:
    'A renewal was refused: no client certificate, one this CA did not issue, or one that has expired.',
  WT_ERR_STORE_FAILED:
    'The embedded store (SQLite) could not be opened, migrated, read or written.',
  WT_ERR_ACME_REQUEST:
    'An ACME request was refused; the problem document sent to the client (type, detail) says why.',
  WT_ERR_TUNNEL_CREDENTIALS:
    'A tunnel certificate, key or CA bundle cannot be read, is over its size cap, does not parse, has expired, or the key does not match the certificate.',
  WT_ERR_CLI_USAGE: 'The command line is not valid.',
  WT_ERR_POLICY_INVALID:
    'A policy file (`--policy`) cannot be read or does not follow the policy format.',
  WT_ERR_TARGET_INVALID: 'A target is not a valid host[:port].',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class WiretightError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WiretightError';
    this.code = code;
  }

  /** The structured form printed by `--format json` and logged by services. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/**
 * A parse failure with where it happened: the byte offset inside the structure being read
 * and a path such as `ServerHello.extensions[2]`, so a bad peer can be diagnosed from
 * the error alone.
 */
export class DecodeError extends WiretightError {
  readonly offset: number;
  readonly path: string;

  constructor(path: string, offset: number, what: string) {
    super('WT_ERR_WIRE_DECODE', `${path} at byte ${offset}: ${what}`);
    this.name = 'DecodeError';
    this.offset = offset;
    this.path = path;
  }
}

export function isWiretightError(error: unknown): error is WiretightError {
  return error instanceof WiretightError;
}
