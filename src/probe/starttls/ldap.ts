import { ByteReader } from '../../core/bytes.ts';
import { DecodeError } from '../../errors.ts';
import type { Conversation } from './conversation.ts';
import { printable } from './errors.ts';

/** RFC 4511 4.14.1: the StartTLS extended operation's name. */
export const LDAP_STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const ENUMERATED = 0x0a;
const OCTET_STRING = 0x04;
const EXTENDED_REQUEST = 0x77; // [APPLICATION 23], constructed
const EXTENDED_RESPONSE = 0x78; // [APPLICATION 24], constructed
const REQUEST_NAME = 0x80; // [0], primitive
/** An ExtendedResponse is a few hundred bytes; more is not an answer to StartTLS. */
const MAX_RESPONSE_BYTES = 16 * 1024;

/** Result codes a StartTLS refusal carries (RFC 4511 4.1.9, 4.14.2). */
const RESULT_NAMES: Readonly<Record<number, string>> = {
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  8: 'strongerAuthRequired',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  80: 'other',
};

/** A BER TLV with a definite length, short form or long form up to 4 length bytes. */
function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const length =
    n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : undefined;
  if (length === undefined) throw new RangeError(`BER value of ${n} bytes is too long here`);
  const out = new Uint8Array(1 + length.length + n);
  out.set([tag, ...length]);
  out.set(body, 1 + length.length);
  return out;
}

/** The LDAPMessage of a StartTLS ExtendedRequest with `messageId` (1..127). */
export function ldapStartTlsRequest(messageId = 1): Uint8Array {
  if (!Number.isInteger(messageId) || messageId < 1 || messageId > 127) {
    throw new RangeError('messageId must be 1..127 (one BER byte)');
  }
  const name = tlv(REQUEST_NAME, new TextEncoder().encode(LDAP_STARTTLS_OID));
  const op = tlv(EXTENDED_REQUEST, name);
  return tlv(SEQUENCE, Uint8Array.from([INTEGER, 1, messageId, ...op]));
}

/** The length octets after a tag: how many follow, and the length they give. */
function lengthOf(first: number, more: Uint8Array): number {
  if (first < 0x80) return first;
  let length = 0;
  for (const b of more) length = length * 256 + b;
  return length;
}

/** How many length bytes follow a first length octet; undefined for indefinite or over 4. */
function extraLengthBytes(first: number): number | undefined {
  if (first < 0x80) return 0;
  const n = first & 0x7f;
  return n >= 1 && n <= 4 ? n : undefined;
}

/** Reads one element from a parsed body and checks its tag. */
function element(reader: ByteReader, tag: number, name: string): ByteReader {
  const got = reader.u8(`${name} tag`);
  if (got !== tag)
    reader.fail(`${name}: tag 0x${got.toString(16)} where 0x${tag.toString(16)} belongs`);
  const first = reader.u8(`${name} length`);
  const extra = extraLengthBytes(first);
  if (extra === undefined) reader.fail(`${name}: length form 0x${first.toString(16)} not allowed`);
  const length = lengthOf(first, reader.bytes(extra, `${name} length`));
  return reader.take(length, name);
}

function unsigned(reader: ByteReader, what: string): number {
  if (reader.remaining < 1 || reader.remaining > 4)
    reader.fail(`${what} of ${reader.remaining} bytes`);
  let value = 0;
  for (const b of reader.rest()) value = value * 256 + b;
  return value;
}

export interface LdapExtendedResponse {
  readonly messageId: number;
  readonly resultCode: number;
  readonly diagnosticMessage: string;
}

/** Parses an LDAPMessage holding an ExtendedResponse; every length checked. */
export function parseLdapExtendedResponse(message: Uint8Array): LdapExtendedResponse {
  const outer = new ByteReader(message, 'LDAPMessage');
  const body = element(outer, SEQUENCE, 'LDAPMessage');
  outer.expectEnd();
  const messageId = unsigned(element(body, INTEGER, 'messageID'), 'messageID');
  const response = element(body, EXTENDED_RESPONSE, 'extendedResp');
  const resultCode = unsigned(element(response, ENUMERATED, 'resultCode'), 'resultCode');
  element(response, OCTET_STRING, 'matchedDN');
  const diagnostic = element(response, OCTET_STRING, 'diagnosticMessage').rest();
  // Optional referral, responseName, responseValue and controls follow; nothing in them
  // changes the answer to StartTLS.
  return {
    messageId,
    resultCode,
    diagnosticMessage: Buffer.from(diagnostic).toString('utf8'),
  };
}

/**
 * LDAP (RFC 4511 4.14, RFC 4513 3): the client speaks first with the StartTLS extended
 * request; resultCode success means TLS starts now, any other code is a refusal. One
 * round trip.
 */
export async function ldapDialogue(conversation: Conversation): Promise<void> {
  conversation.write(ldapStartTlsRequest(1));
  const head = await conversation.readBytes(2);
  const [tag, first] = [head[0] as number, head[1] as number];
  if (tag !== SEQUENCE) {
    throw conversation.violation(`expected an LDAPMessage, got tag 0x${tag.toString(16)}`);
  }
  const extra = extraLengthBytes(first);
  if (extra === undefined) {
    throw conversation.violation(`LDAPMessage length form 0x${first.toString(16)} not allowed`);
  }
  const more = await conversation.readBytes(extra);
  const length = lengthOf(first, more);
  if (length > MAX_RESPONSE_BYTES) {
    throw conversation.violation(`an LDAPMessage of ${length} bytes (cap ${MAX_RESPONSE_BYTES})`);
  }
  const message = Uint8Array.from([...head, ...more, ...(await conversation.readBytes(length))]);
  let response: LdapExtendedResponse;
  try {
    response = parseLdapExtendedResponse(message);
  } catch (err) {
    if (err instanceof DecodeError) throw conversation.violation(err.message);
    throw err;
  }
  const diagnostic = printable(response.diagnosticMessage, 80);
  if (response.messageId === 0) {
    throw conversation.violation(`it disconnected (notice of disconnection: ${diagnostic})`);
  }
  if (response.messageId !== 1) {
    throw conversation.violation(`it answered message ${response.messageId}, not 1`);
  }
  if (response.resultCode !== 0) {
    const name = RESULT_NAMES[response.resultCode] ?? `resultCode ${response.resultCode}`;
    throw conversation.refused(
      `LDAP refused StartTLS: ${name}${diagnostic === '' ? '' : ` "${diagnostic}"`}`,
    );
  }
}
