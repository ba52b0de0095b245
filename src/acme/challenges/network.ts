/**
 * The network side shared by the validators: where to connect for an identifier, and what
 * a failed connection tells the client. Names resolve through the configured DNS server
 * when there is one (so http-01, tls-alpn-01 and dns-01 all see the same zone), else
 * through the system; `connectHost` overrides both, for tests only.
 */
import { Resolver } from 'node:dns/promises';
import type { Identifier } from '../../ca/types.ts';
import { type ProblemDocument, problemDocument } from '../problems.ts';
import type { ValidationSettings } from './types.ts';

/** A resolver asking `settings.dnsResolver` (or the system's servers), one try, bounded. */
export function dnsResolverFor(settings: ValidationSettings): Resolver {
  const resolver = new Resolver({ timeout: Math.max(100, settings.timeoutMs), tries: 1 });
  if (settings.dnsResolver !== undefined) resolver.setServers([settings.dnsResolver]);
  return resolver;
}

/** Runs a query and cancels it when `signal` aborts (node:dns has no signal option). */
export async function query<T>(
  resolver: Resolver,
  signal: AbortSignal,
  run: (r: Resolver) => Promise<T>,
): Promise<T> {
  const cancel = (): void => resolver.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    signal.throwIfAborted();
    return await run(resolver);
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** The address to connect to for the identifier (IPs as they are); undefined when a name has none. */
export async function addressOf(
  identifier: Identifier,
  settings: ValidationSettings,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (settings.connectHost !== undefined) return settings.connectHost;
  if (identifier.type === 'ip' || settings.dnsResolver === undefined) return identifier.value;
  const resolver = dnsResolverFor(settings);
  const name = identifier.value;
  const v4 = await query(resolver, signal, (r) => r.resolve4(name)).catch(() => []);
  return v4[0] ?? (await query(resolver, signal, (r) => r.resolve6(name)))[0];
}

const DNS_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'ESERVFAIL', 'EREFUSED', 'ECANCELLED'];

/** The problem a failed exchange with `what` (e.g. "http://a.example:80/…") shows the client. */
export function failureProblem(
  error: unknown,
  what: string,
  signal: AbortSignal,
  timeoutMs: number,
): ProblemDocument {
  const code = (error as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : error instanceof Error ? error.message : 'error';
  if (signal.aborted) {
    return problemDocument('connection', `${what}: no answer within ${timeoutMs} ms`);
  }
  if (typeof code === 'string' && DNS_CODES.includes(code)) {
    return problemDocument('dns', `${what}: DNS lookup failed (${code})`);
  }
  if (typeof code === 'string' && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return problemDocument('tls', `${what}: TLS handshake failed (${code})`);
  }
  return problemDocument('connection', `${what}: ${text.slice(0, 200)}`);
}
