/**
 * The one catalogue of finding ids. Users suppress findings and alert on them by id, so an
 * id never changes meaning once released. docs/findings.md lists the same ids with the
 * same severities; a test keeps the two in sync.
 *
 * `severity` is the default; a rule may raise or lower it from what it saw (a DH prime of
 * 512 bits is worse than one of 1024) and the docs say when.
 */
import type { Confidence, Severity } from './finding.ts';

export interface CatalogueEntry {
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly title: string;
  readonly fix: string;
  readonly references: readonly string[];
}

const RFC = (n: number): string => `https://www.rfc-editor.org/rfc/rfc${n}`;
const CVE = (id: string): string => `https://www.cve.org/CVERecord?id=${id}`;
const MOZILLA = 'https://wiki.mozilla.org/Security/Server_Side_TLS';
/** The policy format, shipped with the package (`docs/` is in its files). */
const POLICY_DOC = 'docs/policy.md';

const confirmed = 'confirmed' as const;
const potential = 'potential' as const;

export const FINDING_CATALOGUE = {
  // Transport
  'transport.plaintext': {
    severity: 'high',
    confidence: confirmed,
    title: 'The port answers in cleartext, not TLS',
    fix: 'Serve TLS on this port (or put `wiretight tunnel server` in front of the service), and move any plaintext listener to loopback.',
    references: [RFC(8446)],
  },
  'tls.client-cert-required': {
    severity: 'info',
    confidence: confirmed,
    title: 'The server asks for a client certificate',
    fix: 'Nothing to fix: mutual TLS is in use. Scan with a client certificate to see the application behind it.',
    references: [`${RFC(8446)}#section-4.3.2`],
  },
  // Protocols
  'protocol.sslv2': {
    severity: 'critical',
    confidence: confirmed,
    title: 'SSLv2 is enabled',
    fix: 'Disable SSLv2. nginx: `ssl_protocols TLSv1.2 TLSv1.3;` Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`.',
    references: [RFC(6176), 'https://drownattack.com/'],
  },
  'protocol.sslv3': {
    severity: 'high',
    confidence: confirmed,
    title: 'SSLv3 is enabled',
    fix: 'Disable SSLv3. nginx: `ssl_protocols TLSv1.2 TLSv1.3;` Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`.',
    references: [RFC(7568)],
  },
  'protocol.tls10': {
    severity: 'medium',
    confidence: confirmed,
    title: 'TLS 1.0 is enabled',
    fix: 'Disable TLS 1.0 (deprecated by RFC 8996). nginx: `ssl_protocols TLSv1.2 TLSv1.3;` Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`.',
    references: [RFC(8996)],
  },
  'protocol.tls11': {
    severity: 'medium',
    confidence: confirmed,
    title: 'TLS 1.1 is enabled',
    fix: 'Disable TLS 1.1 (deprecated by RFC 8996). nginx: `ssl_protocols TLSv1.2 TLSv1.3;` Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`.',
    references: [RFC(8996)],
  },
  'protocol.no-tls13': {
    severity: 'low',
    confidence: confirmed,
    title: 'TLS 1.3 is not offered',
    fix: 'Enable TLS 1.3 (OpenSSL 1.1.1 or later). nginx: `ssl_protocols TLSv1.2 TLSv1.3;` Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`.',
    references: [RFC(8446)],
  },
  // Cipher suites and key exchange
  'suite.null': {
    severity: 'critical',
    confidence: confirmed,
    title: 'Suites without encryption (NULL) are accepted',
    fix: 'Remove NULL suites: add `!eNULL` to the cipher string, or use the Mozilla intermediate list.',
    references: [MOZILLA],
  },
  'suite.anonymous': {
    severity: 'critical',
    confidence: confirmed,
    title: 'Anonymous suites (no server authentication) are accepted',
    fix: 'Remove anonymous suites: add `!aNULL` to the cipher string, or use the Mozilla intermediate list.',
    references: [MOZILLA],
  },
  'suite.export': {
    severity: 'critical',
    confidence: confirmed,
    title: 'Export-grade suites are accepted',
    fix: 'Remove export suites: add `!EXPORT` to the cipher string, or use the Mozilla intermediate list.',
    references: ['https://weakdh.org/', 'https://www.smacktls.com/'],
  },
  'suite.rc4': {
    severity: 'high',
    confidence: confirmed,
    title: 'RC4 suites are accepted',
    fix: 'Remove RC4: add `!RC4` to the cipher string, or use the Mozilla intermediate list.',
    references: [RFC(7465)],
  },
  'suite.des': {
    severity: 'high',
    confidence: confirmed,
    title: 'Single-DES suites are accepted',
    fix: 'Remove DES: add `!DES` to the cipher string, or use the Mozilla intermediate list.',
    references: [RFC(5469)],
  },
  'suite.3des': {
    severity: 'medium',
    confidence: confirmed,
    title: '3DES suites are accepted (SWEET32)',
    fix: 'Remove 3DES and other 64-bit block ciphers: add `!3DES` to the cipher string, or use the Mozilla intermediate list.',
    references: ['https://sweet32.info/', CVE('CVE-2016-2183')],
  },
  'suite.cbc': {
    severity: 'low',
    confidence: confirmed,
    title: 'CBC-mode suites are accepted',
    fix: 'Prefer AEAD suites (AES-GCM, ChaCha20-Poly1305) and drop CBC once clients allow: the Mozilla intermediate list has no CBC suites.',
    references: [MOZILLA],
  },
  'suite.no-forward-secrecy': {
    severity: 'medium',
    confidence: confirmed,
    title: 'Suites without forward secrecy are accepted',
    fix: 'Accept only ECDHE and DHE key exchange: add `!kRSA` to the cipher string, or use the Mozilla intermediate list.',
    references: [MOZILLA],
  },
  'kex.weak-dh': {
    severity: 'medium',
    confidence: confirmed,
    title: 'Diffie-Hellman parameters are weaker than 2048 bits',
    fix: 'Use a 2048-bit or larger group (RFC 7919 ffdhe2048), or drop DHE in favour of ECDHE. nginx: `ssl_dhparam ffdhe2048.pem;`',
    references: [RFC(7919), 'https://weakdh.org/'],
  },
  'kex.weak-ecdh': {
    severity: 'medium',
    confidence: confirmed,
    title: 'Elliptic curves weaker than 224 bits are accepted for key exchange',
    fix: 'Offer only X25519, P-256 and P-384 (plus hybrids). nginx: `ssl_ecdh_curve X25519:prime256v1:secp384r1;`',
    references: [RFC(8422)],
  },
  'preference.client-order': {
    severity: 'low',
    confidence: confirmed,
    title: 'The server follows the client’s suite order while it accepts weak suites',
    fix: 'Enforce the server order (nginx: `ssl_prefer_server_ciphers on;` Apache: `SSLHonorCipherOrder on`), or accept only strong suites.',
    references: [MOZILLA],
  },
  // Certificates
  'cert.expired': {
    severity: 'critical',
    confidence: confirmed,
    title: 'The certificate has expired',
    fix: 'Renew the certificate now, and automate renewal (ACME, or `wiretight ca` for internal names).',
    references: [`${RFC(5280)}#section-4.1.2.5`],
  },
  'cert.not-yet-valid': {
    severity: 'high',
    confidence: confirmed,
    title: 'The certificate is not valid yet',
    fix: 'Check the clock of the machine that issued it; reissue with a notBefore in the past.',
    references: [`${RFC(5280)}#section-4.1.2.5`],
  },
  'cert.expiring-soon': {
    severity: 'medium',
    confidence: confirmed,
    title: 'The certificate expires soon',
    fix: 'Renew the certificate, and automate renewal (ACME, or `wiretight ca` for internal names).',
    references: [`${RFC(5280)}#section-4.1.2.5`],
  },
  'cert.hostname-mismatch': {
    severity: 'high',
    confidence: confirmed,
    title: 'The certificate does not match the host name',
    fix: 'Reissue the certificate with the host name in its subjectAltName, or serve the right certificate for this SNI name.',
    references: [RFC(6125)],
  },
  'cert.untrusted': {
    severity: 'high',
    confidence: confirmed,
    title: 'The certificate chain does not lead to a trusted root',
    fix: 'Use a certificate from a publicly trusted CA, or distribute your internal root to clients (`--ca FILE` tells wiretight about it).',
    references: [`${RFC(5280)}#section-6`],
  },
  'cert.self-signed': {
    severity: 'high',
    confidence: confirmed,
    title: 'The certificate is self-signed',
    fix: 'Replace it with a certificate issued by a trusted CA (public, or an internal one such as `wiretight ca`).',
    references: [`${RFC(5280)}#section-6`],
  },
  'cert.chain-incomplete': {
    severity: 'medium',
    confidence: confirmed,
    title: 'The server does not send the intermediate certificates',
    fix: 'Serve the full chain: leaf first, then each intermediate (nginx: `ssl_certificate fullchain.pem;`).',
    references: [`${RFC(8446)}#section-4.4.2`],
  },
  'cert.chain-order': {
    severity: 'low',
    confidence: confirmed,
    title: 'The chain is sent out of order or with extra certificates',
    fix: 'Send the leaf first, then each issuer in order, and nothing unrelated.',
    references: [`${RFC(5246)}#section-7.4.2`],
  },
  'cert.weak-key': {
    severity: 'high',
    confidence: confirmed,
    title: 'The certificate key is too small',
    fix: 'Reissue with RSA 2048 bits or more, or ECDSA P-256 or stronger.',
    references: ['https://csrc.nist.gov/pubs/sp/800/131/a/r2/final'],
  },
  'cert.weak-signature': {
    severity: 'high',
    confidence: confirmed,
    title: 'A certificate in the chain is signed with SHA-1 or MD5',
    fix: 'Reissue the certificate (and any intermediate) with a SHA-256 or stronger signature.',
    references: [RFC(6151), 'https://shattered.io/'],
  },
  'cert.no-revocation-info': {
    severity: 'low',
    confidence: confirmed,
    title: 'The certificate has no OCSP or CRL location',
    fix: 'Issue certificates with an OCSP responder URL (AIA) or a CRL distribution point, or keep them short-lived.',
    references: [`${RFC(5280)}#section-4.2.1.13`, RFC(6960)],
  },
  'cert.revoked': {
    severity: 'critical',
    confidence: confirmed,
    title: 'The certificate has been revoked',
    fix: 'Install a new certificate; the revoked one must not be served.',
    references: [RFC(6960), `${RFC(5280)}#section-5`],
  },
  'cert.lifetime-too-long': {
    severity: 'low',
    confidence: confirmed,
    title: 'The certificate lifetime is longer than browsers accept',
    fix: 'Issue certificates valid for 398 days or less (shorter is better; `wiretight ca` defaults to 24 hours).',
    references: ['https://cabforum.org/working-groups/server/baseline-requirements/'],
  },
  // Vulnerabilities
  'vuln.heartbleed': {
    severity: 'critical',
    confidence: confirmed,
    title: 'Heartbleed: the server leaks memory in heartbeat responses',
    fix: 'Upgrade OpenSSL (1.0.1g or later) now, then replace the private key and certificate and revoke the old one.',
    references: [CVE('CVE-2014-0160'), 'https://heartbleed.com/'],
  },
  'vuln.ccs-injection': {
    severity: 'high',
    confidence: confirmed,
    title: 'CCS injection: the server accepts an early ChangeCipherSpec',
    fix: 'Upgrade OpenSSL (0.9.8za, 1.0.0m, 1.0.1h or later).',
    references: [CVE('CVE-2014-0224')],
  },
  'vuln.robot': {
    severity: 'high',
    confidence: confirmed,
    title: 'ROBOT: the server is an RSA padding oracle',
    fix: 'Disable RSA key exchange (`!kRSA` in the cipher string) and upgrade the TLS stack or appliance firmware.',
    references: ['https://robotattack.org/'],
  },
  'vuln.insecure-renegotiation': {
    severity: 'high',
    confidence: confirmed,
    title: 'The server does not support secure renegotiation (RFC 5746)',
    fix: 'Upgrade the TLS stack to one that implements RFC 5746 (OpenSSL 0.9.8m or later).',
    references: [RFC(5746), CVE('CVE-2009-3555')],
  },
  'vuln.client-renegotiation': {
    severity: 'medium',
    confidence: confirmed,
    title: 'The server accepts client-initiated renegotiation (denial of service)',
    fix: 'Refuse client-initiated renegotiation (OpenSSL: `SSL_OP_NO_RENEGOTIATION`; nginx and recent Apache refuse it already).',
    references: [CVE('CVE-2011-1473')],
  },
  'vuln.compression': {
    severity: 'medium',
    confidence: confirmed,
    title: 'CRIME: the server accepts TLS compression',
    fix: 'Disable TLS compression (OpenSSL: `SSL_OP_NO_COMPRESSION`; Apache: `SSLCompression off`).',
    references: [CVE('CVE-2012-4929')],
  },
  'vuln.no-fallback-scsv': {
    severity: 'low',
    confidence: confirmed,
    title: 'The server ignores TLS_FALLBACK_SCSV (downgrade protection)',
    fix: 'Upgrade the TLS stack to one that implements RFC 7507, or offer a single protocol version.',
    references: [RFC(7507)],
  },
  'vuln.poodle': {
    severity: 'high',
    confidence: confirmed,
    title: 'POODLE: SSLv3 with CBC suites is accepted',
    fix: 'Disable SSLv3.',
    references: [CVE('CVE-2014-3566')],
  },
  'vuln.drown': {
    severity: 'critical',
    confidence: confirmed,
    title: 'DROWN: the server speaks SSLv2',
    fix: 'Disable SSLv2 on every server that shares this certificate’s key, then replace the key.',
    references: [CVE('CVE-2016-0800'), 'https://drownattack.com/'],
  },
  'vuln.freak': {
    severity: 'high',
    confidence: confirmed,
    title: 'FREAK: export RSA suites are accepted',
    fix: 'Remove export suites (`!EXPORT` in the cipher string) and upgrade the TLS stack.',
    references: [CVE('CVE-2015-0204'), 'https://www.smacktls.com/'],
  },
  'vuln.logjam': {
    severity: 'high',
    confidence: confirmed,
    title: 'Logjam: export-grade or 1024-bit or weaker Diffie-Hellman is accepted',
    fix: 'Remove DHE-EXPORT suites and use a 2048-bit or larger DH group (RFC 7919 ffdhe2048), or drop DHE.',
    references: [CVE('CVE-2015-4000'), 'https://weakdh.org/'],
  },
  'vuln.beast': {
    severity: 'low',
    confidence: potential,
    title: 'Potential BEAST: CBC suites with TLS 1.0 or SSLv3',
    fix: 'Disable TLS 1.0 and SSLv3; modern clients mitigate BEAST on their side.',
    references: [CVE('CVE-2011-3389')],
  },
  'vuln.lucky13': {
    severity: 'low',
    confidence: potential,
    title: 'Potential LUCKY13: CBC suites are accepted',
    fix: 'Prefer AEAD suites; current TLS stacks have constant-time CBC, so this is a risk only for unpatched ones.',
    references: [CVE('CVE-2013-0169')],
  },
  'vuln.early-data': {
    severity: 'medium',
    confidence: confirmed,
    title: 'TLS 1.3 early data (0-RTT) is accepted and can be replayed',
    fix: 'Disable 0-RTT (nginx: `ssl_early_data off;`), or accept it only for idempotent requests and check `Early-Data: 1` in the application.',
    references: [`${RFC(8446)}#section-8`, RFC(8470)],
  },
  'vuln.breach': {
    severity: 'low',
    confidence: potential,
    title: 'Potential BREACH: HTTP responses are compressed',
    fix: 'Only a risk when responses reflect user input next to secrets: disable HTTP compression for such pages, or mask secrets per response.',
    references: ['https://www.breachattack.com/', CVE('CVE-2013-3587')],
  },
  // HTTP over TLS
  'http.hsts-missing': {
    severity: 'medium',
    confidence: confirmed,
    title: 'No Strict-Transport-Security header',
    fix: 'Send `Strict-Transport-Security: max-age=63072000` on HTTPS responses (nginx: `add_header Strict-Transport-Security "max-age=63072000" always;`).',
    references: [RFC(6797)],
  },
  'http.hsts-short': {
    severity: 'low',
    confidence: confirmed,
    title: 'Strict-Transport-Security max-age is shorter than a year',
    fix: 'Raise max-age to at least 31536000 (one year); 63072000 (two years) is the usual value.',
    references: [RFC(6797), 'https://hstspreload.org/'],
  },
  'http.no-https-redirect': {
    severity: 'medium',
    confidence: confirmed,
    title: 'Plain HTTP on the same host does not redirect to HTTPS',
    fix: 'Answer every plain HTTP request with a 301 to the https:// URL (nginx: `return 301 https://$host$request_uri;`).',
    references: [`${RFC(6797)}#section-7.2`],
  },
  // Compliance with a Mozilla server-side TLS profile (`--profile`)
  'profile.protocol': {
    severity: 'medium',
    confidence: confirmed,
    title: 'A protocol version differs from the chosen Mozilla profile',
    fix: 'Enable exactly the versions the profile lists; the finding carries snippets for common servers.',
    references: [MOZILLA],
  },
  'profile.cipher-suite': {
    severity: 'medium',
    confidence: confirmed,
    title: 'A cipher suite outside the chosen Mozilla profile is accepted',
    fix: 'Accept only the profile’s suites; the finding carries snippets for common servers.',
    references: [MOZILLA],
  },
  'profile.group': {
    severity: 'low',
    confidence: confirmed,
    title: 'A key exchange group outside the chosen Mozilla profile is accepted',
    fix: 'Offer only the profile’s groups; the finding carries snippets for common servers.',
    references: [MOZILLA],
  },
  'profile.dh-size': {
    severity: 'medium',
    confidence: confirmed,
    title: 'The DH parameters are smaller than the chosen Mozilla profile asks',
    fix: 'Use the profile’s DH group (ffdhe2048 for intermediate), or drop DHE.',
    references: [MOZILLA, RFC(7919)],
  },
  'profile.certificate': {
    severity: 'medium',
    confidence: confirmed,
    title:
      'The certificate type, size, signature or lifetime differs from the chosen Mozilla profile',
    fix: 'Reissue the certificate as the profile asks (for example ECDSA P-256, at most 90 days).',
    references: [MOZILLA],
  },
  'profile.server-preference': {
    severity: 'low',
    confidence: confirmed,
    title: 'Cipher preference does not follow the chosen Mozilla profile',
    fix: 'Set server cipher preference as the profile asks (off for modern and intermediate, on for old).',
    references: [MOZILLA],
  },
  'profile.hsts': {
    severity: 'low',
    confidence: confirmed,
    title: 'HSTS differs from the chosen Mozilla profile',
    fix: 'Send `Strict-Transport-Security: max-age=63072000` as the profile asks.',
    references: [MOZILLA, RFC(6797)],
  },
  'profile.ocsp-stapling': {
    severity: 'low',
    confidence: confirmed,
    title: 'OCSP stapling is off, which the chosen Mozilla profile asks for',
    fix: 'Turn on OCSP stapling (nginx: `ssl_stapling on; ssl_stapling_verify on;`).',
    references: [MOZILLA, RFC(6066)],
  },
  // Policy (`--policy`)
  'policy.min-version': {
    severity: 'high',
    confidence: confirmed,
    title: 'A protocol version below the policy’s minimum is accepted',
    fix: 'Disable every version below the policy’s `minVersion`. nginx: `ssl_protocols TLSv1.2 TLSv1.3;` Apache: `SSLProtocol -all +TLSv1.2 +TLSv1.3`.',
    references: [`${POLICY_DOC}#minversion`, RFC(8996)],
  },
  'policy.suite-not-allowed': {
    severity: 'medium',
    confidence: confirmed,
    title: 'A cipher suite outside the policy’s allowed suites is accepted',
    fix: 'Configure the server with the policy’s `allowedSuites` (the same OpenSSL cipher string works in nginx `ssl_ciphers` and Apache `SSLCipherSuite`).',
    references: [`${POLICY_DOC}#allowedsuites`],
  },
  'policy.key-too-small': {
    severity: 'medium',
    confidence: confirmed,
    title: 'A key is smaller than the policy’s minimum',
    fix: 'Reissue the certificate with a key of at least the policy’s `minKeySizes`, or use a larger DH group (ffdhe3072 for a 3072-bit minimum).',
    references: [`${POLICY_DOC}#minkeysizes`, RFC(7919)],
  },
  'policy.lifetime-too-long': {
    severity: 'low',
    confidence: confirmed,
    title: 'The certificate is valid for longer than the policy allows',
    fix: 'Reissue the certificate with a validity period within the policy’s `maxCertificateLifetimeDays`, and automate renewal (ACME).',
    references: [`${POLICY_DOC}#maxcertificatelifetimedays`],
  },
  'policy.hsts-required': {
    severity: 'medium',
    confidence: confirmed,
    title: 'HSTS is missing or shorter than the policy requires',
    fix: 'Send `Strict-Transport-Security: max-age=N` with N at least the policy’s `requireHsts.minMaxAge` on every HTTPS response.',
    references: [`${POLICY_DOC}#requirehsts`, RFC(6797)],
  },
  'policy.client-certificate-required': {
    severity: 'high',
    confidence: confirmed,
    title: 'The server does not ask for a client certificate, which the policy requires',
    fix: 'Require mutual TLS on this port (nginx: `ssl_verify_client on;`), or put `wiretight tunnel server` in front of the service.',
    references: [`${POLICY_DOC}#requireclientcertificates`, `${RFC(8446)}#section-4.3.2`],
  },
} as const satisfies Record<string, CatalogueEntry>;

export type FindingId = keyof typeof FINDING_CATALOGUE;

export const FINDING_IDS = Object.keys(FINDING_CATALOGUE) as FindingId[];

export function isFindingId(id: string): id is FindingId {
  return Object.hasOwn(FINDING_CATALOGUE, id);
}
