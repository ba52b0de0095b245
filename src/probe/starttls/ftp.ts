import type { Conversation } from './conversation.ts';
import { numericStarttls, readGreeting } from './numeric-reply.ts';

/** FTP (RFC 4217): greeting, then AUTH TLS; 234 means the TLS handshake comes next. */
export async function ftpDialogue(conversation: Conversation): Promise<void> {
  await readGreeting(conversation);
  await numericStarttls(conversation, 'AUTH TLS', 234);
}
