// Serial numbers: 128 random bits (CA/B Forum asks for at least 64), positive, and always
// 16 bytes long — top bit clear so DER needs no sign byte, first byte non-zero so no
// encoder drops it — which makes the store's hex form exactly 32 characters.
import { randomBytes } from 'node:crypto';

export const SERIAL_BYTES = 16;

export type RandomSource = (bytes: number) => Uint8Array;

export const defaultRandom: RandomSource = (n) => new Uint8Array(randomBytes(n));

export function randomSerial(random: RandomSource = defaultRandom): Uint8Array {
  const serial = Uint8Array.from(random(SERIAL_BYTES));
  if (serial.length !== SERIAL_BYTES) throw new RangeError('random() returned the wrong length');
  serial[0] = (serial[0] as number) & 0x7f;
  if (serial[0] === 0) serial[0] = 0x01;
  return serial;
}

export function serialHex(serial: Uint8Array): string {
  return Buffer.from(serial).toString('hex');
}

/**
 * A serial typed by a person or copied from a tool: `67:B9:CA…`, `serial=67B9CA…`,
 * `0x67b9…`, spaces; returned as the store's lower-case hex. RangeError when it is not hex.
 */
export function normalizeSerial(text: string): string {
  const hex = text
    .trim()
    .replace(/^serial=/i, '')
    .replace(/^0x/i, '')
    .replace(/[:\s]/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{1,64}$/.test(hex)) {
    throw new RangeError(`"${text.slice(0, 80)}" is not a serial number in hex`);
  }
  // DER magnitudes may carry a sign byte (00) the store's form does not have.
  const trimmed = hex.replace(/^(00)+(?=[0-9a-f]{2})/, '');
  return trimmed.length % 2 === 1 ? `0${trimmed}` : trimmed;
}
