import type { Conversation } from './conversation.ts';
import { numericStarttls, readGreeting } from './numeric-reply.ts';

/**
 * NNTP (RFC 4642): greeting (200 or 201), then STARTTLS; 382 means go ahead. STARTTLS is
 * sent without asking CAPABILITIES first: a server without it says so in one reply.
 */
export async function nntpDialogue(conversation: Conversation): Promise<void> {
  await readGreeting(conversation);
  await numericStarttls(conversation, 'STARTTLS', 382);
}
