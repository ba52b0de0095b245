// CIDR ranges for the policy (which IP identifiers may be issued) and for name
// constraints (the same ranges, as address and mask bytes).
import { ipBytes, ipText, normalizeIdentifier } from './identifiers.ts';

export interface IpRange {
  /** Canonical `address/prefix` with the host bits cleared: `10.0.0.0/8`, `fd00::/8`. */
  readonly text: string;
  /** The network address, 4 or 16 bytes. */
  readonly network: Uint8Array;
  readonly prefix: number;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128); RangeError when invalid. */
export function parseIpRange(text: string): IpRange {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  let canonical: string;
  try {
    canonical = normalizeIdentifier({ type: 'ip', value: address }).value;
  } catch {
    throw new RangeError(`"${text}" is not an IP range (CIDR such as 10.0.0.0/8 or fd00::/8)`);
  }
  const bytes = ipBytes(canonical);
  const max = bytes.length * 8;
  const prefixText = slash === -1 ? String(max) : text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    throw new RangeError(`"${text}": the prefix length must be 0..${max}`);
  }
  const prefix = Number(prefixText);
  const network = maskBytes(bytes.length, prefix).map((m, i) => (bytes[i] as number) & m);
  return { text: `${ipText(network) ?? canonical}/${prefix}`, network, prefix };
}

/** The netmask of a prefix, as `length` bytes. */
export function maskBytes(length: number, prefix: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    mask[i] = (0xff00 >> bits) & 0xff;
  }
  return mask;
}

/** Whether the 4- or 16-byte `address` is inside `range` (families never mix). */
export function rangeContains(range: IpRange, address: Uint8Array): boolean {
  if (address.length !== range.network.length) return false;
  const mask = maskBytes(address.length, range.prefix);
  return address.every((b, i) => (b & (mask[i] as number)) === range.network[i]);
}
