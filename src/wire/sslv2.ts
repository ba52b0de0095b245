import { randomBytes } from 'node:crypto';
import { ByteReader, ByteWriter } from '../core/bytes.ts';
import { DecodeError, WiretightError } from '../errors.ts';

/** SSLv2 message types (draft-hickman-netscape-ssl-00). */
export const SSLV2_MSG = { error: 0, client_hello: 1, server_hello: 4 } as const;

/**
 * An SSLv2 CLIENT-HELLO in a 2-byte-header record. `cipherSpecs` are 3-byte SSLv2 specs
 * (0x0700c0); TLS suites may ride along as 0x00XXXX, as SSLv3-capable clients once did.
 */
export function buildSslv2ClientHello(
  cipherSpecs: readonly number[],
  challenge?: Uint8Array,
): Uint8Array {
  const ch = challenge ?? new Uint8Array(randomBytes(16));
  if (ch.length < 16 || ch.length > 32)
    throw new RangeError('SSLv2 challenge must be 16..32 bytes');
  const body = new ByteWriter(9 + cipherSpecs.length * 3 + ch.length)
    .u8(SSLV2_MSG.client_hello)
    .u16(0x0002)
    .u16(cipherSpecs.length * 3)
    .u16(0) // session id length
    .u16(ch.length);
  for (const spec of cipherSpecs) body.u24(spec);
  const msg = body.bytes(ch).finish();
  if (msg.length > 0x7fff) throw new WiretightError('WT_ERR_WIRE_ENCODE', 'SSLv2 hello too long');
  return new ByteWriter(msg.length + 2)
    .u16(0x8000 | msg.length)
    .bytes(msg)
    .finish();
}

export interface Sslv2ServerHello {
  readonly sessionIdHit: boolean;
  readonly certificateType: number;
  readonly version: number;
  readonly certificate: Uint8Array;
  readonly cipherSpecs: readonly number[];
  readonly connectionId: Uint8Array;
}

/** Largest SSLv2 record body: 2-byte headers carry 15 bits of length. */
export const SSLV2_MAX_RECORD = 0x7fff;

/**
 * Reads the record length from an SSLv2 header: 2-byte headers (high bit set) carry 15
 * bits, 3-byte headers 14 bits plus a padding count. Returns undefined until enough bytes
 * are in; throws if the bytes cannot be an SSLv2 record.
 */
export function sslv2RecordLength(b: Uint8Array): { header: number; length: number } | undefined {
  if (b.length < 2) return undefined;
  const b0 = b[0] as number;
  if ((b0 & 0x80) !== 0) return { header: 2, length: ((b0 & 0x7f) << 8) | (b[1] as number) };
  if (b.length < 3) return undefined;
  return { header: 3, length: ((b0 & 0x3f) << 8) | (b[1] as number) };
}

export function parseSslv2ServerHello(message: Uint8Array): Sslv2ServerHello {
  const r = new ByteReader(message, 'SSLv2.ServerHello');
  const type = r.u8('msg_type');
  if (type === SSLV2_MSG.error) {
    throw new DecodeError('SSLv2.ServerHello', 0, 'server sent SSLv2 ERROR');
  }
  if (type !== SSLV2_MSG.server_hello) r.fail(`message type ${type} is not SERVER-HELLO`);
  const sessionIdHit = r.u8('session_id_hit') !== 0;
  const certificateType = r.u8('certificate_type');
  const version = r.u16('server_version');
  const certLength = r.u16('certificate_length');
  const specsLength = r.u16('cipher_specs_length');
  const idLength = r.u16('connection_id_length');
  if (specsLength % 3 !== 0) r.fail(`cipher specs length ${specsLength} not a multiple of 3`);
  const certificate = r.bytes(certLength, 'certificate');
  const specs = r.take(specsLength, 'cipher_specs');
  const cipherSpecs: number[] = [];
  while (!specs.atEnd) cipherSpecs.push(specs.u24());
  const connectionId = r.bytes(idLength, 'connection_id');
  return { sessionIdHit, certificateType, version, certificate, cipherSpecs, connectionId };
}
