// HTTP facts of a TLS endpoint: what `GET /` over TLS answers (status, HSTS, compression,
// Location, Server) and whether plain HTTP on the same host redirects to HTTPS. Both only
// matter when the endpoint speaks HTTP; the rules in rules/http.ts judge them. The
// conclusions are pure functions of the exchanges' outcomes, tested on recorded ones.
import { toHex } from '../core/bytes.ts';
import { DEFAULT_MAX_BYTES, type Dialer, type Endpoint } from '../probe/connection.ts';
import {
  type HttpAnswer,
  type HttpResponseHead,
  type HttpsOutcome,
  fieldValues,
  hostHeader,
  httpExchange,
  httpsExchange,
} from '../probe/http-exchange.ts';
import { describeTlsFailure } from './session-facts.ts';

/** Default port of the plain HTTP listener checked for a redirect. */
export const DEFAULT_HTTP_PORT = 80;

/** Longest header value kept in the facts, and how many HSTS values are kept. */
const MAX_VALUE_CHARS = 512;
const MAX_HSTS_VALUES = 8;

/** Strict-Transport-Security as received (RFC 6797). */
export interface HstsFacts {
  /** Every value received, in order; a browser heeds only the first (RFC 6797 §8.1). */
  readonly values: string[];
  /** Whether the first value is valid per RFC 6797 §6.1; a browser ignores an invalid one. */
  readonly valid: boolean;
  /** From the first value, when valid: seconds. */
  readonly maxAge?: number;
  readonly includeSubDomains?: boolean;
  readonly preload?: boolean;
  /** Why the first value is invalid, when it is. */
  readonly problem?: string;
}

/** How `GET /` over TLS ended. */
export type HttpsResult =
  | 'response'
  | 'not-http'
  | 'head-too-large'
  | 'timeout'
  | 'closed'
  | 'reset'
  /** No TLS connection to ask on (`error` says why). */
  | 'no-tls';

export interface HttpsFacts {
  readonly result: HttpsResult;
  /** The ALPN protocol the server chose when offered http/1.1 only. */
  readonly alpn?: string;
  readonly status?: number;
  readonly server?: string;
  readonly location?: string;
  /** Content codings of the response, lower-case, in order (`["gzip"]`); empty when none. */
  readonly contentEncoding?: string[];
  /** Strict-Transport-Security; null when the response had none. Absent without a response. */
  readonly hsts?: HstsFacts | null;
  /** The first bytes of an answer that is not HTTP, in hex. */
  readonly firstBytesHex?: string;
  readonly error?: string;
}

/**
 * - `redirects-to-https`: a 3xx to an https:// URL on the same host;
 * - `redirects-to-other-host`: a 3xx to an https:// URL on another host;
 * - `redirects-not-https`: a 3xx to a URL that is not https:// (or not a URL);
 * - `no-redirect`: an HTTP answer that is not a redirect (`status` says what);
 * - `not-listening`: nothing accepted the connection;
 * - `not-http`: something answered, not in HTTP;
 * - `error`: the connection was accepted but no complete answer came (`reason`);
 * - `not-checked`: skipped (`reason`).
 */
export type PlainHttpResult =
  | 'redirects-to-https'
  | 'redirects-to-other-host'
  | 'redirects-not-https'
  | 'no-redirect'
  | 'not-listening'
  | 'not-http'
  | 'error'
  | 'not-checked';

export interface PlainHttpFacts {
  /** The plain HTTP port asked; null when the check was skipped without one. */
  readonly port: number | null;
  readonly result: PlainHttpResult;
  readonly status?: number;
  readonly location?: string;
  readonly reason?: string;
}

/** Everything here goes into the scan report as is. */
export interface HttpFacts {
  /** The TLS endpoint speaks HTTP: it chose h2 or http/1.1 by ALPN, or answered in HTTP. */
  readonly speaksHttp: boolean;
  readonly https: HttpsFacts;
  readonly plainHttp: PlainHttpFacts;
}

