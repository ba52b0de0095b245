// ca.json: what `ca init` decided and the CA needs at every start — its name, key type,
// public URL (for the AIA and CRL pointers in every leaf) and the lifetimes of what it signs
// by itself (OCSP responder certificate, CRLs, OCSP answers). Strictly validated.
import { WiretightError } from '../errors.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { isKeyAlgorithm } from './keys.ts';
import type { KeyAlgorithm } from './types.ts';

export const CONFIG_FORMAT = 'wiretight.ca/v1';
export const MAX_CONFIG_BYTES = 64 * 1024;

export interface CaConfig {
  readonly name: string;
  readonly keyType: KeyAlgorithm;
  /** Base URL of `ca serve`; leaves point at `${publicUrl}/ocsp` and `${publicUrl}/crl`. */
  readonly publicUrl: string | null;
  /** Where `ca init` wrote the root key (it may have moved offline since). */
  readonly rootKey: string;
  readonly rootLifetimeSeconds: number;
  readonly intermediateLifetimeSeconds: number;
  /** The delegated OCSP responder's certificate; re-issued when a third of it is left. */
  readonly ocspResponderLifetimeSeconds: number;
  /** How long an OCSP answer may be cached (its nextUpdate − thisUpdate). */
  readonly ocspValiditySeconds: number;
  /** A CRL's nextUpdate − thisUpdate. */
  readonly crlValiditySeconds: number;
  /** A CRL older than this is signed again (revocations re-sign it at once). */
  readonly crlRefreshSeconds: number;
}

export const CONFIG_DEFAULTS = {
  ocspResponderLifetimeSeconds: 30 * 86_400,
  ocspValiditySeconds: 3600,
  crlValiditySeconds: 86_400,
  crlRefreshSeconds: 3600,
} as const;

/** The key in ca.json for each duration field. */
const DURATIONS = {
  rootLifetimeSeconds: 'rootLifetime',
  intermediateLifetimeSeconds: 'intermediateLifetime',
  ocspResponderLifetimeSeconds: 'ocspResponderLifetime',
  ocspValiditySeconds: 'ocspValidity',
  crlValiditySeconds: 'crlValidity',
  crlRefreshSeconds: 'crlRefresh',
} as const;

/** Checks a public base URL: http(s), no query or fragment; returned without a trailing slash. */
export function normalizePublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`"${text}" is not a URL such as https://ca.example:8443`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(`"${text}": the CA's URL must be http:// or https://`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new RangeError(`"${text}": the CA's URL takes no query, fragment or credentials`);
  }
  return url.href.replace(/\/+$/, '');
}

export function renderConfig(config: CaConfig): string {
  const durations = Object.fromEntries(
    Object.entries(DURATIONS).map(([field, key]) => [
      key,
      formatDuration(config[field as keyof typeof DURATIONS]),
    ]),
  );
  return `${JSON.stringify(
    {
      format: CONFIG_FORMAT,
      name: config.name,
      keyType: config.keyType,
      publicUrl: config.publicUrl,
      rootKey: config.rootKey,
      ...durations,
    },
    null,
    2,
  )}\n`;
}

/** Parses ca.json text; `file` names it in messages. WT_ERR_CA_CONFIG naming the key. */
export function parseConfig(text: string, file: string): CaConfig {
  const fail = (key: string, why: string): WiretightError =>
    new WiretightError('WT_ERR_CA_CONFIG', `${file}: ${key === '' ? '' : `${key}: `}${why}`);
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) {
    throw fail('', `larger than ${MAX_CONFIG_BYTES} bytes`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw fail('', `not valid JSON (${(err as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw fail('', 'must be a JSON object');
  const o = doc as Record<string, unknown>;
  const allowed = [
    'format',
    'name',
    'keyType',
    'publicUrl',
    'rootKey',
    ...Object.values(DURATIONS),
  ];
  const unknown = Object.keys(o).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw fail(unknown, `unknown key (allowed: ${allowed.join(', ')})`);
  if (o['format'] !== CONFIG_FORMAT) throw fail('format', `must be "${CONFIG_FORMAT}"`);
  const text_ = (key: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || v === '' || v.length > 1024)
      throw fail(key, 'must be a non-empty string');
    return v;
  };
  const keyType = o['keyType'];
  if (!isKeyAlgorithm(keyType))
    throw fail('keyType', 'must be one of the key types of `ca init --key-type`');
  let publicUrl: string | null = null;
  if (o['publicUrl'] !== null && o['publicUrl'] !== undefined) {
    try {
      publicUrl = normalizePublicUrl(text_('publicUrl'));
    } catch (err) {
      throw fail('publicUrl', (err as Error).message);
    }
  }
  const seconds = (field: keyof typeof DURATIONS): number => {
    const key = DURATIONS[field];
    const v = o[key];
    if (v === undefined && field in CONFIG_DEFAULTS) {
      return CONFIG_DEFAULTS[field as keyof typeof CONFIG_DEFAULTS];
    }
    if (typeof v !== 'string') throw fail(key, 'must be a duration such as 24h');
    try {
      return parseDuration(v);
    } catch (err) {
      throw fail(key, (err as Error).message);
    }
  };
  const config: CaConfig = {
    name: text_('name'),
    keyType,
    publicUrl,
    rootKey: text_('rootKey'),
    rootLifetimeSeconds: seconds('rootLifetimeSeconds'),
    intermediateLifetimeSeconds: seconds('intermediateLifetimeSeconds'),
    ocspResponderLifetimeSeconds: seconds('ocspResponderLifetimeSeconds'),
    ocspValiditySeconds: seconds('ocspValiditySeconds'),
    crlValiditySeconds: seconds('crlValiditySeconds'),
    crlRefreshSeconds: seconds('crlRefreshSeconds'),
  };
  if (config.crlRefreshSeconds >= config.crlValiditySeconds) {
    throw fail('crlRefresh', 'must be shorter than crlValidity');
  }
  return config;
}
