import type { Conversation } from './conversation.ts';
import { numericStarttls, readGreeting, readNumericReply } from './numeric-reply.ts';

/**
 * SMTP (RFC 3207) and LMTP (RFC 2033): greeting, EHLO (LMTP: LHLO), then STARTTLS if the
 * server lists it. EHLO must end a pipelined group (RFC 2920), so this is three round
 * trips, the fewest the protocol allows.
 */
export function smtpDialogue(hello: 'EHLO' | 'LHLO'): (c: Conversation) => Promise<void> {
  return async (conversation) => {
    await readGreeting(conversation);
    conversation.write(`${hello} ${clientName(conversation.localAddress)}\r\n`);
    const reply = await readNumericReply(conversation);
    const name = conversation.label.name;
    if (reply.code !== 250) {
      throw conversation.refused(`${name} without ${hello} (so without STARTTLS): ${reply.first}`);
    }
    if (!reply.lines.slice(1).some((line) => /^STARTTLS\b/i.test(line))) {
      throw conversation.refused(`${name} without STARTTLS: ${reply.first}`);
    }
    await numericStarttls(conversation, 'STARTTLS', 220);
  };
}

/** An address literal (RFC 5321 4.1.3): always valid, and true, unlike a made-up name. */
function clientName(address: string | undefined): string {
  if (address === undefined || address === '') return '[127.0.0.1]';
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return v4 === undefined ? `[IPv6:${address}]` : `[${v4}]`;
}