/** Control characters escaped, and at most `max` characters: header values end up in reports. */
export function printable(value: string, max = MAX_VALUE_CHARS): string {
  const escaped = value.replace(
    /[\x00-\x08\x0a-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Splits an STS value at the semicolons that are not inside a quoted string. */
function directives(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted && c === '\\') {
      current += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

function unquote(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"')) return undefined;
  return raw.slice(1, -1).replace(/\\(.)/g, '$1');
}

type StsValue =
  | { valid: true; maxAge: number; includeSubDomains: boolean; preload: boolean }
  | { valid: false; problem: string };

/** One Strict-Transport-Security value, by the rules of RFC 6797 §6.1. */
export function parseStsValue(value: string): StsValue {
  const seen = new Map<string, string | undefined>();
  for (const d of directives(value)) {
    if (d.trim() === '') continue;
    const eq = d.indexOf('=');
    const name = (eq < 0 ? d : d.slice(0, eq)).trim().toLowerCase();
    if (!TOKEN.test(name))
      return { valid: false, problem: `"${printable(name, 40)}" is not a directive name` };
    if (seen.has(name))
      return { valid: false, problem: `the ${name} directive appears more than once` };
    const raw = eq < 0 ? undefined : d.slice(eq + 1).trim();
    const unquoted = raw === undefined ? undefined : unquote(raw);
    if (raw !== undefined && unquoted === undefined) {
      return { valid: false, problem: `the ${name} value has an unterminated quote` };
    }
    seen.set(name, unquoted);
  }
  if (!seen.has('max-age')) return { valid: false, problem: 'there is no max-age directive' };
  const maxAge = seen.get('max-age');
  if (maxAge === undefined || !/^\d+$/.test(maxAge)) {
    return { valid: false, problem: 'max-age is not a number of seconds' };
  }
  return {
    valid: true,
    maxAge: Math.min(Number(maxAge), Number.MAX_SAFE_INTEGER),
    includeSubDomains: seen.has('includesubdomains'),
    preload: seen.has('preload'),
  };
}

/** HSTS facts from every Strict-Transport-Security value of one response; null for none. */
export function hstsFacts(values: readonly string[]): HstsFacts | null {
  const first = values[0];
  if (first === undefined) return null;
  const parsed = parseStsValue(first);
  const kept = values.slice(0, MAX_HSTS_VALUES).map((v) => printable(v));
  return parsed.valid
    ? {
        values: kept,
        valid: true,
        maxAge: parsed.maxAge,
        includeSubDomains: parsed.includeSubDomains,
        preload: parsed.preload,
      }
    : { values: kept, valid: false, problem: parsed.problem };
}

/** A host name as compared for "the same host": lower-case, no brackets, no final dot. */
function normalHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/**
 * Where a redirect from plain HTTP leads: an https:// URL on one of `names` (the scanned
 * host and its SNI name), one elsewhere, or not HTTPS at all. A relative Location stays
 * on plain HTTP.
 */
export function classifyRedirect(
  location: string,
  requestUrl: string,
  names: readonly string[],
): 'redirects-to-https' | 'redirects-to-other-host' | 'redirects-not-https' {
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    return 'redirects-not-https';
  }
  if (url.protocol !== 'https:') return 'redirects-not-https';
  const host = normalHost(url.hostname);
  return names.some((n) => normalHost(n) === host)
    ? 'redirects-to-https'
    : 'redirects-to-other-host';
}

function firstField(head: HttpResponseHead, name: string): string | undefined {
  const value = fieldValues(head, name)[0];
  return value === undefined ? undefined : printable(value);
}

function contentCodings(head: HttpResponseHead): string[] {
  return fieldValues(head, 'content-encoding')
    .flatMap((v) => v.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .slice(0, 8)
    .map((c) => printable(c, 40));
}

const ANSWER_ERRORS: Readonly<
  Record<Exclude<HttpAnswer['kind'], 'response' | 'not-http'>, string>
> = {
  'head-too-large': 'the response head did not end within the size cap',
  timeout: 'no complete response head within the timeout',
  closed: 'the server closed the connection without answering',
  reset: 'the server reset the connection',
};

/** Facts of `GET /` over TLS. Pure. */
export function concludeHttps(outcome: HttpsOutcome): HttpsFacts {
  if (outcome.kind === 'no-tls') {
    return { result: 'no-tls', error: describeTlsFailure(outcome.failure) };
  }
  const alpn = outcome.alpn === undefined ? {} : { alpn: printable(outcome.alpn, 40) };
  const answer = outcome.answer;
  switch (answer.kind) {
    case 'response': {
      const head = answer.head;
      const server = firstField(head, 'server');
      const location = firstField(head, 'location');
      return {
        result: 'response',
        ...alpn,
        status: head.status,
        ...(server === undefined ? {} : { server }),
        ...(location === undefined ? {} : { location }),
        contentEncoding: contentCodings(head),
        hsts: hstsFacts(fieldValues(head, 'strict-transport-security')),
      };
    }
    case 'not-http':
      return { result: 'not-http', ...alpn, firstBytesHex: toHex(answer.firstBytes) };
    default:
      return { result: answer.kind, ...alpn, error: ANSWER_ERRORS[answer.kind] };
  }
}

/** Whether the TLS endpoint speaks HTTP, from its ALPN choices and its answer. */
export function speaksHttp(https: HttpsFacts, negotiatedAlpn?: string): boolean {
  const httpAlpn = (p: string | undefined): boolean => p === 'http/1.1' || p === 'h2';
  return https.result === 'response' || httpAlpn(https.alpn) || httpAlpn(negotiatedAlpn);
}

/** Facts of `GET /` on plain HTTP, sent as `requestUrl` to a host called `names`. Pure. */
export function concludePlainHttp(
  port: number,
  outcome: Awaited<ReturnType<typeof httpExchange>>,
  requestUrl: string,
  names: readonly string[],
): PlainHttpFacts {
  switch (outcome.kind) {
    case 'connect-failed':
      return { port, result: 'not-listening', reason: outcome.error.message };
    case 'not-http':
      return { port, result: 'not-http', reason: `first bytes ${toHex(outcome.firstBytes)}` };
    case 'response': {
      const { status } = outcome.head;
      const location = firstField(outcome.head, 'location');
      if (status < 300 || status > 399 || location === undefined) {
        return { port, result: 'no-redirect', status };
      }
      return {
        port,
        result: classifyRedirect(location, requestUrl, names),
        status,
        location,
      };
    }
    default:
      return { port, result: 'error', reason: ANSWER_ERRORS[outcome.kind] };
  }
}

export interface HttpFactsOptions {
  /** The SNI name the scan uses; undefined sends none. It is also the Host when set. */
  readonly sni: string | undefined;
  /** Deadline for each connection, from connect to the end of the response head. */
  readonly timeoutMs: number;
  /** Plain HTTP port checked for a redirect (the CLI's --http-port); null skips the check. */
  readonly httpPort?: number | null | undefined;
  /** The ALPN protocol a default handshake chose (SessionFacts.negotiated.alpn), if known. */
  readonly negotiatedAlpn?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly dialer?: Dialer | undefined;
}

/**
 * `GET /` over TLS, then, when the endpoint speaks HTTP, `GET /` on the plain HTTP port
 * of the same address: two connections, one after the other, each with its own deadline.
 */
export async function gatherHttpFacts(
  endpoint: Endpoint,
  options: HttpFactsOptions,
): Promise<HttpFacts> {
  const limits = {
    timeoutMs: options.timeoutMs,
    maxBytes: DEFAULT_MAX_BYTES,
    signal: options.signal,
    dialer: options.dialer,
  };
  const name = options.sni ?? endpoint.host;
  const names = options.sni === undefined ? [endpoint.host] : [endpoint.host, options.sni];
  const https = concludeHttps(
    await httpsExchange(
      endpoint,
      { servername: options.sni },
      hostHeader(name, endpoint.port, 443),
      limits,
    ),
  );
  const isHttp = speaksHttp(https, options.negotiatedAlpn);
  const port = options.httpPort === undefined ? DEFAULT_HTTP_PORT : options.httpPort;
  const skip = (reason: string): HttpFacts => ({
    speaksHttp: isHttp,
    https,
    plainHttp: { port, result: 'not-checked', reason },
  });
  if (!isHttp) return skip('the TLS port does not speak HTTP');
  if (port === null) return skip('no plain HTTP port to check');
  if (port === endpoint.port) return skip('the plain HTTP port is the TLS port');
  const host = hostHeader(name, port, DEFAULT_HTTP_PORT);
  const requestUrl = `http://${host}/`;
  const answer = await httpExchange({ ...endpoint, port }, host, limits);
  return {
    speaksHttp: isHttp,
    https,
    plainHttp: concludePlainHttp(port, answer, requestUrl, names),
  };
}
