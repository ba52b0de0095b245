/**
 * The five TLS 1.3 cipher suites (RFC 8446 §B.4) as one table: the hash that drives the key
 * schedule and the AEAD that protects records, both by their node:crypto names.
 */
export const TLS13_SUITES = {
  0x1301: {
    name: 'TLS_AES_128_GCM_SHA256',
    hash: 'sha256',
    hashLength: 32,
    cipher: 'aes-128-gcm',
    keyLength: 16,
    tagLength: 16,
  },
  0x1302: {
    name: 'TLS_AES_256_GCM_SHA384',
    hash: 'sha384',
    hashLength: 48,
    cipher: 'aes-256-gcm',
    keyLength: 32,
    tagLength: 16,
  },
  0x1303: {
    name: 'TLS_CHACHA20_POLY1305_SHA256',
    hash: 'sha256',
    hashLength: 32,
    cipher: 'chacha20-poly1305',
    keyLength: 32,
    tagLength: 16,
  },
  0x1304: {
    name: 'TLS_AES_128_CCM_SHA256',
    hash: 'sha256',
    hashLength: 32,
    cipher: 'aes-128-ccm',
    keyLength: 16,
    tagLength: 16,
  },
  0x1305: {
    name: 'TLS_AES_128_CCM_8_SHA256',
    hash: 'sha256',
    hashLength: 32,
    cipher: 'aes-128-ccm',
    keyLength: 16,
    tagLength: 8,
  },
} as const;

export type Tls13SuiteId = keyof typeof TLS13_SUITES;
export type Tls13Suite = (typeof TLS13_SUITES)[Tls13SuiteId];
export type Tls13Hash = Tls13Suite['hash'];

/** Every TLS 1.3 AEAD uses a 96-bit per-record nonce (RFC 8446 §5.3). */
export const TLS13_IV_LENGTH = 12;

export function isTls13Suite(id: number): id is Tls13SuiteId {
  return Object.hasOwn(TLS13_SUITES, id);
}

/** The suite's parameters; an id that is not a TLS 1.3 suite is a caller error. */
export function tls13Suite(id: number): Tls13Suite {
  if (!isTls13Suite(id)) {
    throw new RangeError(`0x${id.toString(16).padStart(4, '0')} is not a TLS 1.3 cipher suite`);
  }
  return TLS13_SUITES[id];
}
