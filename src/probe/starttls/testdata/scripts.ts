// The server side of each protocol's STARTTLS dialogue, as real servers word it: one
// script that reaches "start TLS now", one where the server will not, and the refusal's
// expected `plaintext` statement. Test-only.
import type { PlaintextStatement } from '../errors.ts';
import type { StarttlsProtocol } from '../protocols.ts';
import type { Step } from './scripted-peer.ts';

/** A BER TLV (short or one-byte long form), for the LDAP answers. */
export function ber(tag: number, body: Uint8Array): Uint8Array {
  const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
  return Uint8Array.from([tag, ...length, ...body]);
}

/** An LDAP ExtendedResponse to message 1; `extra` is appended inside it (responseName…). */
export function ldapResponse(
  resultCode: number,
  diagnostic = '',
  extra = new Uint8Array(),
): Uint8Array {
  const text = new TextEncoder().encode(diagnostic);
  const op = ber(
    0x78,
    Uint8Array.from([0x0a, 1, resultCode, 0x04, 0, ...ber(0x04, text), ...extra]),
  );
  return ber(0x30, Uint8Array.from([0x02, 1, 1, ...op]));
}

/** A MySQL protocol-10 greeting with the given capability flags. */
export function mysqlGreeting(version: string, capabilities: number): Uint8Array {
  const payload = Buffer.concat([
    Buffer.from([10]),
    Buffer.from(`${version}\0`, 'latin1'),
    Buffer.from([1, 0, 0, 0]), // connection id
    Buffer.from('abcdefgh'), // scramble, part 1
    Buffer.from([0]),
    Buffer.from([capabilities & 0xff, (capabilities >> 8) & 0xff]),
    Buffer.from([0x21, 2, 0]), // charset, status
    Buffer.from([(capabilities >> 16) & 0xff, (capabilities >> 24) & 0xff]),
    Buffer.from([21]),
    Buffer.alloc(10),
    Buffer.from('ijklmnopqrst\0'),
    Buffer.from('mysql_native_password\0'),
  ]);
  const header = Buffer.from([payload.length & 0xff, payload.length >> 8, 0, 0]);
  return Buffer.concat([header, payload]);
}

const RESPONSE_NAME = Uint8Array.from([
  0x8a,
  22,
  ...new TextEncoder().encode('1.3.6.1.4.1.1466.20037'),
]);

const XMPP_HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' " +
  "xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='localhost' version='1.0'>";
const XMPP_TLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>";
const XMPP_SASL =
  "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>";

const SERVER_SSL = 0x800 | 0x200 | 0x8000 | 0x80000;

export interface ProtocolScripts {
  readonly accepts: readonly Step[];
  readonly refuses: readonly Step[];
  readonly refusal: Pick<PlaintextStatement, 'protocol' | 'description'>;
}

