// One HTTP/1.1 request and the head of its response, over plain TCP or over an
// established TLS connection. Only the head is read: the status line and the header
// fields are all a scan judges. The head is capped (MAX_HEAD_BYTES) and parsed tolerantly
// (bare LF line ends, folded lines, junk lines skipped) but within bounds
// (MAX_HEADER_FIELDS); the connection's deadline covers the whole exchange.
import { isIP } from 'node:net';
import { WiretightError } from '../errors.ts';
import { VERSION } from '../version.ts';
import {
  ChunkReader,
  DEFAULT_MAX_BYTES,
  type EndOutcome,
  type Endpoint,
  type ExchangeLimits,
  type StreamEnd,
  exchange,
} from './connection.ts';
import { type TlsFailure, withTls } from './full-handshake.ts';

/** A response head longer than this is not waited for. */
export const MAX_HEAD_BYTES = 32 * 1024;
/** Header fields kept from one head; later ones are counted as skipped. */
export const MAX_HEADER_FIELDS = 256;
/** How many of a non-HTTP answer's first bytes are kept. */
const FIRST_BYTES = 32;

export interface HttpResponseHead {
  /** The protocol of the status line as sent, e.g. `HTTP/1.1`. */
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  /** Header fields in order: name lower-cased, value trimmed, bytes read as latin1. */
  readonly fields: readonly (readonly [string, string])[];
  /** Lines that were neither a field nor a continuation, and fields beyond the cap. */
  readonly skippedLines: number;
  /** The peer closed before the blank line that ends a head: the fields may be partial. */
  readonly truncated: boolean;
}

/** How the answer to one request ended. */
export type HttpAnswer =
  | { readonly kind: 'response'; readonly head: HttpResponseHead }
  /** The answer does not start with an HTTP/1.x status line; its first bytes. */
  | { readonly kind: 'not-http'; readonly firstBytes: Uint8Array }
  /** No end of the head within MAX_HEAD_BYTES. */
  | { readonly kind: 'head-too-large'; readonly bytes: number }
  | { readonly kind: 'closed' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'timeout' };

/** The values of every field named `name` (lower-case), in order. */
export function fieldValues(head: HttpResponseHead, name: string): string[] {
  return head.fields.filter(([n]) => n === name).map(([, v]) => v);
}

/** A Host header value: IPv6 literals in brackets, the port unless it is the default. */
export function hostHeader(host: string, port: number, defaultPort: number): string {
  const name = isIP(host) === 6 ? `[${host}]` : host;
  return port === defaultPort ? name : `${name}:${port}`;
}

/**
 * `GET /` for `host`, asking for every compression a browser accepts, so a compressing
 * server shows it (BREACH), and for the connection to close after the answer.
 */
