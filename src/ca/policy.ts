// The provisioner policy: what this CA agrees to sign. Every refusal is WT_ERR_CA_POLICY and
// names the identifier (or key, lifetime, usage) and the rule it breaks, so whoever asked
// can tell what to change. ACME calls checkIdentifiers at newOrder, the CA again at issue.
import { WiretightError } from '../errors.ts';
import { formatDuration } from './duration.ts';
import {
  describeIdentifier,
  ipBytes,
  normalizeIdentifier,
  normalizeIdentifiers,
} from './identifiers.ts';
import { type IpRange, rangeContains } from './ip-range.ts';
import type { KeyType, PublicKeyDescription } from './keys.ts';
import type { CertificateUsage, Identifier } from './types.ts';

export interface ProvisionerPolicy {
  /** `.svc.internal` allows every name under it; `api.example.com` exactly that name. */
  readonly dns: readonly string[];
  /** Whether `*.name` may be issued (under an allowed suffix, or listed exactly). */
  readonly wildcards: boolean;
  readonly ip: readonly IpRange[];
  /** URIs must be `spiffe://<this>/<path>`; null: no URI identifiers at all. */
  readonly spiffeTrustDomain: string | null;
  readonly keyTypes: readonly KeyType[];
  readonly minRsaBits: number;
  readonly defaultLifetimeSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly usages: readonly CertificateUsage[];
}

/** What `ca init` writes unless told otherwise; it allows no identifier until given some. */
export const DEFAULT_POLICY: ProvisionerPolicy = {
  dns: [],
  wildcards: false,
  ip: [],
  spiffeTrustDomain: null,
  keyTypes: ['ecdsa-p256', 'ecdsa-p384', 'ed25519', 'rsa'],
  minRsaBits: 2048,
  defaultLifetimeSeconds: 86_400,
  maxLifetimeSeconds: 30 * 86_400,
  usages: ['server', 'client', 'both'],
};

/** A SPIFFE trust domain: lower-case letters, digits, dots, dashes and underscores. */
export const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;

/**
 * A DNS rule of the policy in canonical form: `.svc.internal` (every name under it) or an
 * exact name, which may be a wildcard. RangeError when it is neither.
 */
export function parseDnsRule(rule: string): string {
  const suffix = rule.startsWith('.');
  let name: string;
  try {
    name = normalizeIdentifier({ type: 'dns', value: suffix ? rule.slice(1) : rule }).value;
  } catch (err) {
    throw new RangeError((err as Error).message);
  }
  if (suffix && name.startsWith('*.'))
    throw new RangeError(`"${rule}": a suffix cannot hold a wildcard`);
  return suffix ? `.${name}` : name;
}

const refuse = (message: string): WiretightError => new WiretightError('WT_ERR_CA_POLICY', message);

function dnsAllowed(policy: ProvisionerPolicy, name: string): boolean {
  const wildcard = name.startsWith('*.');
  if (wildcard && !policy.wildcards) return false;
  const base = wildcard ? name.slice(2) : name;
  return policy.dns.some((entry) => {
    if (entry === name) return true;
    if (!entry.startsWith('.')) return false;
    // `*.svc.internal` covers names under .svc.internal, all of which are allowed.
    return base.endsWith(entry) || (wildcard && `.${base}` === entry);
  });
}

const SPIFFE_PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;

/** `spiffe://<domain>/<segments>` per the SPIFFE ID spec: no query, port, user or dot segments. */
function spiffeProblem(uri: string, trustDomain: string): string | undefined {
  const prefix = `spiffe://${trustDomain}/`;
  if (!uri.startsWith(prefix)) return `it is not a SPIFFE ID in trust domain ${trustDomain}`;
  const segments = uri.slice(prefix.length).split('/');
  const bad = segments.find((s) => !SPIFFE_PATH_SEGMENT.test(s) || s === '.' || s === '..');
  return bad === undefined ? undefined : `its path segment "${bad}" is not allowed in a SPIFFE ID`;
}

function identifierProblem(policy: ProvisionerPolicy, id: Identifier): string | undefined {
  if (id.type === 'dns') {
    if (id.value.startsWith('*.') && !policy.wildcards) {
      return 'wildcards are not allowed (policy: wildcards: false)';
    }
    if (dnsAllowed(policy, id.value)) return undefined;
    return policy.dns.length === 0
      ? 'the policy allows no DNS names (policy: dns is empty)'
      : `it is not one of, or under, the allowed DNS names (policy: dns: ${policy.dns.join(', ')})`;
  }
  if (id.type === 'ip') {
    const bytes = ipBytes(id.value);
    if (policy.ip.some((range) => rangeContains(range, bytes))) return undefined;
    return policy.ip.length === 0
      ? 'the policy allows no IP addresses (policy: ip is empty)'
      : `it is outside the allowed ranges (policy: ip: ${policy.ip.map((r) => r.text).join(', ')})`;
  }
  if (policy.spiffeTrustDomain === null) {
    return 'the policy allows no URIs (policy: spiffe is not set)';
  }
  const problem = spiffeProblem(id.value, policy.spiffeTrustDomain);
  return problem === undefined
    ? undefined
    : `${problem} (policy: spiffe: ${policy.spiffeTrustDomain})`;
}

/**
 * The canonical identifiers when the policy allows every one of them; otherwise
 * WT_ERR_CA_POLICY naming the first refused identifier and the rule.
 */
export function checkIdentifiers(
  policy: ProvisionerPolicy,
  identifiers: readonly Identifier[],
): Identifier[] {
  const normal = normalizeIdentifiers(identifiers);
  for (const id of normal) {
    const problem = identifierProblem(policy, id);
    if (problem !== undefined) {
      throw refuse(`${describeIdentifier(id)} is not allowed: ${problem}`);
    }
  }
  return normal;
}

export function checkKey(policy: ProvisionerPolicy, key: PublicKeyDescription): void {
  if (key.type === null || !policy.keyTypes.includes(key.type)) {
    throw refuse(
      `a ${key.name} key is not allowed (policy: keys.types: ${policy.keyTypes.join(', ')})`,
    );
  }
  if (key.type === 'rsa' && key.bits < policy.minRsaBits) {
    throw refuse(
      `a ${key.bits}-bit RSA key is too small (policy: keys.minRsaBits: ${policy.minRsaBits})`,
    );
  }
}

export function checkUsage(policy: ProvisionerPolicy, usage: CertificateUsage): void {
  if (!policy.usages.includes(usage)) {
    throw refuse(`usage "${usage}" is not allowed (policy: usages: ${policy.usages.join(', ')})`);
  }
}

/** The lifetime to issue: the request's, or the policy default; above the maximum is refused. */
export function lifetimeFor(policy: ProvisionerPolicy, requested: number | undefined): number {
  if (requested === undefined) return policy.defaultLifetimeSeconds;
  if (!Number.isInteger(requested) || requested <= 0) {
    throw new RangeError(`lifetimeSeconds must be a positive whole number, not ${requested}`);
  }
  if (requested > policy.maxLifetimeSeconds) {
    throw refuse(
      `a lifetime of ${formatDuration(requested)} is above the maximum (policy: lifetime.max: ${formatDuration(policy.maxLifetimeSeconds)})`,
    );
  }
  return requested;
}
