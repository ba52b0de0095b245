// Who may talk through the tunnel once their certificate has verified: the --allow-*
// rules. The decision is data (the rule that matched, or why none did) so the connection
// log line and the metrics can say it without parsing messages.
import type { PeerIdentity } from './identity.ts';

export interface AllowRules {
  /** Exact DNS names (case-insensitive) in the peer's subjectAltName. */
  readonly dns?: readonly string[];
  /** URIs (SPIFFE IDs): exact, or `spiffe://domain/path/*` for any ID below that path. */
  readonly uri?: readonly string[];
  /** Exact subject commonName values. */
  readonly cn?: readonly string[];
  /** Exact subject organizationalUnit values. */
  readonly ou?: readonly string[];
  /** Any peer the CA bundle verifies; exclusive with the other rules. */
  readonly any?: boolean;
}

export type AuthorizationDecision =
  | { readonly allowed: true; readonly rule: string }
  | { readonly allowed: false; readonly reason: 'not-allowed' };

export interface Authorizer {
  readonly rules: readonly string[];
  authorize(identity: PeerIdentity): AuthorizationDecision;
}

type Matcher = (identity: PeerIdentity) => boolean;

const MAX_RULES = 1000;

function uriMatcher(rule: string): Matcher {
  if (!URL.canParse(rule)) throw new RangeError(`--allow-uri ${rule}: not a URI`);
  if (rule.endsWith('/*')) {
    const prefix = rule.slice(0, -1);
    if (prefix.includes('*'))
      throw new RangeError(`--allow-uri ${rule}: only a final /* is allowed`);
    return (id) => id.uris.some((u) => u.startsWith(prefix) && u.length > prefix.length);
  }
  if (rule.includes('*')) throw new RangeError(`--allow-uri ${rule}: only a final /* is allowed`);
  return (id) => id.uris.includes(rule);
}

const BUILDERS = {
  dns: (rule: string): Matcher => {
    const want = rule.toLowerCase();
    if (want === '' || want.includes('*')) {
      throw new RangeError(`--allow-dns ${rule}: give an exact DNS name`);
    }
    return (id) => id.dnsNames.includes(want);
  },
  uri: uriMatcher,
  cn:
    (rule: string): Matcher =>
    (id) =>
      id.commonNames.includes(rule),
  ou:
    (rule: string): Matcher =>
    (id) =>
      id.organizationalUnits.includes(rule),
} as const;

/** Compiles the rules once; wrong rules are a RangeError naming the flag. */
export function createAuthorizer(rules: AllowRules): Authorizer {
  const compiled: { name: string; match: Matcher }[] = [];
  for (const kind of Object.keys(BUILDERS) as (keyof typeof BUILDERS)[]) {
    for (const rule of rules[kind] ?? []) {
      compiled.push({ name: `${kind}:${rule}`, match: BUILDERS[kind](rule) });
    }
  }
  if (compiled.length > MAX_RULES) throw new RangeError(`more than ${MAX_RULES} --allow rules`);
  if (rules.any === true) {
    if (compiled.length > 0) throw new RangeError('--allow-all excludes the other --allow rules');
    return { rules: ['any'], authorize: () => ({ allowed: true, rule: 'any' }) };
  }
  return {
    rules: compiled.map((c) => c.name),
    authorize(identity) {
      const hit = compiled.find((c) => c.match(identity));
      return hit === undefined
        ? { allowed: false, reason: 'not-allowed' }
        : { allowed: true, rule: hit.name };
    },
  };
}
