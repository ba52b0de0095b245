import { toHex } from '../../core/bytes.ts';
import { WiretightError } from '../../errors.ts';

/** How many of the server's first bytes a refusal keeps, as the scan report does. */
export const FIRST_BYTES_KEPT = 64;

/** The cleartext protocol a refusing server speaks, as the scan report names it. */
export type PlaintextProtocolName =
  | 'smtp'
  | 'lmtp'
  | 'imap'
  | 'pop3'
  | 'ftp'
  | 'xmpp'
  | 'ldap'
  | 'postgresql'
  | 'mysql'
  | 'nntp'
  | 'sieve';

/** What a server that will not start TLS said: the scanner's `transport.plaintext` evidence. */
export interface PlaintextStatement {
  readonly protocol: PlaintextProtocolName;
  /** One line a person can read: `SMTP without STARTTLS: 250-mail.example Hello`. */
  readonly description: string;
  /** The server's first bytes in the dialogue (up to 64), hex. */
  readonly firstBytesHex: string;
  /** The same bytes as Latin-1, anything outside printable ASCII as `.`. */
  readonly firstBytesText: string;
}

/**
 * The server speaks its protocol in cleartext and will not upgrade this connection to TLS:
 * it does not offer STARTTLS, refused it, or (a database) has TLS switched off. This is a
 * fact about the server, not a failure of the probe.
 */
export class StarttlsRefusedError extends WiretightError {
  readonly plaintext: PlaintextStatement;

  constructor(
    message: string,
    protocol: PlaintextProtocolName,
    description: string,
    firstBytes: Uint8Array,
  ) {
    super('WT_ERR_STARTTLS_REFUSED', message);
    this.name = 'StarttlsRefusedError';
    const head = firstBytes.subarray(0, FIRST_BYTES_KEPT);
    this.plaintext = {
      protocol,
      description,
      firstBytesHex: toHex(head),
      firstBytesText: Buffer.from(head)
        .toString('latin1')
        .replace(/[^\x20-\x7e]/g, '.'),
    };
  }

  override toJSON(): {
    code: 'WT_ERR_STARTTLS_REFUSED';
    message: string;
    plaintext: PlaintextStatement;
  } {
    return { code: 'WT_ERR_STARTTLS_REFUSED', message: this.message, plaintext: this.plaintext };
  }
}

/** Server text fit for a one-line description: printable ASCII, at most `max` characters. */
export function printable(text: string, max = 120): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '.');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
