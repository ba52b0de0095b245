// The policy format, version 1: each key's validator turns the parsed YAML into a Policy
// or records problems at the key's position. All problems are collected before failing,
// so one run shows everything to fix.
import { FINDING_IDS, isFindingId } from '../findings/index.ts';
import { PROTOCOL_NAMES, type ProtocolName } from '../../wire/registry/versions.ts';
import { CIPHER_SUITES } from '../../wire/registry/cipher-suites.ts';
import { selectSuites, suiteKey } from './cipher-string.ts';
import { didYouMean } from './did-you-mean.ts';
import { PolicyError, type PolicyProblem } from './policy-error.ts';
import type { AllowedSuites, Policy, Suppression } from './policy.ts';
import { type KeyPath, type PolicySource, formatPath } from './yaml-source.ts';
import { type TargetPattern, parseTargetPattern } from './target-pattern.ts';

/** Every key of the format, as docs/policy.md names them (a test checks the docs). */
export const POLICY_KEYS = [
  'version',
  'minVersion',
  'allowedSuites',
  'minKeySizes',
  'minKeySizes.rsa',
  'minKeySizes.ec',
  'minKeySizes.dh',
  'maxCertificateLifetimeDays',
  'expiryWarningDays',
  'requireHsts',
  'requireHsts.minMaxAge',
  'requireClientCertificates',
  'suppressions',
  'suppressions[].id',
  'suppressions[].targets',
  'suppressions[].reason',
  'suppressions[].expires',
] as const;

/** The protocol versions `minVersion` accepts. */
export const MIN_VERSIONS: readonly ProtocolName[] = PROTOCOL_NAMES.filter((v) => v !== 'SSLv2');

const MAX_SUPPRESSIONS = 1000;
const MAX_TARGETS = 256;
const MAX_REASON_LENGTH = 1000;
const MAX_KEY_BITS = 16384;
const MAX_LIFETIME_DAYS = 36_500;
const MAX_WARNING_DAYS = 3650;
const MAX_HSTS_MAX_AGE = 2 ** 31 - 1;
const DAY_MS = 86_400_000;

interface Context {
  readonly source: PolicySource;
  readonly now: Date;
  readonly problems: PolicyProblem[];
}

/** Problems collected from one file; past this, more only repeat the same mistake. */
const MAX_PROBLEMS = 200;

function report(ctx: Context, path: KeyPath, message: string, key = false): undefined {
  if (ctx.problems.length >= MAX_PROBLEMS) return undefined;
  ctx.problems.push({
    file: ctx.source.file,
    ...ctx.source.locate(path, key),
    path: formatPath(path),
    message,
  });
  return undefined;
}

/** How a wrong value reads in a message: `got the number 3`, `got a list`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (typeof value === 'string') {
    return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return 'a map';
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** Reports keys of `value` outside `known`, with the nearest known key as a hint. */
function checkKeys(
  ctx: Context,
  value: Record<string, unknown>,
  path: KeyPath,
  known: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      report(ctx, [...path, key], `unknown key "${key}"${didYouMean(key, known)}`, true);
    }
  }
}

function mapping(ctx: Context, value: unknown, path: KeyPath): Record<string, unknown> | undefined {
  return isMapping(value)
    ? value
    : report(ctx, path, `must be a map of keys; got ${describe(value)}`);
}

function integer(
  ctx: Context,
  value: unknown,
  path: KeyPath,
  min: number,
  max: number,
  unit: string,
): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return report(ctx, path, `must be a whole number of ${unit}; got ${describe(value)}`);
  }
  if (value < min || value > max) {
    return report(ctx, path, `must be from ${min} to ${max} ${unit}; got ${value}`);
  }
  return value;
}

function boolean(ctx: Context, value: unknown, path: KeyPath): boolean | undefined {
  return typeof value === 'boolean'
    ? value
    : report(ctx, path, `must be true or false; got ${describe(value)}`);
}

function text(ctx: Context, value: unknown, path: KeyPath, max: number): string | undefined {
  if (typeof value !== 'string')
    return report(ctx, path, `must be a string; got ${describe(value)}`);
  if (value.trim() === '') return report(ctx, path, 'must not be empty');
  if (value.length > max) return report(ctx, path, `must be at most ${max} characters`);
  return value;
}

function minVersion(ctx: Context, value: unknown, path: KeyPath): ProtocolName | undefined {
  const found = MIN_VERSIONS.find((v) => v === value);
  if (found !== undefined) return found;
  const hint = typeof value === 'string' ? didYouMean(value, MIN_VERSIONS) : '';
  return report(
    ctx,
    path,
    `must be one of ${MIN_VERSIONS.join(', ')}; got ${describe(value)}${hint}`,
  );
}

