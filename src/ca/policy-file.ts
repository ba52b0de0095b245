// policy.yaml: read strictly (one document, no duplicate keys, no unknown keys, capped size,
// aliases and nesting), every problem reported as file:line:column: key.path: what is wrong.
// `renderPolicy` writes the commented file `ca init` starts from.
import { LineCounter, type Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { WiretightError } from '../errors.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { parseIpRange } from './ip-range.ts';
import { KEY_TYPES, type KeyType } from './keys.ts';
import { DEFAULT_POLICY, type ProvisionerPolicy, TRUST_DOMAIN, parseDnsRule } from './policy.ts';
import { CERTIFICATE_USAGES, type CertificateUsage } from './types.ts';

/** A policy is a page of settings; 64 KiB is far beyond any real one. */
export const MAX_POLICY_BYTES = 64 * 1024;
const MAX_ALIAS_COUNT = 16;
const MAX_PROBLEMS = 20;

type Path = readonly (string | number)[];

const formatPath = (path: Path): string =>
  path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

/** The node at `path` (its key's node with `key`), or the nearest enclosing one, for its position. */
function nodeAt(root: unknown, path: Path, key: boolean): Node | undefined {
  let node = root;
  let found = root as Node | undefined;
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
      node = key && i === path.length - 1 ? pair?.key : pair?.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else break;
    if (node === undefined || node === null) break;
    found = node as Node;
  }
  return found;
}

class Problems {
  readonly list: string[] = [];
  readonly #file: string;
  readonly #where: (path: Path, key: boolean) => string;

  constructor(file: string, where: (path: Path, key: boolean) => string) {
    this.#file = file;
    this.#where = where;
  }

  /** Records a problem at the value of `path`, or at its key when `key` is set. */
  add(path: Path, message: string, key = false): void {
    if (this.list.length < MAX_PROBLEMS) {
      this.list.push(
        `${this.#file}:${this.#where(path, key)}: ${path.length > 0 ? `${formatPath(path)}: ` : ''}${message}`,
      );
    }
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new WiretightError('WT_ERR_CA_CONFIG', this.list.join('\n'));
  }
}

const KEYS = {
  root: ['version', 'dns', 'wildcards', 'ip', 'spiffe', 'keys', 'lifetime', 'usages'],
  keys: ['types', 'minRsaBits'],
  lifetime: ['default', 'max'],
} as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeys(
  value: unknown,
  allowed: readonly string[],
  path: Path,
  problems: Problems,
): value is Record<string, unknown> {
  if (value === undefined) return false;
  if (!isRecord(value)) {
    problems.add(path, 'must be a mapping');
    return false;
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      problems.add([...path, key], `unknown key (allowed: ${allowed.join(', ')})`, true);
  }
  return true;
}

/** Each string of a list through `parse`, problems reported at the item. */
function list<T>(
  value: unknown,
  path: Path,
  problems: Problems,
  parse: (s: string) => T,
): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.add(path, 'must be a list');
    return undefined;
  }
  const out: T[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string') {
      problems.add([...path, i], 'must be a string');
      return;
    }
    try {
      out.push(parse(item));
    } catch (err) {
      problems.add([...path, i], err instanceof Error ? err.message : String(err));
    }
  });
  return out;
}

function oneOf<T extends string>(choices: readonly T[]): (s: string) => T {
  return (s) => {
    if (!(choices as readonly string[]).includes(s)) {
      throw new RangeError(`"${s}" is not one of ${choices.join(', ')}`);
    }
    return s as T;
  };
}

function scalar<T>(
  value: unknown,
  path: Path,
  problems: Problems,
  check: (v: unknown) => T | string,
): T | undefined {
  if (value === undefined) return undefined;
  const result = check(value);
  if (typeof result === 'string') {
    problems.add(path, result);
    return undefined;
  }
  return result;
}

const durationOf = (v: unknown): { s: number } | string => {
  if (typeof v !== 'string') return 'must be a duration such as 24h or 30d';
  try {
    return { s: parseDuration(v) };
  } catch (err) {
    return (err as Error).message;
  }
};

