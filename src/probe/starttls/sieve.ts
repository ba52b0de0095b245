import type { Conversation } from './conversation.ts';
import { printable } from './errors.ts';

/**
 * ManageSieve (RFC 5804): the server opens with its capabilities, one quoted name (and
 * value) per line, ended by `OK`; then STARTTLS, answered `OK` (go) or `NO` (refused).
 */
export async function sieveDialogue(conversation: Conversation): Promise<void> {
  const capabilities = await readResponse(conversation);
  if (capabilities.status !== 'OK') {
    throw conversation.violation(`it opened with ${printable(capabilities.line, 60)}`);
  }
  const first = capabilities.lines[0] ?? capabilities.line;
  if (!capabilities.lines.some((line) => /^"STARTTLS"/i.test(line))) {
    throw conversation.refused(`ManageSieve without STARTTLS: ${printable(first)}`);
  }
  conversation.write('STARTTLS\r\n');
  const answer = await readResponse(conversation);
  if (answer.status !== 'OK') {
    throw conversation.refused(`ManageSieve refused STARTTLS: ${printable(answer.line)}`);
  }
}

/** Lines up to the status line (`OK`, `NO` or `BYE`, optionally followed by text). */
async function readResponse(
  conversation: Conversation,
): Promise<{ status: string; line: string; lines: string[] }> {
  const lines: string[] = [];
  for (;;) {
    const line = await conversation.readLine();
    const status = /^(OK|NO|BYE)\b/i.exec(line)?.[1]?.toUpperCase();
    if (status !== undefined) return { status, line, lines };
    if (!line.startsWith('"')) {
      throw conversation.violation(`expected a capability or status, got "${printable(line, 60)}"`);
    }
    lines.push(line);
  }
}
