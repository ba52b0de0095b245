// Identifiers in one canonical form, so that the policy, the store, ACME's comparison of a
// CSR with its order and the certificate's SAN all agree on what a name is: lower-case
// ASCII DNS names, IP addresses as Node prints them, URIs as given.
import { isIPv4, isIPv6 } from 'node:net';
import { WiretightError } from '../errors.ts';
import type { Identifier, IdentifierType } from './types.ts';

/** Caps on what one certificate may name (a hostile CSR could list thousands). */
export const MAX_IDENTIFIERS = 100;
export const MAX_URI_LENGTH = 2048;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `dns:api.svc.internal`, the form messages and the audit log use. */
export function describeIdentifier(id: Identifier): string {
  return `${id.type}:${id.value}`;
}

function invalid(id: { type: string; value: string }, why: string): WiretightError {
  const shown = id.value.length > 80 ? `${id.value.slice(0, 80)}…` : id.value;
  return new WiretightError('WT_ERR_CA_POLICY', `${id.type}:${JSON.stringify(shown)} ${why}`);
}

function normalizeDns(value: string): string {
  const name = value.toLowerCase().replace(/\.$/, '');
  if (!/^[\x21-\x7e]+$/.test(name)) {
    throw invalid({ type: 'dns', value }, 'is not an ASCII DNS name (use its xn-- form)');
  }
  if (name.length > 253) throw invalid({ type: 'dns', value }, 'is longer than 253 characters');
  const labels = name.split('.');
  const [first, ...rest] = labels;
  const checked = first === '*' ? rest : labels;
  if (first === '*' && rest.length < 2) {
    throw invalid({ type: 'dns', value }, 'is a wildcard over fewer than two labels');
  }
  for (const label of checked) {
    if (!LABEL.test(label)) {
      throw invalid({ type: 'dns', value }, `is not a valid DNS name (label "${label}")`);
    }
  }
  // RFC 1123 §2.1: a top-level label is never all digits; `10.0.0.1` is an address.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    throw invalid({ type: 'dns', value }, 'is not a DNS name (its last label is all digits)');
  }
  return name;
}

function normalizeIp(value: string): string {
  if (isIPv4(value)) {
    // Node accepts no leading zeros either; keep the text as the canonical dotted quad.
    return value;
  }
  if (isIPv6(value) && !value.includes('%')) {
    // WHATWG URL serialisation is RFC 5952's compressed lower-case form.
    return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  }
  throw invalid({ type: 'ip', value }, 'is not an IPv4 or IPv6 address');
}

function normalizeUri(value: string): string {
  if (value.length > MAX_URI_LENGTH) {
    throw invalid({ type: 'uri', value }, `is longer than ${MAX_URI_LENGTH} characters`);
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[\x21-\x7e]+$/.test(value)) {
    throw invalid({ type: 'uri', value }, 'is not an absolute URI of printable ASCII');
  }
  return value;
}

const NORMALIZERS: Readonly<Record<IdentifierType, (value: string) => string>> = {
  dns: normalizeDns,
  ip: normalizeIp,
  uri: normalizeUri,
};

/** The canonical form of one identifier; WT_ERR_CA_POLICY when it is not a valid one. */
export function normalizeIdentifier(id: Identifier): Identifier {
  if (typeof id !== 'object' || id === null || typeof id.value !== 'string') {
    throw new TypeError('an identifier is { type: "dns" | "ip" | "uri", value: string }');
  }
  const normalize = Object.hasOwn(NORMALIZERS, id.type) ? NORMALIZERS[id.type] : undefined;
  if (normalize === undefined) {
    throw new TypeError(`unknown identifier type "${String(id.type)}"`);
  }
  return { type: id.type, value: normalize(id.value) };
}

/**
 * Canonical identifiers without duplicates, in the order given. Empty lists and lists
 * over MAX_IDENTIFIERS are refused (WT_ERR_CA_POLICY).
 */
export function normalizeIdentifiers(ids: readonly Identifier[]): Identifier[] {
  if (!Array.isArray(ids)) throw new TypeError('identifiers must be an array');
  if (ids.length === 0) {
    throw new WiretightError('WT_ERR_CA_POLICY', 'a certificate needs at least one identifier');
  }
  if (ids.length > MAX_IDENTIFIERS) {
    throw new WiretightError(
      'WT_ERR_CA_POLICY',
      `${ids.length} identifiers: at most ${MAX_IDENTIFIERS} per certificate`,
    );
  }
  const seen = new Set<string>();
  const out: Identifier[] = [];
  for (const id of ids) {
    const normal = normalizeIdentifier(id);
    const key = describeIdentifier(normal);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(normal);
  }
  return out;
}

/** The same set of identifiers, order and duplicates aside (RFC 8555 §7.4's comparison). */
export function sameIdentifiers(a: readonly Identifier[], b: readonly Identifier[]): boolean {
  const left = new Set(a.map(describeIdentifier));
  const right = new Set(b.map(describeIdentifier));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

/** The 4 or 16 bytes of a canonical IP address. */
export function ipBytes(ip: string): Uint8Array {
  if (isIPv4(ip)) return Uint8Array.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) throw new RangeError(`"${ip}" is not an IP address`);
  const [head = '', tail] = new URL(`http://[${ip}]/`).hostname.slice(1, -1).split('::');
  const groups = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => parseInt(g, 16));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** The canonical text of a 4- or 16-byte iPAddress; undefined for other lengths. */
export function ipText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return normalizeIp(groups.join(':'));
}
