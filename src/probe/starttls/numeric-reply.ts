import type { Conversation } from './conversation.ts';
import { printable } from './errors.ts';

/** A reply of the SMTP family (SMTP, LMTP, FTP, NNTP): a three-digit code and its text lines. */
export interface NumericReply {
  readonly code: number;
  /** Each line's text after the code and its separator. */
  readonly lines: readonly string[];
  /** The first line as received, for descriptions. */
  readonly first: string;
}

const FIRST_LINE = /^([1-5]\d\d)([ -])(.*)$|^([1-5]\d\d)$/;

/**
 * Reads one reply. `ddd-text` lines continue it and `ddd text` (or a bare `ddd`) ends it;
 * FTP allows free text between the first and the last line, so only a line that starts
 * with the same code and a space ends it. Anything else first is not this protocol.
 */
export async function readNumericReply(conversation: Conversation): Promise<NumericReply> {
  const first = await conversation.readLine();
  const m = FIRST_LINE.exec(first);
  if (m === null) {
    throw conversation.violation(`expected a numeric reply, got "${printable(first, 60)}"`);
  }
  const codeText = m[1] ?? m[4] ?? '';
  const lines = [m[3] ?? ''];
  if (m[2] === '-') {
    for (;;) {
      const line = await conversation.readLine();
      if (line.startsWith(`${codeText} `) || line === codeText) {
        lines.push(line.slice(4));
        break;
      }
      lines.push(line.startsWith(`${codeText}-`) ? line.slice(4) : line);
    }
  }
  return { code: Number(codeText), lines, first: printable(first) };
}

/** Reads one reply and checks its class: 2xx for a greeting (1xx "wait" replies skipped). */
export async function readGreeting(conversation: Conversation): Promise<NumericReply> {
  for (;;) {
    const reply = await readNumericReply(conversation);
    if (reply.code >= 100 && reply.code < 200) continue;
    if (reply.code >= 200 && reply.code < 300) return reply;
    throw conversation.violation(`its greeting was not a welcome: ${reply.first}`);
  }
}

/**
 * Sends `command` (the STARTTLS of the protocol) and expects `go`; any other reply is a
 * refusal to start TLS, described by the protocol name and the reply.
 */
export async function numericStarttls(
  conversation: Conversation,
  command: string,
  go: number,
): Promise<void> {
  conversation.write(`${command}\r\n`);
  const reply = await readNumericReply(conversation);
  if (reply.code !== go) {
    throw conversation.refused(`${conversation.label.name} refused ${command}: ${reply.first}`);
  }
}
