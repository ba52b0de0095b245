import type { Conversation } from './conversation.ts';
import { printable } from './errors.ts';

/**
 * POP3 (RFC 2595): greeting `+OK`, then STLS; `+OK` means go ahead, `-ERR` is a refusal.
 * STLS is sent without asking CAPA first: a server without it answers -ERR.
 */
export async function pop3Dialogue(conversation: Conversation): Promise<void> {
  const greeting = await conversation.readLine();
  if (!/^\+OK\b/i.test(greeting)) {
    throw conversation.violation(`its greeting was not +OK: "${printable(greeting, 60)}"`);
  }
  conversation.write('STLS\r\n');
  const answer = await conversation.readLine();
  if (/^\+OK\b/i.test(answer)) return;
  if (/^-ERR\b/i.test(answer)) {
    throw conversation.refused(`POP3 refused STLS: ${printable(answer)}`);
  }
  throw conversation.violation(`expected +OK or -ERR to STLS, got "${printable(answer, 60)}"`);
}
