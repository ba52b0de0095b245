import { ByteReader } from '../core/bytes.ts';
import { alertName } from './registry/alerts.ts';

export interface Alert {
  readonly level: 'warning' | 'fatal' | `unknown_${number}`;
  readonly description: number;
  readonly name: string;
}

export function parseAlert(fragment: Uint8Array): Alert {
  const r = new ByteReader(fragment, 'Alert');
  const level = r.u8('level');
  const description = r.u8('description');
  return {
    level: level === 1 ? 'warning' : level === 2 ? 'fatal' : `unknown_${level}`,
    description,
    name: alertName(description),
  };
}

export function encodeAlert(level: 1 | 2, description: number): Uint8Array {
  return Uint8Array.of(level, description);
}
