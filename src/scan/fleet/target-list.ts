import { WiretightError } from '../../errors.ts';
import { type ScanTarget, parseTargetSpec } from '../target.ts';
import { type CidrRange, looksLikeCidr, parseCidr } from './cidr.ts';
import {
  STARTTLS_PROTOCOL_NAMES,
  type StarttlsProtocol,
  isStarttlsProtocol,
} from '../../probe/starttls/protocols.ts';

/** How to scan a target, when it differs from the command line (a targets-file line's options). */
export interface TargetOptions {
  /** Server name to send, when not the host (`sni=`); `null` for none (`sni=-`). */
  readonly sni?: string | null;
  /** STARTTLS protocol (`starttls=smtp`), or null for none (`starttls=none`). */
  readonly starttls?: StarttlsProtocol | null;
  /** Mozilla profile to check (`profile=intermediate`). */
  readonly profile?: 'modern' | 'intermediate' | 'old';
}

/** One endpoint of a fleet: where, and how to scan it. */
export interface FleetTarget extends ScanTarget, TargetOptions {
  /** Where the target came from, for messages: `targets.txt:12`, or `argument 2`. */
  readonly source: string;
}

/**
 * A target as written (an argument or a targets-file line), before `--ports` and ranges
 * are expanded: a host, or a block of addresses.
 */
export interface FleetEntry extends TargetOptions {
  /** The host name or address; for a range, its normalised text (`10.0.0.0/28`). */
  readonly host: string;
  /** The block of addresses, when the entry is a CIDR range. */
  readonly range?: CidrRange;
  /** The port the entry names; without one, the ports of `--ports` (or the default). */
  readonly port?: number;
  readonly source: string;
}

/** A targets file is read whole, so it is capped: 10,000 targets fit in far less. */
export const MAX_TARGET_FILE_BYTES = 8 * 1024 * 1024;
const MAX_LINE_CHARS = 1024;
const PROFILES = new Set(['modern', 'intermediate', 'old']);

function invalid(source: string, why: string): WiretightError {
  return new WiretightError('WT_ERR_TARGET_INVALID', `${source}: ${why}`);
}

/**
 * Parses one target as written: `host`, `host:port`, `[v6]:port`, a URL, or a range
 * `10.0.0.0/28`, `10.0.0.0/28:8443`, `fd00::/120`, `[fd00::/120]:8443`.
 */
export function parseFleetEntry(where: string, source: string): FleetEntry {
  if (!looksLikeCidr(where)) return { ...parseTargetSpec(where), source };
  const m = /^\[([^\]]+)\](?::([^:]*))?$/.exec(where) ?? /^([\d.]+\/\d*)(?::([^:]*))?$/.exec(where);
  const range = parseCidr(m?.[1] ?? where);
  const portText = m?.[2];
  if (portText === undefined) return { host: range.text, range, source };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) {
    throw new WiretightError(
      'WT_ERR_TARGET_INVALID',
      `not a valid port in ${JSON.stringify(where)}`,
    );
  }
  return { host: range.text, range, port, source };
}

/**
 * Parses a targets file: one target per line (a host, `host:port` or a CIDR range),
 * optionally followed by `key=value` options (`starttls=`, `sni=`, `profile=`). `#` starts
 * a comment; blank lines are skipped. Every error names the file and line.
 */
export function parseTargetList(text: string, name: string): FleetEntry[] {
  const entries: FleetEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const source = `${name}:${index + 1}`;
    if (raw.length > MAX_LINE_CHARS)
      throw invalid(source, `line longer than ${MAX_LINE_CHARS} characters`);
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [where = '', ...options] = line.split(/\s+/);
    entries.push(parseTargetLine(where, options, source));
  }
  return entries;
}

function parseTargetLine(where: string, options: readonly string[], source: string): FleetEntry {
  let out: FleetEntry;
  try {
    out = parseFleetEntry(where, source);
  } catch (err) {
    if (err instanceof WiretightError) throw invalid(source, err.message);
    throw err;
  }
  const seen = new Set<string>();
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq < 0) {
      throw invalid(
        source,
        `unexpected ${JSON.stringify(option)} after the target (options are key=value)`,
      );
    }
    const key = option.slice(0, eq);
    const value = option.slice(eq + 1);
    if (seen.has(key)) throw invalid(source, `${key}= given twice`);
    seen.add(key);
    if (value === '') throw invalid(source, `${key} needs a value (${key}=…)`);
    switch (key) {
      case 'sni':
        out = { ...out, sni: value === '-' ? null : value };
        break;
      case 'starttls':
        if (value !== 'none' && !isStarttlsProtocol(value)) {
          throw invalid(
            source,
            `not a STARTTLS protocol: ${value} (known: ${STARTTLS_PROTOCOL_NAMES.join(', ')}, none)`,
          );
        }
        out = { ...out, starttls: value === 'none' ? null : value };
        break;
      case 'profile':
        if (!PROFILES.has(value)) {
          throw invalid(source, `profile must be modern, intermediate or old, not ${value}`);
        }
        out = { ...out, profile: value as 'modern' | 'intermediate' | 'old' };
        break;
      default:
        throw invalid(
          source,
          `unknown option ${JSON.stringify(key)} (known: starttls=, sni=, profile=)`,
        );
    }
  }
  return out;
}
