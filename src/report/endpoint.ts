import type { TargetReport } from '../scan/report.ts';

/** `host:port`, an IPv6 literal in brackets (`[::1]:443`). */
export function endpointName(target: TargetReport): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}

/**
 * The endpoint, with the SNI name when it is not the host: a fleet may scan one port
 * under several names, and each scan must stay a separate target in CI reports.
 */
export function endpointLabel(target: TargetReport): string {
  const sni = target.sni;
  return sni === null || sni === target.host
    ? endpointName(target)
    : `${endpointName(target)} (SNI ${sni})`;
}
