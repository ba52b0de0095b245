/**
 * What cleartext protocol a port speaks, judged from the first bytes it sent back to a
 * TLS ClientHello (server-first protocols send their banner on connect; others answer the
 * hello as a bad request). Only a few dozen bytes are looked at, and every pattern is
 * anchored at the start, so hostile input costs nothing.
 */

export type PlaintextProtocol =
  | 'http'
  | 'smtp'
  | 'lmtp'
  | 'ldap'
  | 'nntp'
  | 'sieve'
  | 'ftp'
  | 'pop3'
  | 'imap'
  | 'ssh'
  | 'redis'
  | 'mysql'
  | 'postgresql'
  | 'xmpp'
  | 'vnc'
  | 'amqp'
  | 'nats'
  | 'telnet'
  | 'unknown';

export interface PlaintextIdentification {
  readonly protocol: PlaintextProtocol;
  /** A person-readable name and, where the bytes carry it, the first line or version. */
  readonly description: string;
}

const NAMES: Record<PlaintextProtocol, string> = {
  http: 'HTTP',
  smtp: 'SMTP',
  lmtp: 'LMTP',
  ldap: 'LDAP',
  nntp: 'NNTP',
  sieve: 'ManageSieve',
  ftp: 'FTP',
  pop3: 'POP3',
  imap: 'IMAP',
  ssh: 'SSH',
  redis: 'Redis',
  mysql: 'MySQL/MariaDB',
  postgresql: 'PostgreSQL',
  xmpp: 'XMPP',
  vnc: 'VNC',
  amqp: 'AMQP',
  nats: 'NATS',
  telnet: 'Telnet',
  unknown: 'an unrecognised protocol',
};

/** Text patterns, tried in order; the first match wins. */
const TEXT_PATTERNS: readonly (readonly [RegExp, PlaintextProtocol])[] = [
  [/^HTTP\/\d(\.\d)? \d{3}/, 'http'],
  [/^SSH-\d\.\d+-/, 'ssh'],
  [/^220[ -][^\r\n]*FTP/i, 'ftp'],
  [/^220[ -]/, 'smtp'],
  [/^\+OK\b/, 'pop3'],
  [/^\* (OK|PREAUTH|BYE)\b/i, 'imap'],
  [/^-(ERR|NOAUTH|DENIED|WRONGPASS)\b/, 'redis'],
  [/^(<\?xml|<stream:)/, 'xmpp'],
  [/^RFB \d{3}\.\d{3}\n/, 'vnc'],
  [/^AMQP\x00/, 'amqp'],
  [/^INFO \{/, 'nats'],
];

function firstLine(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.replace(/[^\x20-\x7e]/g, '.').slice(0, 80);
}

/** MySQL's greeting: a 3-byte length, sequence 0, then protocol 10 and a version string. */
function mysqlGreeting(bytes: Uint8Array): string | undefined {
  if (bytes.length < 6 || bytes[3] !== 0 || bytes[4] !== 0x0a) return undefined;
  const length = (bytes[0] as number) | ((bytes[1] as number) << 8) | ((bytes[2] as number) << 16);
  if (length < 10 || length > 1024) return undefined;
  const end = bytes.indexOf(0, 5);
  const version = Buffer.from(bytes.subarray(5, end === -1 ? bytes.length : end)).toString(
    'latin1',
  );
  return /^[\x20-\x7e]{1,40}$/.test(version) ? version : undefined;
}

/** Identifies the protocol behind the first bytes a non-TLS port sent. */
export function identifyPlaintext(bytes: Uint8Array): PlaintextIdentification {
  const head = bytes.subarray(0, 256);
  const mysql = mysqlGreeting(head);
  if (mysql !== undefined) return { protocol: 'mysql', description: `MySQL/MariaDB ${mysql}` };
  if (head[0] === 0xff && head.length >= 3 && (head[1] as number) >= 0xfb) {
    return { protocol: 'telnet', description: 'Telnet option negotiation' };
  }
  const text = Buffer.from(head).toString('latin1');
  for (const [pattern, protocol] of TEXT_PATTERNS) {
    if (pattern.test(text)) {
      return { protocol, description: `${NAMES[protocol]}: ${firstLine(head)}` };
    }
  }
  return { protocol: 'unknown', description: `${NAMES.unknown}: ${firstLine(head)}` };
}

/** The name of a protocol identified another way (a PostgreSQL SSLRequest answer). */
export function plaintextName(protocol: PlaintextProtocol): string {
  return NAMES[protocol];
}