function validate(doc: Record<string, unknown>, problems: Problems): ProvisionerPolicy {
  const d = DEFAULT_POLICY;
  scalar(doc['version'], ['version'], problems, (v) => (v === 1 ? true : 'must be 1'));
  const dns = list(doc['dns'], ['dns'], problems, parseDnsRule);
  const ip = list(doc['ip'], ['ip'], problems, parseIpRange);
  const wildcards = scalar(doc['wildcards'], ['wildcards'], problems, (v) =>
    typeof v === 'boolean' ? { v } : 'must be true or false',
  );
  const spiffe = scalar(doc['spiffe'], ['spiffe'], problems, (v) =>
    v === null || (typeof v === 'string' && TRUST_DOMAIN.test(v))
      ? { v }
      : 'must be a SPIFFE trust domain (lower-case letters, digits, . - _) or null',
  );
  const keys = checkKeys(doc['keys'], KEYS.keys, ['keys'], problems)
    ? (doc['keys'] as Record<string, unknown>)
    : {};
  const keyTypes = list(keys['types'], ['keys', 'types'], problems, oneOf<KeyType>(KEY_TYPES));
  const minRsaBits = scalar(keys['minRsaBits'], ['keys', 'minRsaBits'], problems, (v) =>
    Number.isInteger(v) && (v as number) >= 2048 && (v as number) <= 16384
      ? { v: v as number }
      : 'must be a whole number of bits, 2048 to 16384',
  );
  const lifetime = checkKeys(doc['lifetime'], KEYS.lifetime, ['lifetime'], problems)
    ? (doc['lifetime'] as Record<string, unknown>)
    : {};
  const defaultLifetime = scalar(
    lifetime['default'],
    ['lifetime', 'default'],
    problems,
    durationOf,
  );
  const maxLifetime = scalar(lifetime['max'], ['lifetime', 'max'], problems, durationOf);
  const usages = list(
    doc['usages'],
    ['usages'],
    problems,
    oneOf<CertificateUsage>(CERTIFICATE_USAGES),
  );
  if (keyTypes?.length === 0) problems.add(['keys', 'types'], 'must allow at least one key type');
  if (usages?.length === 0) problems.add(['usages'], 'must allow at least one usage');
  const policy: ProvisionerPolicy = {
    dns: dns ?? d.dns,
    wildcards: wildcards?.v ?? d.wildcards,
    ip: ip ?? d.ip,
    spiffeTrustDomain: spiffe === undefined ? d.spiffeTrustDomain : spiffe.v,
    keyTypes: keyTypes ?? d.keyTypes,
    minRsaBits: minRsaBits?.v ?? d.minRsaBits,
    defaultLifetimeSeconds: defaultLifetime?.s ?? d.defaultLifetimeSeconds,
    maxLifetimeSeconds: maxLifetime?.s ?? d.maxLifetimeSeconds,
    usages: usages ?? d.usages,
  };
  if (policy.defaultLifetimeSeconds > policy.maxLifetimeSeconds) {
    problems.add(
      ['lifetime', 'default'],
      `is longer than lifetime.max (${formatDuration(policy.maxLifetimeSeconds)})`,
    );
  }
  return policy;
}

/** Parses policy text; `file` names it in messages. WT_ERR_CA_CONFIG listing every problem. */
export function parsePolicy(text: string, file: string): ProvisionerPolicy {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw new WiretightError('WT_ERR_CA_CONFIG', `${file}: larger than ${MAX_POLICY_BYTES} bytes`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    strict: true,
    uniqueKeys: true,
  });
  const where = (offset: number): string => {
    const p = lines.linePos(offset);
    return `${p.line}:${p.col}`;
  };
  const problems = new Problems(file, (path, key) =>
    where(nodeAt(doc.contents, path, key)?.range?.[0] ?? 0),
  );
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, MAX_PROBLEMS)) {
      problems.list.push(
        `${file}:${where(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0] ?? e.code}`,
      );
    }
    problems.throwIfAny();
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    throw new WiretightError(
      'WT_ERR_CA_CONFIG',
      `${file}: aliases expand too much or refer to no anchor`,
      { cause },
    );
  }
  // An empty file is the default policy; anything else must be a mapping of known keys.
  const root = value ?? {};
  if (!checkKeys(root, KEYS.root, [], problems)) problems.throwIfAny();
  const policy = validate(root as Record<string, unknown>, problems);
  problems.throwIfAny();
  return policy;
}

const flow = (items: readonly string[]): string =>
  `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;

/** The commented policy.yaml `ca init` writes; parsePolicy(renderPolicy(p)) equals p. */
export function renderPolicy(policy: ProvisionerPolicy): string {
  return `# wiretight CA provisioner policy: what this CA agrees to sign (docs/ca.md).
# Changes apply the next time the CA opens (a CLI command, or a restart of ca serve).
version: 1

# DNS names. A leading dot allows every name under it (.svc.internal allows
# api.svc.internal but not svc.internal); without one, exactly that name.
dns: ${flow(policy.dns)}
# Whether *.name may be issued (under an allowed suffix, or listed exactly above).
wildcards: ${policy.wildcards}

# IP addresses, as CIDR ranges (IPv4 and IPv6).
ip: ${flow(policy.ip.map((r) => r.text))}

# SPIFFE trust domain: URI identifiers must be spiffe://<domain>/<path>. null: no URIs.
spiffe: ${policy.spiffeTrustDomain === null ? 'null' : JSON.stringify(policy.spiffeTrustDomain)}

# Subject keys: ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519, rsa (at least minRsaBits).
keys:
  types: ${flow(policy.keyTypes)}
  minRsaBits: ${policy.minRsaBits}

# Certificate lifetimes: the default when a request names none, and the most allowed.
lifetime:
  default: ${formatDuration(policy.defaultLifetimeSeconds)}
  max: ${formatDuration(policy.maxLifetimeSeconds)}

# Extended key usages a certificate may have: server, client, both.
usages: ${flow(policy.usages)}
`;
}
