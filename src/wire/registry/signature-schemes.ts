/**
 * TLS SignatureScheme registry (RFC 8446 §4.2.3 and the TLS 1.2 hash/signature pairs of
 * RFC 5246 §7.4.1.4.1), the values a scanner offers so that old and new servers both answer.
 */
export const SIGNATURE_SCHEMES = [
  { id: 0x0101, name: 'rsa_pkcs1_md5' },
  { id: 0x0102, name: 'dsa_md5' },
  { id: 0x0103, name: 'ecdsa_md5' },
  { id: 0x0201, name: 'rsa_pkcs1_sha1' },
  { id: 0x0202, name: 'dsa_sha1' },
  { id: 0x0203, name: 'ecdsa_sha1' },
  { id: 0x0301, name: 'rsa_pkcs1_sha224' },
  { id: 0x0302, name: 'dsa_sha224' },
  { id: 0x0303, name: 'ecdsa_sha224' },
  { id: 0x0401, name: 'rsa_pkcs1_sha256' },
  { id: 0x0402, name: 'dsa_sha256' },
  { id: 0x0403, name: 'ecdsa_secp256r1_sha256' },
  { id: 0x0501, name: 'rsa_pkcs1_sha384' },
  { id: 0x0502, name: 'dsa_sha384' },
  { id: 0x0503, name: 'ecdsa_secp384r1_sha384' },
  { id: 0x0601, name: 'rsa_pkcs1_sha512' },
  { id: 0x0602, name: 'dsa_sha512' },
  { id: 0x0603, name: 'ecdsa_secp521r1_sha512' },
  { id: 0x0804, name: 'rsa_pss_rsae_sha256' },
  { id: 0x0805, name: 'rsa_pss_rsae_sha384' },
  { id: 0x0806, name: 'rsa_pss_rsae_sha512' },
  { id: 0x0807, name: 'ed25519' },
  { id: 0x0808, name: 'ed448' },
  { id: 0x0809, name: 'rsa_pss_pss_sha256' },
  { id: 0x080a, name: 'rsa_pss_pss_sha384' },
  { id: 0x080b, name: 'rsa_pss_pss_sha512' },
  { id: 0x081a, name: 'ecdsa_brainpoolP256r1tls13_sha256' },
  { id: 0x081b, name: 'ecdsa_brainpoolP384r1tls13_sha384' },
  { id: 0x081c, name: 'ecdsa_brainpoolP512r1tls13_sha512' },
  { id: 0x0904, name: 'mldsa44' },
  { id: 0x0905, name: 'mldsa65' },
  { id: 0x0906, name: 'mldsa87' },
] as const;

const byId = new Map<number, string>(SIGNATURE_SCHEMES.map((s) => [s.id, s.name]));

export function signatureSchemeName(id: number): string {
  return byId.get(id) ?? `0x${id.toString(16).padStart(4, '0')}`;
}

/** Everything above, strongest first: offered by probes so no server refuses for lack of a match. */
export const ALL_SIGNATURE_SCHEMES: readonly number[] = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x081a,
  0x081b, 0x081c, 0x0904, 0x0905, 0x0906, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402,
  0x0502, 0x0602, 0x0201, 0x0202, 0x0203, 0x0101, 0x0102, 0x0103,
];
