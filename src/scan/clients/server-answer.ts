import { createHash } from 'node:crypto';
import { isWiretightError } from '../../errors.ts';
import { describeCertificate } from '../../pki/certificate-facts.ts';
import { certificateParts } from '../../pki/certificate-parts.ts';
import { describeSignatureAlgorithm, isWeakHash } from '../../pki/signature-algorithms.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { parseCertificateList } from '../../wire/certificate.ts';
import { HANDSHAKE_TYPE } from '../../wire/handshake.ts';
import { cipherSuite } from '../../wire/registry/cipher-suites.ts';
import { parseServerKeyExchange } from '../../wire/server-key-exchange.ts';
import type { Tls13ServerFlightResult } from '../../wire/tls13/server-flight.ts';

/** The server's certificate as a client's limits see it. */
export interface ServerCertificate {
  /** As node:crypto names it: `rsa`, `rsa-pss`, `ec`, `ed25519`, `dsa`… */
  readonly keyType: string;
  readonly keyBits: number | null;
  /** The weakest digest (`sha1`, `md5`…) signing a certificate the client must check, if any. */
  readonly weakSignatureHash?: string;
}

/** What the server settled on with one client's hello, as far as the replay reads it. */
export interface Negotiated {
  readonly version: number;
  readonly suite: number;
  /** ECDHE curve (TLS ≤ 1.2) or key share group (TLS 1.3). */
  readonly group?: number;
  /** DHE prime size (TLS ≤ 1.2). */
  readonly dhBits?: number;
  readonly alpn?: string;
  readonly certificate?: ServerCertificate;
  /** The SignatureScheme of the ServerKeyExchange (TLS 1.2) or CertificateVerify (TLS 1.3). */
  readonly signatureScheme?: number;
}

/** The parts of the server's flight a client would reject: `failure` says which and why. */
export type FlightReading =
  | { readonly ok: true; readonly negotiated: Negotiated }
  | { readonly ok: false; readonly failure: string };

/**
 * The certificate facts a client's limits need: the leaf's key, and the weakest hash
 * signing any certificate sent other than a self-issued one (a root is trusted as it is,
 * its own signature is never checked). A leaf OpenSSL cannot read is undefined: nothing
 * can be judged from it.
 */
export function serverCertificate(chain: readonly Uint8Array[]): ServerCertificate | undefined {
  // Every simulated client of a server gets the same chain or one of two: parse each once.
  // Each certificate's length goes in too: [A, B] and [A‖B] are different chains.
  const hash = createHash('sha256');
  for (const der of chain) hash.update(`${der.length}:`).update(der);
  const key = hash.digest('hex');
  if (readCertificates.has(key)) return readCertificates.get(key);
  const read = readCertificate(chain);
  if (readCertificates.size >= MAX_CACHED_CHAINS) {
    const oldest = readCertificates.keys().next();
    if (oldest.done !== true) readCertificates.delete(oldest.value);
  }
  readCertificates.set(key, read);
  return read;
}

/** Chains a fleet scan has in flight at once, with room to spare; the oldest goes first. */
const MAX_CACHED_CHAINS = 256;
const readCertificates = new Map<string, ServerCertificate | undefined>();

function readCertificate(chain: readonly Uint8Array[]): ServerCertificate | undefined {
  const leaf = chain[0];
  if (leaf === undefined) return undefined;
  const described = describeCertificate(leaf);
  if (!described.ok) return undefined;
  let weak: string | undefined;
  for (const der of chain) {
    const parsed = der === leaf ? described : describeCertificate(der);
    if (!parsed.ok || parsed.facts.selfIssued) continue;
    try {
      const { hash } = describeSignatureAlgorithm(certificateParts(der).signatureAlgorithm);
      if (isWeakHash(hash)) weak = hash ?? undefined;
    } catch {
      // An unreadable signature algorithm is the verifier's problem, not a key limit.
    }
  }
  const { type, bits } = described.facts.publicKey;
  return {
    keyType: type,
    keyBits: bits,
    ...(weak === undefined ? {} : { weakSignatureHash: weak }),
  };
}

function failed(what: string, err: unknown): FlightReading {
  const why = isWiretightError(err) ? err.message : String(err);
  return { ok: false, failure: `the server's ${what} does not parse (${why})` };
}

/**
 * A TLS ≤ 1.2 answer read to ServerHelloDone: the certificate (leaf key, signatures) and
 * the ServerKeyExchange (curve or DH size, signature scheme). A flight a client cannot
 * parse is a failure, as it would be for the client.
 */
export function readLegacyFlight(outcome: Extract<HelloOutcome, { kind: 'hello' }>): FlightReading {
  const { facts } = outcome;
  let negotiated: Negotiated = {
    version: facts.version,
    suite: facts.cipherSuite,
    ...(facts.alpn === undefined ? {} : { alpn: facts.alpn }),
  };
  const certificate = outcome.messages.find((m) => m.type === HANDSHAKE_TYPE.certificate);
  if (certificate !== undefined) {
    let chain: Uint8Array[];
    try {
      chain = parseCertificateList(certificate.body);
    } catch (err) {
      return failed('Certificate', err);
    }
    const cert = serverCertificate(chain);
    if (cert !== undefined) negotiated = { ...negotiated, certificate: cert };
  }
  const ske = outcome.messages.find((m) => m.type === HANDSHAKE_TYPE.server_key_exchange);
  const kx = cipherSuite(facts.cipherSuite)?.kx;
  if (ske === undefined || kx === undefined) return { ok: true, negotiated };
  let params;
  try {
    params = parseServerKeyExchange(ske.body, kx, facts.version === 0x0303);
  } catch (err) {
    return failed('ServerKeyExchange', err);
  }
  if (params?.kind === 'ecdhe') {
    negotiated = { ...negotiated, group: params.group };
  } else if (params?.kind === 'dhe') {
    negotiated = { ...negotiated, dhBits: params.primeBits };
  }
  const scheme =
    params !== undefined && 'signatureScheme' in params ? params.signatureScheme : undefined;
  return {
    ok: true,
    negotiated: scheme === undefined ? negotiated : { ...negotiated, signatureScheme: scheme },
  };
}

/** What the encrypted TLS 1.3 flight adds: certificate, CertificateVerify scheme, ALPN. */
export function readTls13Flight(
  negotiated: Negotiated,
  flight: Tls13ServerFlightResult,
): Negotiated {
  const chain = flight.certificate?.entries.map((e) => e.der) ?? [];
  const cert = serverCertificate(chain);
  const alpn = flight.encryptedExtensions?.alpn;
  const scheme = flight.certificateVerify?.scheme;
  return {
    ...negotiated,
    ...(cert === undefined ? {} : { certificate: cert }),
    ...(alpn === undefined ? {} : { alpn }),
    ...(scheme === undefined ? {} : { signatureScheme: scheme }),
  };
}