export const SCRIPTS: Record<StarttlsProtocol, ProtocolScripts> = {
  smtp: {
    accepts: [
      { server: '220 mail.example ESMTP Postfix\r\n' },
      {
        client: /^EHLO \[127\.0\.0\.1\]\r\n/,
        server:
          '250-mail.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n',
      },
      { client: /^STARTTLS\r\n/, server: '220 2.0.0 Ready to start TLS\r\n' },
    ],
    refuses: [
      { server: '220 mail.example ESMTP\r\n' },
      { client: /^EHLO [^\r]*\r\n/, server: '250-mail.example\r\n250 PIPELINING\r\n' },
    ],
    refusal: { protocol: 'smtp', description: 'SMTP without STARTTLS: 250-mail.example' },
  },
  lmtp: {
    accepts: [
      { server: '220 lmtp.example LMTP ready\r\n' },
      { client: /^LHLO \[127\.0\.0\.1\]\r\n/, server: '250-lmtp.example\r\n250 STARTTLS\r\n' },
      { client: /^STARTTLS\r\n/, server: '220 Begin TLS\r\n' },
    ],
    refuses: [
      { server: '220 lmtp.example LMTP ready\r\n' },
      { client: /^LHLO [^\r]*\r\n/, server: '250-lmtp.example\r\n250 STARTTLS\r\n' },
      { client: /^STARTTLS\r\n/, server: '454 4.7.0 TLS not available\r\n' },
    ],
    refusal: {
      protocol: 'lmtp',
      description: 'LMTP refused STARTTLS: 454 4.7.0 TLS not available',
    },
  },
  imap: {
    accepts: [
      { server: '* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED] Dovecot ready.\r\n' },
      { client: /^W2 STARTTLS\r\n/, server: 'W2 OK Begin TLS negotiation now.\r\n' },
    ],
    refuses: [
      { server: '* OK IMAP4 ready\r\n' },
      {
        client: /^W1 CAPABILITY\r\n/,
        server: '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nW1 OK done\r\n',
      },
    ],
    refusal: { protocol: 'imap', description: 'IMAP without STARTTLS: * OK IMAP4 ready' },
  },
  pop3: {
    accepts: [
      { server: '+OK Dovecot ready.\r\n' },
      { client: /^STLS\r\n/, server: '+OK Begin TLS negotiation now.\r\n' },
    ],
    refuses: [
      { server: '+OK POP3 ready\r\n' },
      { client: /^STLS\r\n/, server: '-ERR Unknown command\r\n' },
    ],
    refusal: { protocol: 'pop3', description: 'POP3 refused STLS: -ERR Unknown command' },
  },
  ftp: {
    accepts: [
      { server: '220-Welcome\r\n  to the test FTP server\r\n220 ready\r\n' },
      { client: /^AUTH TLS\r\n/, server: '234 Proceed with negotiation.\r\n' },
    ],
    refuses: [
      { server: '220 (vsFTPd 3.0.3)\r\n' },
      { client: /^AUTH TLS\r\n/, server: '530 Please login with USER and PASS.\r\n' },
    ],
    refusal: {
      protocol: 'ftp',
      description: 'FTP refused AUTH TLS: 530 Please login with USER and PASS.',
    },
  },
  xmpp: {
    accepts: [
      {
        client: /^<\?xml version='1.0'\?><stream:stream to='localhost' [^>]*>/,
        server: `${XMPP_HEADER}<stream:features>${XMPP_TLS}${XMPP_SASL}</stream:features>`,
      },
      {
        client: /^<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'\/>/,
        server: "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
      },
    ],
    refuses: [
      {
        client: /^<\?xml[^>]*>[^>]*>/,
        server: `${XMPP_HEADER}<stream:features>${XMPP_SASL}</stream:features>`,
      },
    ],
    refusal: {
      protocol: 'xmpp',
      description: 'XMPP without STARTTLS: features mechanisms, mechanism',
    },
  },
  ldap: {
    accepts: [{ client: 31, server: ldapResponse(0, '', RESPONSE_NAME) }],
    refuses: [{ client: 31, server: ldapResponse(2, 'unsupported extended operation') }],
    refusal: {
      protocol: 'ldap',
      description: 'LDAP refused StartTLS: protocolError "unsupported extended operation"',
    },
  },
  postgres: {
    accepts: [{ client: 8, server: 'S' }],
    refuses: [{ client: 8, server: 'N' }],
    refusal: {
      protocol: 'postgresql',
      description: "PostgreSQL with SSL off (answered 'N' to an SSLRequest)",
    },
  },
  mysql: {
    accepts: [{ server: mysqlGreeting('8.0.36', SERVER_SSL) }, { client: 36 }],
    refuses: [{ server: mysqlGreeting('10.11.6-MariaDB', SERVER_SSL & ~0x800) }],
    refusal: {
      protocol: 'mysql',
      description: 'MySQL/MariaDB 10.11.6-MariaDB without TLS (its greeting lacks CLIENT_SSL)',
    },
  },
  nntp: {
    accepts: [
      { server: '200 news.example InterNetNews server ready\r\n' },
      { client: /^STARTTLS\r\n/, server: '382 Continue with TLS negotiation\r\n' },
    ],
    refuses: [
      { server: '200 news.example ready\r\n' },
      { client: /^STARTTLS\r\n/, server: '580 Can not initiate TLS negotiation\r\n' },
    ],
    refusal: {
      protocol: 'nntp',
      description: 'NNTP refused STARTTLS: 580 Can not initiate TLS negotiation',
    },
  },
  sieve: {
    accepts: [
      {
        server:
          '"IMPLEMENTATION" "Dovecot Pigeonhole"\r\n"SIEVE" "fileinto reject"\r\n"STARTTLS"\r\n' +
          '"VERSION" "1.0"\r\nOK "Dovecot ready."\r\n',
      },
      { client: /^STARTTLS\r\n/, server: 'OK "Begin TLS negotiation now."\r\n' },
    ],
    refuses: [
      { server: '"IMPLEMENTATION" "Dovecot Pigeonhole"\r\n"SASL" "PLAIN"\r\nOK "ready"\r\n' },
    ],
    refusal: {
      protocol: 'sieve',
      description: 'ManageSieve without STARTTLS: "IMPLEMENTATION" "Dovecot Pigeonhole"',
    },
  },
};
