import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { WiretightError } from '../errors.ts';

export interface ScanTarget {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_PORT = 443;

/**
 * Parses `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address. A URL-like
 * `https://host/` is accepted too, since users paste them.
 */
export function parseTarget(input: string, defaultPort = DEFAULT_PORT): ScanTarget {
  let s = input.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(s);
  if (url !== null) s = url[1] as string;
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed !== null) {
    host = bracketed[1] as string;
    portText = bracketed[2];
  } else if (isIP(s) === 6) {
    host = s;
  } else {
    const at = s.lastIndexOf(':');
    host = at < 0 ? s : s.slice(0, at);
    portText = at < 0 ? undefined : s.slice(at + 1);
  }
  const valid = /^[A-Za-z0-9._-]+$/.test(host) || isIP(host) !== 0;
  if (host === '' || !valid || host.length > 253) {
    throw new WiretightError('WT_ERR_TARGET_INVALID', `not a valid host: ${JSON.stringify(input)}`);
  }
  const port = portText === undefined ? defaultPort : Number(portText);
  if (
    !Number.isInteger(port) ||
    port < 1 ||
    port > 65535 ||
    (portText !== undefined && !/^\d+$/.test(portText))
  ) {
    throw new WiretightError(
      'WT_ERR_TARGET_INVALID',
      `not a valid port in ${JSON.stringify(input)}`,
    );
  }
  return { host, port };
}

export type Resolver = (host: string) => Promise<string>;

export const defaultResolver: Resolver = async (host) => {
  if (isIP(host) !== 0) return host;
  try {
    return (await dnsLookup(host)).address;
  } catch (err) {
    throw new WiretightError(
      'WT_ERR_PROBE_DNS',
      `cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}`,
      { cause: err },
    );
  }
};

/** SNI is sent for names only (RFC 6066 §3), never for address literals. */
export function defaultSni(host: string): string | null {
  return isIP(host) === 0 ? host : null;
}
