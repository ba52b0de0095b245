import { isIP } from 'node:net';
import { WiretightError } from '../../errors.ts';

/** A block of addresses written as a prefix: `10.0.0.0/28`, `fd00::/120`. */
export interface CidrRange {
  readonly family: 4 | 6;
  /** The first address of the block (host bits zero). */
  readonly network: bigint;
  readonly prefix: number;
  /** The range as written, normalised: `10.0.0.0/28`. */
  readonly text: string;
}

const BITS = { 4: 32, 6: 128 } as const;

function invalid(input: string, why: string): WiretightError {
  return new WiretightError(
    'WT_ERR_TARGET_INVALID',
    `not a valid range ${JSON.stringify(input)}: ${why}`,
  );
}

/** Whether the text is meant as a range (it has a prefix length), not a host. */
export function looksLikeCidr(text: string): boolean {
  return text.includes('/') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/**
 * Parses `a.b.c.d/n` or `v6/n` (brackets allowed: `[fd00::/120]`). The address must be
 * the first of its block: `10.0.0.5/24` is refused with the range it probably meant,
 * rather than guessed.
 */
export function parseCidr(text: string): CidrRange {
  const bare = /^\[([^\]]*)\]$/.exec(text)?.[1] ?? text;
  const slash = bare.indexOf('/');
  if (slash < 0) throw invalid(text, 'no /prefix');
  const addressText = bare.slice(0, slash);
  const prefixText = bare.slice(slash + 1);
  const family = isIP(addressText);
  if ((family !== 4 && family !== 6) || addressText.includes('%')) {
    throw invalid(text, `${JSON.stringify(addressText)} is not an IPv4 or IPv6 address`);
  }
  const bits = BITS[family];
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    throw invalid(text, `the prefix length must be 0..${bits}`);
  }
  const prefix = Number(prefixText);
  const value = family === 4 ? ipv4ToBigInt(addressText) : ipv6ToBigInt(addressText);
  const hostBits = BigInt(bits - prefix);
  const network = (value >> hostBits) << hostBits;
  if (network !== value) {
    const meant = `${formatAddress(family, network)}/${prefix}`;
    throw invalid(text, `host bits are set (the block is ${meant})`);
  }
  return { family, network, prefix, text: `${formatAddress(family, network)}/${prefix}` };
}

/**
 * The addresses worth scanning in a block: all of them, except the network and
 * broadcast addresses of an IPv4 block larger than /31 (RFC 3021 makes both addresses of
 * a /31 hosts).
 */
export function cidrSize(range: CidrRange): bigint {
  const all = 1n << BigInt(BITS[range.family] - range.prefix);
  return skipsEnds(range) ? all - 2n : all;
}

/** The addresses of cidrSize, one at a time and in order: nothing is materialised. */
export function* cidrAddresses(range: CidrRange): Generator<string> {
  const count = cidrSize(range);
  const first = skipsEnds(range) ? range.network + 1n : range.network;
  for (let i = 0n; i < count; i++) yield formatAddress(range.family, first + i);
}

function skipsEnds(range: CidrRange): boolean {
  return range.family === 4 && range.prefix < 31;
}

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** Expands `::` and a trailing dotted quad; the text is already known to be valid IPv6. */
function ipv6ToBigInt(text: string): bigint {
  let s = text;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad !== null) {
    const v4 = ipv4ToBigInt(quad[1] as string);
    s = `${s.slice(0, quad.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** Dotted quad, or RFC 5952 IPv6: lower case, no leading zeros, the longest zero run as `::`. */
export function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) =>
    Number((value >> shift) & 0xffffn),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
