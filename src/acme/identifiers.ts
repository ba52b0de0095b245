/**
 * The identifiers of a newOrder: DNS names (RFC 8555) and IP addresses (RFC 8738), read
 * from hostile JSON into their canonical form (lower-case names, RFC 5952 IPv6 text), so
 * the order, its authorizations and the CSR check all compare the same strings.
 */
import { isIP } from 'node:net';
import type { Identifier } from '../ca/types.ts';
import { AcmeProblem, type ProblemDocument, problemDocument } from './problems.ts';

/** Let's Encrypt's limit; an order for more names is refused before any work is done. */
export const MAX_ORDER_IDENTIFIERS = 100;

const MAX_DNS_NAME = 253;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const WILDCARD_PREFIX = '*.';

/** The name an authorization is for: a wildcard's base domain, flagged. */
export interface AuthorizationTarget {
  readonly identifier: Identifier;
  readonly wildcard: boolean;
}

export function authorizationTarget(identifier: Identifier): AuthorizationTarget {
  return identifier.type === 'dns' && identifier.value.startsWith(WILDCARD_PREFIX)
    ? {
        identifier: { type: 'dns', value: identifier.value.slice(WILDCARD_PREFIX.length) },
        wildcard: true,
      }
    : { identifier, wildcard: false };
}

function dnsProblem(value: string): string | undefined {
  const base = value.startsWith(WILDCARD_PREFIX) ? value.slice(WILDCARD_PREFIX.length) : value;
  if (value.length > MAX_DNS_NAME) return `a DNS name is at most ${MAX_DNS_NAME} characters`;
  if (base.length === 0) return 'the DNS name is empty';
  const bad = base.split('.').find((label) => !LABEL.test(label));
  if (bad === undefined) return undefined;
  if (bad.includes('*')) return 'a wildcard is allowed only as the whole leftmost label (*.)';
  return `label "${bad.slice(0, 63)}" is not 1-63 letters, digits or inner hyphens (use the A-label of an IDN)`;
}

/** RFC 5952 text of an IPv6 address (WHATWG URL serialises hosts that way), or IPv4 as is. */
export function canonicalIp(value: string): string | undefined {
  const family = isIP(value);
  if (family === 4) return value;
  // node:net accepts a zone (fe80::1%eth0), which no certificate can name.
  if (family !== 6 || value.includes('%')) return undefined;
  return new URL(`http://[${value}]/`).hostname.slice(1, -1);
}

function canonical(raw: unknown, index: number): Identifier | ProblemDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AcmeProblem('malformed', `identifiers[${index}] is not an object`);
  }
  const { type, value } = raw as Record<string, unknown>;
  if (typeof type !== 'string' || typeof value !== 'string') {
    throw new AcmeProblem('malformed', `identifiers[${index}] needs a string type and value`);
  }
  const shown = { type: type === 'ip' ? 'ip' : 'dns', value: value.slice(0, 300) } as const;
  if (type === 'dns') {
    const name = value.toLowerCase();
    const why = dnsProblem(name);
    return why === undefined
      ? { type: 'dns', value: name }
      : problemDocument('rejectedIdentifier', `${shown.value}: ${why}`, { identifier: shown });
  }
  if (type === 'ip') {
    const ip = canonicalIp(value);
    return ip === undefined
      ? problemDocument('rejectedIdentifier', `${shown.value} is not an IP address`, {
          identifier: shown,
        })
      : { type: 'ip', value: ip };
  }
  throw new AcmeProblem(
    'unsupportedIdentifier',
    `identifier type "${type.slice(0, 40)}" is not supported (dns, ip)`,
  );
}

const isIdentifier = (x: Identifier | ProblemDocument): x is Identifier => !('detail' in x);

/**
 * The canonical, de-duplicated identifiers of a newOrder payload. Syntax errors are one
 * rejectedIdentifier problem with a subproblem per bad identifier.
 */
export function parseOrderIdentifiers(raw: unknown): Identifier[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new AcmeProblem('malformed', 'identifiers must be a non-empty array');
  }
  if (raw.length > MAX_ORDER_IDENTIFIERS) {
    throw new AcmeProblem(
      'rejectedIdentifier',
      `an order names at most ${MAX_ORDER_IDENTIFIERS} identifiers`,
    );
  }
  const results = raw.map((item: unknown, i) => canonical(item, i));
  const problems = results.filter((r): r is ProblemDocument => !isIdentifier(r));
  if (problems.length > 0) {
    throw new AcmeProblem('rejectedIdentifier', problems.map((p) => p.detail).join('; '), {
      subproblems: problems,
    });
  }
  const seen = new Set<string>();
  return results.filter(isIdentifier).filter((id) => {
    const key = `${id.type}:${id.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const sameIdentifier = (a: Identifier, b: Identifier): boolean =>
  a.type === b.type && a.value === b.value;
