import { type Conversation, MAX_LINE_BYTES } from './conversation.ts';
import { printable } from './errors.ts';

const TLS_NS = 'urn:ietf:params:xml:ns:xmpp-tls';

/** The opening stream header of a client (RFC 6120 4.7), `to` the domain being scanned. */
export function xmppStreamHeader(domain: string): string {
  return (
    `<?xml version='1.0'?><stream:stream to='${xmlAttribute(domain)}' version='1.0' ` +
    `xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`
  );
}

/**
 * XMPP (RFC 6120 5.4): our stream header, the server's header and features; `<starttls/>`
 * if the features offer it, answered by `<proceed/>` (go) or `<failure/>` (refused).
 * Not a full XML parser: the few elements that matter are found by their markers, all
 * within the dialogue's byte cap.
 */
export function xmppDialogue(domain: string): (c: Conversation) => Promise<void> {
  return async (conversation) => {
    conversation.write(xmppStreamHeader(domain));
    await readStreamHeader(conversation);
    const features = await conversation.readThrough([
      '</stream:features>',
      '<stream:features/>',
      '</stream:error>',
      '</stream:stream>',
    ]);
    if (!features.marker.includes('features')) {
      throw conversation.violation(`it ended the stream: ${streamError(features.text)}`);
    }
    const starttls = new RegExp(`<starttls\\b[^>]*xmlns=['"]${TLS_NS}['"]`);
    if (!starttls.test(features.text)) {
      throw conversation.refused(`XMPP without STARTTLS: ${featureNames(features.text)}`);
    }
    conversation.write(`<starttls xmlns='${TLS_NS}'/>`);
    const answer = await conversation.readThrough(['<proceed', '<failure', '</stream:stream>']);
    if (answer.marker !== '<proceed') {
      throw conversation.refused(`XMPP refused STARTTLS: ${streamError(answer.text)}`);
    }
    // The rest of the <proceed …/> tag; nothing may follow it before TLS.
    await conversation.readThrough(['>']);
  };
}

/**
 * The server's stream header, optionally after an XML declaration: anything else first is
 * not XMPP, and is caught within one line's worth of bytes.
 */
async function readStreamHeader(conversation: Conversation): Promise<void> {
  for (let tags = 0; tags < 2; tags++) {
    const { text } = await conversation.readThrough(['>'], MAX_LINE_BYTES);
    const tag = text.trimStart();
    if (tag.startsWith('<stream:stream')) return;
    if (tags > 0 || !tag.startsWith('<?xml')) {
      throw conversation.violation(`expected a stream header, got "${printable(tag, 60)}"`);
    }
  }
}

/** The element names the features list, for a refusal's description. */
function featureNames(text: string): string {
  const inside = text.slice(text.indexOf('<stream:features'));
  const names = [...inside.matchAll(/<([a-zA-Z][\w-]*)[\s/>]/g)].map((m) => m[1]);
  return printable(`features ${names.slice(0, 8).join(', ') || '(none)'}`);
}

/** The condition of a stream error or failure, e.g. `host-unknown`. */
function streamError(text: string): string {
  const condition = /<(?:stream:error|failure)[^>]*>\s*<([a-zA-Z][\w-]*)/.exec(text)?.[1];
  return printable(condition ?? text.slice(-80));
}

function xmlAttribute(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
