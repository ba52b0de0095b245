import { WiretightError } from '../../errors.ts';
import { type ScanTarget, parseTarget } from '../target.ts';
import {
  STARTTLS_PROTOCOL_NAMES,
  type StarttlsProtocol,
  isStarttlsProtocol,
} from '../../probe/starttls/index.ts';

/** One line of a targets file: where, and how to scan it. */
export interface FleetTarget extends ScanTarget {
  /** Server name to send, when not the host (`sni=`); `null` for none (`sni=-`). */
  readonly sni?: string | null;
  /** STARTTLS protocol (`starttls=smtp`), or null for none (`starttls=none`). */
  readonly starttls?: StarttlsProtocol | null;
  /** Mozilla profile to check (`profile=intermediate`). */
  readonly profile?: 'modern' | 'intermediate' | 'old';
  /** Where the target came from, for messages: `targets.txt:12`, or `argument 2`. */
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
 * Parses a targets file: one `host[:port]` per line, optionally followed by `key=value`
 * options (`starttls=`, `sni=`, `profile=`). `#` starts a comment; blank lines are skipped.
 * Every error names the file and line.
 */
export function parseTargetList(text: string, name: string, defaultPort?: number): FleetTarget[] {
  const targets: FleetTarget[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const source = `${name}:${index + 1}`;
    if (raw.length > MAX_LINE_CHARS)
      throw invalid(source, `line longer than ${MAX_LINE_CHARS} characters`);
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [where = '', ...options] = line.split(/\s+/);
    targets.push(parseTargetLine(where, options, source, defaultPort));
  }
  return targets;
}

function parseTargetLine(
  where: string,
  options: readonly string[],
  source: string,
  defaultPort: number | undefined,
): FleetTarget {
  let target: ScanTarget;
  try {
    target = parseTarget(where, defaultPort);
  } catch (err) {
    if (err instanceof WiretightError) throw invalid(source, err.message);
    throw err;
  }
  let out: FleetTarget = { ...target, source };
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
