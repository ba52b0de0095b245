import type { Endpoint } from '../connection.ts';
import type { Conversation } from './conversation.ts';
import type { PlaintextProtocolName } from './errors.ts';
import { ftpDialogue } from './ftp.ts';
import { imapDialogue } from './imap.ts';
import { ldapDialogue } from './ldap.ts';
import { mysqlDialogue } from './mysql.ts';
import { nntpDialogue } from './nntp.ts';
import { pop3Dialogue } from './pop3.ts';
import { postgresDialogue } from './postgres.ts';
import { sieveDialogue } from './sieve.ts';
import { smtpDialogue } from './smtp.ts';
import { xmppDialogue } from './xmpp.ts';

/** Runs the cleartext dialogue up to "start TLS now"; throws when the server will not. */
export type Dialogue = (conversation: Conversation, endpoint: Endpoint) => Promise<void>;

interface ProtocolEntry {
  /** The name people know it by, in messages. */
  readonly name: string;
  readonly plaintext: PlaintextProtocolName;
  /** Well-known ports where the protocol starts in cleartext and upgrades. */
  readonly ports: readonly number[];
  readonly dialogue: Dialogue;
}

const smtp = smtpDialogue('EHLO');
const lmtp = smtpDialogue('LHLO');

/** Every protocol the STARTTLS dialer speaks: the one table names, ports and dialogues come from. */
export const STARTTLS_PROTOCOLS = {
  smtp: { name: 'SMTP', plaintext: 'smtp', ports: [25, 587], dialogue: smtp },
  lmtp: { name: 'LMTP', plaintext: 'lmtp', ports: [24], dialogue: lmtp },
  imap: { name: 'IMAP', plaintext: 'imap', ports: [143], dialogue: imapDialogue },
  pop3: { name: 'POP3', plaintext: 'pop3', ports: [110], dialogue: pop3Dialogue },
  ftp: { name: 'FTP', plaintext: 'ftp', ports: [21], dialogue: ftpDialogue },
  xmpp: {
    name: 'XMPP',
    plaintext: 'xmpp',
    ports: [5222],
    dialogue: (conversation, endpoint) => xmppDialogue(endpoint.host)(conversation),
  },
  ldap: { name: 'LDAP', plaintext: 'ldap', ports: [389], dialogue: ldapDialogue },
  postgres: {
    name: 'PostgreSQL',
    plaintext: 'postgresql',
    ports: [5432],
    dialogue: postgresDialogue,
  },
  mysql: { name: 'MySQL', plaintext: 'mysql', ports: [3306], dialogue: mysqlDialogue },
  nntp: { name: 'NNTP', plaintext: 'nntp', ports: [119], dialogue: nntpDialogue },
  sieve: { name: 'ManageSieve', plaintext: 'sieve', ports: [4190], dialogue: sieveDialogue },
} as const satisfies Record<string, ProtocolEntry>;

/** A protocol name as `--starttls` takes it. */
export type StarttlsProtocol = keyof typeof STARTTLS_PROTOCOLS;

export const STARTTLS_PROTOCOL_NAMES = Object.keys(STARTTLS_PROTOCOLS) as StarttlsProtocol[];

export function isStarttlsProtocol(name: string): name is StarttlsProtocol {
  return Object.hasOwn(STARTTLS_PROTOCOLS, name);
}

const BY_PORT: ReadonlyMap<number, StarttlsProtocol> = new Map(
  STARTTLS_PROTOCOL_NAMES.flatMap((p) => STARTTLS_PROTOCOLS[p].ports.map((port) => [port, p])),
);

/**
 * The STARTTLS protocol of a well-known cleartext port, or undefined. Implicit-TLS ports
 * (465, 993, 995, 636, 563…) and every other port return undefined: TLS starts on connect.
 */
export function starttlsForPort(port: number): StarttlsProtocol | undefined {
  return BY_PORT.get(port);
}
