import { isIPv4, isIPv6 } from 'node:net';
import { WiretightError } from '../errors.ts';

export interface ScanTarget {
  readonly host: string;
  readonly port: number;
}

/** A target as written: the port is there only when the text names one. */
export interface TargetSpec {
  readonly host: string;
  readonly port?: number;
}

export const DEFAULT_PORT = 443;

/**
 * `net.isIP`, except that text with fewer than two colons, which cannot be an IPv6
 * address, never reaches Node's IPv6 pattern: compiling that pattern on its first use
 * costs several milliseconds of a command's start, and an IPv4 target needs none of it.
 */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (isIPv4(text)) return 4;
  const colon = text.indexOf(':');
  return colon >= 0 && text.includes(':', colon + 1) && isIPv6(text) ? 6 : 0;
}

/**
 * Parses `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address. A URL-like
 * `https://host/` is accepted too, since users paste them.
 */
export function parseTarget(input: string, defaultPort = DEFAULT_PORT): ScanTarget {
  const spec = parseTargetSpec(input);
  return { host: spec.host, port: spec.port ?? defaultPort };
}

/** Like parseTarget, but leaves the port out when the text does not name one. */
export function parseTargetSpec(input: string): TargetSpec {
  let s = input.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(s);
  if (url !== null) s = url[1] as string;
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed !== null) {
    host = bracketed[1] as string;
    portText = bracketed[2];
  } else if (ipVersion(s) === 6) {
    host = s;
  } else {
    const at = s.lastIndexOf(':');
    host = at < 0 ? s : s.slice(0, at);
    portText = at < 0 ? undefined : s.slice(at + 1);
  }
  const valid = /^[A-Za-z0-9._-]+$/.test(host) || ipVersion(host) !== 0;
  if (host === '' || !valid || host.length > 253) {
    throw new WiretightError('WT_ERR_TARGET_INVALID', `not a valid host: ${JSON.stringify(input)}`);
  }
  if (portText === undefined) return { host };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new WiretightError(
      'WT_ERR_TARGET_INVALID',
      `not a valid port in ${JSON.stringify(input)}`,
    );
  }
  return { host, port };
}

/** The address to connect to for a host: the first one it resolves to. */
export type Resolver = (host: string) => Promise<string>;

/** Every address a host resolves to (A and AAAA), in the resolver's order. */
export type AddressLookup = (host: string) => Promise<readonly string[]>;

export const defaultAddressLookup: AddressLookup = async (host) => {
  if (ipVersion(host) !== 0) return [host];
  let answers: { address: string }[];
  try {
    // Loaded here: a scan of an address never needs the resolver.
    const { lookup } = await import('node:dns/promises');
    answers = await lookup(host, { all: true });
  } catch (err) {
    throw new WiretightError(
      'WT_ERR_PROBE_DNS',
      `cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}`,
      { cause: err },
    );
  }
  const addresses = [...new Set(answers.map((a) => a.address))];
  if (addresses.length === 0) {
    throw new WiretightError('WT_ERR_PROBE_DNS', `cannot resolve ${host}: no address`);
  }
  return addresses;
};

export const defaultResolver: Resolver = async (host) =>
  (await defaultAddressLookup(host))[0] as string;

/** SNI is sent for names only (RFC 6066 §3), never for address literals. */
export function defaultSni(host: string): string | null {
  return ipVersion(host) === 0 ? host : null;
}

/** `host:port`, with an IPv6 address in brackets (`[::1]:443`) so the port stays readable. */
export function formatTarget(target: ScanTarget): string {
  return ipVersion(target.host) === 6
    ? `[${target.host}]:${target.port}`
    : `${target.host}:${target.port}`;
}
