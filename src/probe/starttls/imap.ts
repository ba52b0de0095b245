import type { Conversation } from './conversation.ts';
import { printable } from './errors.ts';

const CAPABILITY_CODE = /\[CAPABILITY ([^\]]*)\]/i;

/**
 * IMAP (RFC 9051 / 3501): greeting, CAPABILITY unless the greeting carried it (most
 * servers do, saving a round trip), then a tagged STARTTLS answered by a tagged OK.
 * A PREAUTH greeting means the session is already authenticated, where STARTTLS is
 * not allowed.
 */
export async function imapDialogue(conversation: Conversation): Promise<void> {
  const greeting = await conversation.readLine();
  const kind = /^\* (OK|PREAUTH|BYE)\b/i.exec(greeting)?.[1]?.toUpperCase();
  if (kind === undefined || kind === 'BYE') {
    throw conversation.violation(`its greeting was not * OK: "${printable(greeting, 60)}"`);
  }
  if (kind === 'PREAUTH') {
    throw conversation.refused(`IMAP pre-authenticated, no STARTTLS: ${printable(greeting)}`);
  }
  const capabilities =
    CAPABILITY_CODE.exec(greeting)?.[1] ?? (await askCapabilities(conversation, greeting));
  if (!/(^|\s)STARTTLS(\s|$)/i.test(capabilities)) {
    throw conversation.refused(`IMAP without STARTTLS: ${printable(greeting)}`);
  }
  conversation.write('W2 STARTTLS\r\n');
  const { status, line } = await readTagged(conversation, 'W2');
  if (status !== 'OK') throw conversation.refused(`IMAP refused STARTTLS: ${printable(line)}`);
}

async function askCapabilities(conversation: Conversation, greeting: string): Promise<string> {
  conversation.write('W1 CAPABILITY\r\n');
  const { status, untagged } = await readTagged(conversation, 'W1');
  if (status !== 'OK') {
    throw conversation.refused(
      `IMAP without CAPABILITY (so without STARTTLS): ${printable(greeting)}`,
    );
  }
  return untagged.map((line) => /^\* CAPABILITY (.*)$/i.exec(line)?.[1] ?? '').join(' ');
}

/** Untagged lines up to the tagged status line of `tag`. */
async function readTagged(
  conversation: Conversation,
  tag: string,
): Promise<{ status: string; line: string; untagged: string[] }> {
  const untagged: string[] = [];
  for (;;) {
    const line = await conversation.readLine();
    if (line.startsWith('* ')) {
      untagged.push(line);
      continue;
    }
    const status = new RegExp(`^${tag} (OK|NO|BAD)\\b`, 'i').exec(line)?.[1]?.toUpperCase();
    if (status === undefined) {
      throw conversation.violation(`expected the ${tag} status, got "${printable(line, 60)}"`);
    }
    return { status, line, untagged };
  }
}
