import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** The identities a leaf certificate presents. */
export interface PresentedNames {
  readonly dnsNames: readonly string[];
  /** iPAddress SANs as bytes (4 for IPv4, 16 for IPv6). */
  readonly ipAddresses: readonly Uint8Array[];
  readonly commonNames: readonly string[];
}

/** Whether the leaf is valid for the name or address a client asked for (RFC 6125). */
export interface HostnameVerdict {
  /** The name or address checked, as given. */
  readonly host: string;
  readonly kind: 'dns' | 'ip';
  readonly matches: boolean;
  /** The presented identity that matched: `DNS:*.example.com`, `IP:127.0.0.1` or `CN:example.com`. */
  readonly matchedBy: string | null;
  /**
   * The certificate has no DNS name in subjectAltName, so its subject CN was checked as a
   * last resort, as OpenSSL does. Browsers no longer accept a CN-only certificate.
   */
  readonly commonNameChecked: boolean;
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

/** An address `net.isIP` accepted as IPv6, as 16 bytes (handles `::` and a dotted tail). */
function ipv6Bytes(text: string): Uint8Array {
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((g) => {
      if (!g.includes('.')) return [parseInt(g, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(g);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** `IP:` text of an iPAddress SAN: dotted IPv4, or eight hex groups as OpenSSL prints IPv6. */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16) {
    const words: string[] = [];
    for (let i = 0; i < 16; i += 2)
      words.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
    return words.join(':');
  }
  return `invalid(${Buffer.from(bytes).toString('hex')})`;
}

/** Lower case, no trailing dot, IDNs as A-labels: the form names are compared in. */
function normaliseName(name: string): string {
  const trimmed = name.replace(/\.$/, '').toLowerCase();
  return /[^\x00-\x7f]/.test(trimmed) ? domainToASCII(trimmed) : trimmed;
}

/**
 * RFC 6125 §6.4: exact match, or a wildcard that is the whole left-most label and stands
 * for exactly one non-empty label, with at least two labels after it (`*.com` matches
 * nothing). Partial-label wildcards (`f*.example.com`) are refused, as browsers do.
 */
export function dnsNameMatches(host: string, presented: string): boolean {
  const pattern = normaliseName(presented);
  if (pattern === '' || host === '') return false;
  if (!pattern.includes('*')) return pattern === host;
  if (!pattern.startsWith('*.') || pattern.indexOf('*', 1) !== -1) return false;
  const rest = pattern.slice(2);
  if (!rest.includes('.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === rest;
}

/**
 * Checks `host` (an SNI name, or an IPv4/IPv6 address, brackets allowed) against what the
 * leaf presents: addresses against iPAddress SANs only; names against dNSName SANs, and
 * against the subject CN only when there is no dNSName SAN at all.
 */
export function matchHostname(host: string, names: PresentedNames): HostnameVerdict {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare);
  if (family !== 0) {
    const wanted = family === 4 ? ipv4Bytes(bare) : ipv6Bytes(bare);
    const hit = names.ipAddresses.find((ip) => Buffer.compare(ip, wanted) === 0);
    return {
      host,
      kind: 'ip',
      matches: hit !== undefined,
      matchedBy: hit === undefined ? null : `IP:${formatIpAddress(hit)}`,
      commonNameChecked: false,
    };
  }
  const wanted = normaliseName(host);
  const san = names.dnsNames.find((n) => dnsNameMatches(wanted, n));
  if (san !== undefined) {
    return { host, kind: 'dns', matches: true, matchedBy: `DNS:${san}`, commonNameChecked: false };
  }
  const useCn = names.dnsNames.length === 0;
  const cn = useCn ? names.commonNames.find((n) => dnsNameMatches(wanted, n)) : undefined;
  return {
    host,
    kind: 'dns',
    matches: cn !== undefined,
    matchedBy: cn === undefined ? null : `CN:${cn}`,
    commonNameChecked: useCn,
  };
}