const TLS13_IDS = CIPHER_SUITES.filter((s) => s.minProtocol === 'TLSv1.3').map(suiteKey);

function allowedSuites(ctx: Context, value: unknown, path: KeyPath): AllowedSuites | undefined {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || items.length === 0) {
    return report(
      ctx,
      path,
      `must be a cipher string or a non-empty list of them; got ${describe(value)}`,
    );
  }
  const strings: string[] = [];
  for (const [i, item] of items.entries()) {
    if (typeof item === 'string') strings.push(item);
    else report(ctx, [...path, i], `must be a cipher string; got ${describe(item)}`);
  }
  if (strings.length !== items.length) return undefined;
  const selection = selectSuites(strings);
  for (const p of selection.problems) {
    report(ctx, typeof value === 'string' ? path : [...path, p.item], p.message);
  }
  if (selection.problems.length > 0) return undefined;
  if (selection.ids.size === 0) return report(ctx, path, 'selects no suite at all');
  if (!TLS13_IDS.some((id) => selection.ids.has(id))) {
    return report(
      ctx,
      path,
      'selects no TLS 1.3 suite: OpenSSL keywords never select TLS 1.3 suites; add "TLSv1.3" (all of them) or their names, such as TLS_AES_128_GCM_SHA256',
    );
  }
  return { expression: strings.join(':'), ids: selection.ids };
}

function minKeySizes(ctx: Context, value: unknown, path: KeyPath): Policy['minKeySizes'] {
  const map = mapping(ctx, value, path);
  if (map === undefined) return undefined;
  const kinds = ['rsa', 'ec', 'dh'] as const;
  checkKeys(ctx, map, path, kinds);
  const out: { rsa?: number; ec?: number; dh?: number } = {};
  for (const kind of kinds) {
    if (map[kind] === undefined) continue;
    const bits = integer(ctx, map[kind], [...path, kind], 1, MAX_KEY_BITS, 'bits');
    if (bits !== undefined) out[kind] = bits;
  }
  return out;
}

/** `false` imposes nothing: undefined, as for a wrong value (whose problem is recorded). */
function requireHsts(ctx: Context, value: unknown, path: KeyPath): Policy['requireHsts'] {
  if (value === false) return undefined;
  if (value === true) return { minMaxAge: 1 };
  if (!isMapping(value)) {
    return report(ctx, path, `must be true, false or a map with minMaxAge; got ${describe(value)}`);
  }
  checkKeys(ctx, value, path, ['minMaxAge']);
  if (value['minMaxAge'] === undefined) return report(ctx, path, 'a map needs minMaxAge (seconds)');
  const minMaxAge = integer(
    ctx,
    value['minMaxAge'],
    [...path, 'minMaxAge'],
    1,
    MAX_HSTS_MAX_AGE,
    'seconds',
  );
  return minMaxAge === undefined ? undefined : { minMaxAge };
}

