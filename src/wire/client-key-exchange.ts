import { ByteReader, ByteWriter } from '../core/bytes.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from './handshake.ts';

/**
 * The RSA ClientKeyExchange body (RFC 5246 §7.4.7.1): the encrypted premaster secret.
 * TLS 1.0 and later prefix it with a 2-byte length; SSLv3 sends it bare (RFC 6101 §5.6.7).
 */
export function encodeRsaClientKeyExchange(encrypted: Uint8Array, version: number): Uint8Array {
  if (version === 0x0300) return encrypted.slice();
  return new ByteWriter(2 + encrypted.length).vectorOf(2, encrypted).finish();
}

/** The handshake message (4-byte header included) carrying an RSA ClientKeyExchange. */
export function rsaClientKeyExchangeMessage(encrypted: Uint8Array, version: number): Uint8Array {
  return encodeHandshake(
    HANDSHAKE_TYPE.client_key_exchange,
    encodeRsaClientKeyExchange(encrypted, version),
  );
}

/** The encrypted premaster of an RSA ClientKeyExchange body sent in `version`. */
export function parseRsaClientKeyExchange(body: Uint8Array, version: number): Uint8Array {
  const r = new ByteReader(body, 'ClientKeyExchange');
  if (version === 0x0300) return r.rest();
  const encrypted = r.vector(2, 'exchange_keys', 1);
  r.expectEnd();
  return encrypted;
}
