import { POSTGRES_SSL_REQUEST } from '../postgres-ssl-request.ts';
import type { Conversation } from './conversation.ts';

/**
 * PostgreSQL (protocol 3, "SSL Session Encryption"): the SSLRequest, answered by one byte,
 * `S` (TLS next) or `N` (SSL off). A server too old for SSLRequest answers with an
 * ErrorResponse (`E`), which also means no TLS. Bytes after the `S` are a violation (the
 * buffering flaw of CVE-2021-23214), caught when the socket is released.
 */
export async function postgresDialogue(conversation: Conversation): Promise<void> {
  conversation.write(POSTGRES_SSL_REQUEST);
  const [answer] = await conversation.readBytes(1);
  if (answer === 0x53) return;
  if (answer === 0x4e) {
    throw conversation.refused(`PostgreSQL with SSL off (answered 'N' to an SSLRequest)`);
  }
  if (answer === 0x45) {
    throw conversation.refused(
      `PostgreSQL without SSL support (answered an SSLRequest with an ErrorResponse)`,
    );
  }
  throw conversation.violation(
    `expected 'S' or 'N' to an SSLRequest, got 0x${(answer ?? 0).toString(16).padStart(2, '0')}`,
  );
}
