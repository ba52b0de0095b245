// Which endpoints a suppression covers: `host:port`, a glob over either half, or a host alone
// (any port). Globs are compiled by hand into an anchored regular expression of literal
// characters, `.*` and `.`, so a pattern cannot smuggle regex syntax in.
import type { TargetReport } from '../report.ts';

const MAX_PATTERN_LENGTH = 255;
const HOST_GLOB = /^[A-Za-z0-9.*?_-]+$/;
const IPV6_GLOB = /^[0-9A-Fa-f:.*?]+$/;
const PORT_GLOB = /^(?:\*|[0-9]{1,5})$/;

export interface TargetPattern {
  readonly text: string;
  readonly host: RegExp;
  /** Undefined: any port. */
  readonly port: number | undefined;
}

function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.\\^$|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** Parses a target pattern, or returns why it is not one. */
export function parseTargetPattern(text: string): TargetPattern | string {
  if (text.length === 0 || text.length > MAX_PATTERN_LENGTH) {
    return `a target pattern has 1 to ${MAX_PATTERN_LENGTH} characters`;
  }
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  let host: string;
  let port: string | undefined;
  if (bracketed !== null) {
    host = bracketed[1] ?? '';
    port = bracketed[2];
    if (!IPV6_GLOB.test(host)) return `"${text}": [${host}] is not an IPv6 address or glob`;
  } else {
    const parts = text.split(':');
    if (parts.length > 2) return `"${text}": write an IPv6 address in brackets, [::1]:443`;
    host = parts[0] ?? '';
    port = parts[1];
    if (!HOST_GLOB.test(host)) {
      return `"${text}": the host part may hold letters, digits, ".", "-", "_" and the globs * and ?`;
    }
  }
  if (port !== undefined && (!PORT_GLOB.test(port) || Number(port) > 65535)) {
    return `"${text}": the port is a number from 0 to 65535 or *`;
  }
  return {
    text,
    host: globToRegExp(host),
    port: port === undefined || port === '*' ? undefined : Number(port),
  };
}

/** Whether the pattern covers the target, by host name or by IP address. */
export function matchesTarget(pattern: TargetPattern, target: TargetReport): boolean {
  if (pattern.port !== undefined && pattern.port !== target.port) return false;
  return pattern.host.test(target.host) || pattern.host.test(target.ip);
}
