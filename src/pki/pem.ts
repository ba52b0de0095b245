import { WiretightError } from '../errors.ts';

/** One `-----BEGIN <label>-----` block of a PEM text, decoded. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BEGIN = '-----BEGIN ';
const DASHES = '-----';
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

/**
 * Every PEM block of `text`, in order, with `indexOf` scans only (a regex with a lazy
 * body would go quadratic on a hostile file full of BEGIN lines without an END).
 * Text between blocks is ignored, as OpenSSL does; a block whose body is not base64, or
 * whose END line is missing, is WT_ERR_PKI_DECODE.
 */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  let at = text.indexOf(BEGIN);
  while (at !== -1) {
    const labelEnd = text.indexOf(DASHES, at + BEGIN.length);
    if (labelEnd === -1) break;
    const label = text.slice(at + BEGIN.length, labelEnd);
    const end = `-----END ${label}-----`;
    const bodyStart = labelEnd + DASHES.length;
    const endAt = text.indexOf(end, bodyStart);
    if (endAt === -1) {
      throw new WiretightError('WT_ERR_PKI_DECODE', `PEM block "${label}" has no END line`);
    }
    const body = text.slice(bodyStart, endAt);
    if (!BASE64.test(body)) {
      throw new WiretightError('WT_ERR_PKI_DECODE', `PEM block "${label}" is not base64`);
    }
    out.push({ label, der: new Uint8Array(Buffer.from(body, 'base64')) });
    at = text.indexOf(BEGIN, endAt + end.length);
  }
  return out;
}

/** The DER of each CERTIFICATE block (other blocks, such as keys, are skipped). */
export function pemCertificates(text: string): Uint8Array[] {
  return pemBlocks(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.der);
}