/** `YYYY-MM-DD` naming a real day; YAML 1.1 timestamps arrive as Dates and count too. */
function expiryDate(
  ctx: Context,
  value: unknown,
  path: KeyPath,
): { expires: string; expiresAt: Date } | undefined {
  const written = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  const m = typeof written === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(written) : null;
  if (m === null)
    return report(ctx, path, `must be a date written YYYY-MM-DD; got ${describe(value)}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = Date.UTC(year, month - 1, day);
  const check = new Date(start);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    return report(ctx, path, `${written as string} is not a day of the calendar`);
  }
  const expiresAt = new Date(start + DAY_MS);
  if (expiresAt.getTime() <= ctx.now.getTime()) {
    return report(
      ctx,
      path,
      `expired on ${written as string}: renew the suppression with a new date, or remove it and fix the finding`,
    );
  }
  return { expires: written as string, expiresAt };
}

function suppression(ctx: Context, value: unknown, path: KeyPath): Suppression | undefined {
  const map = mapping(ctx, value, path);
  if (map === undefined) return undefined;
  const keys = ['id', 'targets', 'reason', 'expires'];
  checkKeys(ctx, map, path, keys);
  for (const key of keys) {
    if (map[key] === undefined) report(ctx, path, `${key} is required`);
  }
  let id: Suppression['id'] | undefined;
  if (map['id'] !== undefined) {
    if (typeof map['id'] === 'string' && isFindingId(map['id'])) id = map['id'];
    else {
      const hint = typeof map['id'] === 'string' ? didYouMean(map['id'], FINDING_IDS) : '';
      report(
        ctx,
        [...path, 'id'],
        `${describe(map['id'])} is not a finding id (docs/findings.md)${hint}`,
      );
    }
  }
  const targets =
    map['targets'] === undefined
      ? undefined
      : targetList(ctx, map['targets'], [...path, 'targets']);
  const reason =
    map['reason'] === undefined
      ? undefined
      : text(ctx, map['reason'], [...path, 'reason'], MAX_REASON_LENGTH);
  const date =
    map['expires'] === undefined
      ? undefined
      : expiryDate(ctx, map['expires'], [...path, 'expires']);
  if (id === undefined || targets === undefined || reason === undefined || date === undefined)
    return undefined;
  return { id, targets, reason, ...date };
}

function targetList(ctx: Context, value: unknown, path: KeyPath): TargetPattern[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_TARGETS) {
    return report(
      ctx,
      path,
      `must be a list of 1 to ${MAX_TARGETS} "host:port" patterns; got ${describe(value)}`,
    );
  }
  const out: TargetPattern[] = [];
  for (const [i, item] of value.entries()) {
    const parsed =
      typeof item === 'string'
        ? parseTargetPattern(item)
        : `must be a string; got ${describe(item)}`;
    if (typeof parsed === 'string') report(ctx, [...path, i], parsed);
    else out.push(parsed);
  }
  return out.length === value.length ? out : undefined;
}

function suppressions(ctx: Context, value: unknown, path: KeyPath): Suppression[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_SUPPRESSIONS) {
    return report(
      ctx,
      path,
      `must be a list of at most ${MAX_SUPPRESSIONS} suppressions; got ${describe(value)}`,
    );
  }
  const out = value.map((item, i) => suppression(ctx, item, [...path, i]));
  return out.every((s) => s !== undefined) ? out : undefined;
}

const TOP_KEYS = POLICY_KEYS.filter((k) => !k.includes('.'));

/**
 * Validates a parsed policy. Throws one PolicyError listing every problem; `now` decides
 * which suppressions have expired.
 */
export function validatePolicy(source: PolicySource, now: Date): Policy {
  const ctx: Context = { source, now, problems: [] };
  const root = source.value;
  if (root === null || root === undefined) {
    report(ctx, [], 'the file is empty; a policy starts with "version: 1"');
    throw new PolicyError(ctx.problems);
  }
  if (!isMapping(root)) {
    report(ctx, [], `a policy is a map of keys; got ${describe(root)}`);
    throw new PolicyError(ctx.problems);
  }
  checkKeys(ctx, root, [], TOP_KEYS);
  if (root['version'] === undefined)
    report(ctx, [], 'version is required: start the file with "version: 1"');
  else if (root['version'] !== 1) {
    report(
      ctx,
      ['version'],
      `must be 1, the only version of the policy format; got ${describe(root['version'])}`,
    );
  }
  const has = (key: string): boolean => root[key] !== undefined;
  const v = (key: string): unknown => root[key];
  const policy = {
    version: 1 as const,
    source: source.file,
    ...optional(
      'minVersion',
      has('minVersion') ? minVersion(ctx, v('minVersion'), ['minVersion']) : undefined,
    ),
    ...optional(
      'allowedSuites',
      has('allowedSuites') ? allowedSuites(ctx, v('allowedSuites'), ['allowedSuites']) : undefined,
    ),
    ...optional(
      'minKeySizes',
      has('minKeySizes') ? minKeySizes(ctx, v('minKeySizes'), ['minKeySizes']) : undefined,
    ),
    ...optional(
      'maxCertificateLifetimeDays',
      has('maxCertificateLifetimeDays')
        ? integer(
            ctx,
            v('maxCertificateLifetimeDays'),
            ['maxCertificateLifetimeDays'],
            1,
            MAX_LIFETIME_DAYS,
            'days',
          )
        : undefined,
    ),
    ...optional(
      'expiryWarningDays',
      has('expiryWarningDays')
        ? integer(ctx, v('expiryWarningDays'), ['expiryWarningDays'], 0, MAX_WARNING_DAYS, 'days')
        : undefined,
    ),
    ...optional(
      'requireHsts',
      has('requireHsts') ? requireHsts(ctx, v('requireHsts'), ['requireHsts']) : undefined,
    ),
    ...optional(
      'requireClientCertificates',
      has('requireClientCertificates')
        ? boolean(ctx, v('requireClientCertificates'), ['requireClientCertificates'])
        : undefined,
    ),
    suppressions: has('suppressions')
      ? (suppressions(ctx, v('suppressions'), ['suppressions']) ?? [])
      : [],
  };
  if (ctx.problems.length > 0) throw new PolicyError(ctx.problems);
  return policy;
}

/** `{ key: value }`, or nothing when the value is absent (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
