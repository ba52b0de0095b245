import type { SuiteReport } from '../scan/report.ts';

/** How a suite reads at a glance: `bad` for broken, `warn` for weak, undefined for fine. */
export function suiteTone(s: SuiteReport): 'bad' | 'warn' | undefined {
  if (
    s.export ||
    s.enc === 'None' ||
    s.auth === 'anon' ||
    ['RC4', 'DES', 'RC2', '3DES'].includes(s.enc)
  ) {
    return 'bad';
  }
  if (!s.forwardSecrecy || !s.aead) return 'warn';
  if (s.keyExchange?.type === 'DHE' && (s.keyExchange.bits ?? 0) < 2048) return 'bad';
  return undefined;
}

/** `ECDHE x25519`, `DHE 1024`, or the suite's key exchange family when nothing was seen. */
export function keyExchangeLabel(s: SuiteReport): string {
  const k = s.keyExchange;
  if (k === undefined) return s.kx;
  if (k.group !== undefined) return `${k.type} ${k.group}`;
  return k.bits === undefined ? k.type : `${k.type} ${k.bits}`;
}
