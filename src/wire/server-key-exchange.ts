import { ByteReader } from '../core/bytes.ts';

/** What a ServerKeyExchange tells a scanner about key-exchange strength. */
export type KeyExchangeParams =
  | {
      readonly kind: 'ecdhe';
      readonly group: number;
      readonly publicKeyLength: number;
      readonly signatureScheme?: number;
    }
  | { readonly kind: 'ecdhe-explicit'; readonly curveType: number }
  | {
      readonly kind: 'dhe';
      readonly primeBits: number;
      readonly generator: number;
      readonly prime: Uint8Array;
      readonly signatureScheme?: number;
    }
  | { readonly kind: 'rsa'; readonly modulusBits: number }
  | { readonly kind: 'psk'; readonly identityHint: Uint8Array }
  | { readonly kind: 'srp'; readonly primeBits: number };

/** Bit length of a big-endian unsigned integer, leading zero bytes ignored. */
export function bitLength(be: Uint8Array): number {
  let i = 0;
  while (i < be.length && be[i] === 0) i++;
  if (i === be.length) return 0;
  return (be.length - i - 1) * 8 + (32 - Math.clz32(be[i] as number));
}

function smallInt(be: Uint8Array): number {
  let v = 0;
  for (const b of be.subarray(Math.max(0, be.length - 6))) v = v * 256 + b;
  return v;
}

function readEcParams(r: ByteReader): KeyExchangeParams {
  const curveType = r.u8('curve_type');
  // 3 = named_curve; explicit curves (1, 2) are deprecated (RFC 8422 §5.4) and reported as such.
  if (curveType !== 3) return { kind: 'ecdhe-explicit', curveType };
  const group = r.u16('namedcurve');
  const point = r.vector(1, 'public', 1);
  return { kind: 'ecdhe', group, publicKeyLength: point.length };
}

function readDhParams(r: ByteReader): { primeBits: number; generator: number; prime: Uint8Array } {
  const p = r.vector(2, 'dh_p', 1);
  const g = r.vector(2, 'dh_g', 1);
  r.vector(2, 'dh_Ys', 1);
  return { primeBits: bitLength(p), generator: smallInt(g), prime: p };
}

/**
 * In TLS 1.2 a signed ServerKeyExchange names its SignatureScheme first; earlier versions
 * only carry the signature. Anything unreadable after the parameters is ignored: the
 * parameters are what the scan reports, and a bad signature is the client's problem.
 */
function signatureScheme(r: ByteReader, tls12: boolean): { signatureScheme?: number } {
  if (!tls12 || r.remaining < 2) return {};
  return { signatureScheme: r.u16('signature_scheme') };
}

/** Parses the parameters of a ServerKeyExchange for a suite with key exchange `kx` (registry name). */
export function parseServerKeyExchange(
  body: Uint8Array,
  kx: string,
  tls12: boolean,
): KeyExchangeParams | undefined {
  const r = new ByteReader(body, 'ServerKeyExchange');
  switch (kx) {
    case 'ECDHE': {
      const ec = readEcParams(r);
      return ec.kind === 'ecdhe' ? { ...ec, ...signatureScheme(r, tls12) } : ec;
    }
    case 'DHE':
      return { kind: 'dhe', ...readDhParams(r), ...signatureScheme(r, tls12) };
    case 'RSA': {
      // Only export suites send one: a temporary RSA key of at most 512 or 1024 bits.
      const modulus = r.vector(2, 'rsa_modulus', 1);
      r.vector(2, 'rsa_exponent', 1);
      return { kind: 'rsa', modulusBits: bitLength(modulus) };
    }
    case 'PSK':
    case 'RSA-PSK':
      return { kind: 'psk', identityHint: r.vector(2, 'psk_identity_hint') };
    case 'DHE-PSK': {
      r.vector(2, 'psk_identity_hint');
      return { kind: 'dhe', ...readDhParams(r) };
    }
    case 'ECDHE-PSK': {
      r.vector(2, 'psk_identity_hint');
      return readEcParams(r);
    }
    case 'SRP':
      return { kind: 'srp', primeBits: bitLength(r.vector(2, 'srp_N', 1)) };
    default:
      return undefined;
  }
}
