// The TLS posture of both ends of a tunnel. TLS 1.3 is preferred by OpenSSL whenever both
// sides speak it; TLS 1.2 stays for older peers, with forward-secret AEAD suites only. The
// hybrid post-quantum group goes first so peers that support it get it.
import type { SecureContextOptions } from 'node:tls';

export const TUNNEL_POSTURE = {
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  ciphers: [
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'TLS_AES_128_GCM_SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
  ].join(':'),
  ecdhCurve: 'X25519MLKEM768:X25519:P-256:P-384',
  honorCipherOrder: true,
} as const satisfies SecureContextOptions;