export function httpGetRequest(host: string): Uint8Array {
  if (!/^[\x21-\x7e]{1,300}$/.test(host)) {
    throw new TypeError(`not a valid Host header value: ${JSON.stringify(host)}`);
  }
  const lines = [
    'GET / HTTP/1.1',
    `Host: ${host}`,
    `User-Agent: wiretight/${VERSION}`,
    'Accept: */*',
    'Accept-Encoding: gzip, deflate, br',
    'Connection: close',
  ];
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n\r\n`);
}

const STATUS_LINE = /^(HTTP\/\d(?:\.\d)?)[ \t]+(\d{3})(?:[ \t]+(.*))?$/i;
const FIELD = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;

/**
 * Parses a response head (the status line and the field lines, without the blank line
 * that ends it). Undefined when the first line is not an HTTP status line.
 */
export function parseResponseHead(text: string, truncated = false): HttpResponseHead | undefined {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const status = STATUS_LINE.exec(lines[0] ?? '');
  if (status === null) return undefined;
  const fields: [string, string][] = [];
  let skippedLines = 0;
  let lastKept = false;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    // obs-fold: a line starting with whitespace continues the previous field's value.
    if ((line.startsWith(' ') || line.startsWith('\t')) && lastKept) {
      const last = fields[fields.length - 1] as [string, string];
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const field = FIELD.exec(line);
    lastKept = field !== null && fields.length < MAX_HEADER_FIELDS;
    if (field === null || !lastKept) {
      skippedLines++;
      continue;
    }
    fields.push([(field[1] as string).toLowerCase(), field[2] as string]);
  }
  return {
    version: status[1] as string,
    status: Number(status[2]),
    reason: status[3] ?? '',
    fields,
    skippedLines,
    truncated,
  };
}

const HTTP_PREFIX = 'HTTP/';

/** True while the bytes so far could still begin an HTTP status line. */
function startsLikeHttp(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, HTTP_PREFIX.length);
  for (let i = 0; i < n; i++) {
    // Upper-case the letters; '/' (0x2f) has no case bit to clear.
    const b = (bytes[i] as number) & (i < 4 ? 0xdf : 0xff);
    if (b !== HTTP_PREFIX.charCodeAt(i)) return false;
  }
  return true;
}

/** Where the blank line that ends the head starts (at or after `from`), or -1. */
function headEnd(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return i;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i;
  }
  return -1;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function parsed(bytes: Uint8Array, truncated: boolean): HttpAnswer {
  const head = parseResponseHead(latin1(bytes), truncated);
  return head === undefined
    ? { kind: 'not-http', firstBytes: bytes.slice(0, FIRST_BYTES) }
    : { kind: 'response', head };
}

function ended(end: StreamEnd | WiretightError, seen: Uint8Array): HttpAnswer {
  // The reader's own byte cap is above the head cap, so this is the same verdict.
  if (end instanceof WiretightError) return { kind: 'head-too-large', bytes: seen.length };
  if (end === 'timeout' || end === 'aborted') return { kind: 'timeout' };
  if (end === 'reset') return { kind: 'reset' };
  // Some servers close right after a head without its blank line: keep what came.
  return seen.length > 0 ? parsed(seen, true) : { kind: 'closed' };
}

/**
 * Reads until the end of the response head and parses it. An answer that cannot begin
 * with `HTTP/` is given up at its first bytes; one without an end of head within
 * `maxHeadBytes` at the cap. Copies into one buffer of `maxHeadBytes`, so a peer that
 * drips one byte at a time costs linear work.
 */
export async function readHttpHead(
  reader: Pick<ChunkReader, 'read'>,
  maxHeadBytes = MAX_HEAD_BYTES,
): Promise<HttpAnswer> {
  const buffer = new Uint8Array(maxHeadBytes);
  let length = 0;
  for (;;) {
    const chunk = await reader.read();
    if (!(chunk instanceof Uint8Array)) return ended(chunk, buffer.subarray(0, length));
    const from = Math.max(0, length - 2);
    const take = Math.min(chunk.length, maxHeadBytes - length);
    buffer.set(chunk.subarray(0, take), length);
    length += take;
    const seen = buffer.subarray(0, length);
    if (!startsLikeHttp(seen)) return { kind: 'not-http', firstBytes: seen.slice(0, FIRST_BYTES) };
    const end = headEnd(seen, from);
    if (end >= 0) return parsed(seen.subarray(0, end), false);
    if (length >= maxHeadBytes) return { kind: 'head-too-large', bytes: length };
  }
}

/** `GET /` over plain TCP to `endpoint`, with `host` as the Host header. */
export function httpExchange(
  endpoint: Endpoint,
  host: string,
  limits: ExchangeLimits,
): Promise<HttpAnswer | Extract<EndOutcome, { kind: 'connect-failed' }>> {
  return exchange(endpoint, httpGetRequest(host), limits, (reader) => readHttpHead(reader));
}

export type HttpsOutcome =
  /** The TLS handshake completed and the request was sent; `alpn` is what the server chose. */
  | { readonly kind: 'answered'; readonly alpn: string | undefined; readonly answer: HttpAnswer }
  /** No TLS connection to send the request on. */
  | { readonly kind: 'no-tls'; readonly failure: TlsFailure };

/**
 * `GET /` over TLS, offering only `http/1.1` by ALPN so the answer is HTTP/1.1 even from
 * servers that prefer h2.
 */
export async function httpsExchange(
  endpoint: Endpoint,
  options: { readonly servername: string | undefined },
  host: string,
  limits: ExchangeLimits,
): Promise<HttpsOutcome> {
  const request = httpGetRequest(host);
  const result = await withTls(
    endpoint,
    { servername: options.servername, alpn: ['http/1.1'] },
    limits,
    async (connection, signal) => {
      const reader = new ChunkReader(
        connection.socket,
        signal,
        Math.max(limits.maxBytes || DEFAULT_MAX_BYTES, 2 * MAX_HEAD_BYTES),
      );
      try {
        reader.write(request);
        const answer = await readHttpHead(reader);
        return { kind: 'answered' as const, alpn: connection.facts.alpn, answer };
      } finally {
        // The body is not wanted: no close_notify dance for it.
        reader.close();
      }
    },
  );
  return result.kind === 'answered' ? result : { kind: 'no-tls', failure: result };
}
