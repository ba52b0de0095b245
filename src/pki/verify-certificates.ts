import { AIA_MAX_BYTES, fetchIssuerCertificates } from './aia.ts';
import { type ChainEntry, isUnparsed } from './certificate-facts.ts';
import { findExtension } from './certificate-parts.ts';
import { judgeChainOrder } from './chain-order.ts';
import { type BasicConstraints, OID, decodeBasicConstraints } from './extensions.ts';
import { type Fetcher, httpFetcher } from './fetcher.ts';
import { matchHostname } from './hostname.ts';
import { IssuanceChecks } from './issuance.ts';
import { describeLeaf } from './leaf-facts.ts';
import { entryDer, parseCertificate } from './parsed-certificate.ts';
import {
  type BuiltPath,
  type PathContext,
  type PathStep,
  type SentCertificate,
  buildPath,
} from './path.ts';
import { checkRevocation } from './revocation/check.ts';
import { describeSignatureAlgorithm } from './signature-algorithms.ts';
import { judgeKey, judgeSignature } from './strength.ts';
import type { TrustStore } from './trust-store.ts';
import { judgeValidity } from './validity.ts';
import type {
  CertificateVerdicts,
  ChainVerdict,
  PathCertificate,
  ServedCertificate,
  TrustReason,
} from './verdicts.ts';

export interface VerifyOptions {
  /** The name (SNI) or IP address a client would check the certificate against. */
  readonly host: string;
  /** The instant to judge validity and revocation answers at. */
  readonly now: Date;
  readonly trust: TrustStore;
  /**
   * Fetches missing intermediates (AIA), OCSP answers and CRLs. Default: httpFetcher
   * (plain http only); null fetches nothing.
   */
  readonly fetcher?: Fetcher | null;
  /** Ask the leaf's OCSP responder and download its CRL (default false). */
  readonly checkRevocation?: boolean;
  /** The OCSP response the server stapled, DER; checked without any fetch. */
  readonly stapledOcsp?: Uint8Array;
  /** Deadline of each fetch (default 5000 ms). */
  readonly fetchTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 5000;

interface Sent {
  readonly certificates: SentCertificate[];
  /** Why each unusable position cannot be used. */
  readonly errors: Map<number, string>;
}

function readSent(chain: readonly ChainEntry[]): Sent {
  const certificates: SentCertificate[] = [];
  const errors = new Map<number, string>();
  chain.forEach((entry, position) => {
    if (isUnparsed(entry)) {
      errors.set(position, entry.parseError);
      return;
    }
    try {
      certificates.push({ position, cert: parseCertificate(entryDer(entry), entry) });
    } catch (err) {
      errors.set(position, err instanceof Error ? err.message : String(err));
    }
  });
  return { certificates, errors };
}

/** caIssuers fetches through `fetcher`, each URL fetched once per verification. */
function issuerFetcher(
  fetcher: Fetcher | null,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): PathContext['fetchIssuers'] {
  if (fetcher === null) return undefined;
  const cache = new Map<string, Promise<Uint8Array[]>>();
  return (url) => {
    let p = cache.get(url);
    if (p === undefined) {
      p = fetchIssuerCertificates(url, fetcher, { maxBytes: AIA_MAX_BYTES, timeoutMs, signal });
      cache.set(url, p);
    }
    return p;
  };
}

function basicConstraints(step: PathStep): BasicConstraints | undefined {
  const ext = findExtension(step.cert.parts, OID.basicConstraints);
  if (ext === undefined) return undefined;
  try {
    return decodeBasicConstraints(ext.value);
  } catch {
    return undefined;
  }
}

/** RFC 5280 §6.1.4 (k), (l), (m) for every issuer of the path. */
function constraintReasons(steps: readonly PathStep[]): TrustReason[] {
  const out: TrustReason[] = [];
  steps.forEach((step, i) => {
    if (i === 0) return;
    const bc = basicConstraints(step);
    // An anchor is trusted as configured; X.509 v1 roots have no basicConstraints.
    if (step.anchor === undefined && bc?.ca !== true) out.push('not-a-ca');
    if (bc?.pathLength !== null && bc?.pathLength !== undefined) {
      const below = steps.slice(1, i).filter((s) => !s.cert.selfIssued).length;
      if (below > bc.pathLength) out.push('path-length-exceeded');
    }
  });
  return out;
}

function trustReasons(path: BuiltPath, now: Date): TrustReason[] {
  const reasons: TrustReason[] = [];
  if (path.end !== 'anchor') reasons.push(path.end);
  // Trusted only through fetched certificates: a client that does not fetch stops at the
  // first certificate whose issuer was not sent.
  if (path.end === 'anchor' && path.steps.some((s) => s.source === 'fetched')) {
    reasons.push('unknown-issuer');
  }
  for (const step of path.steps) {
    const status = judgeValidity(step.cert.facts, now).status;
    if (status !== 'valid') reasons.push(status);
  }
  reasons.push(...constraintReasons(path.steps));
  return [...new Set(reasons)];
}

/** `path` is undefined when there is no usable leaf to build one from. */
function chainVerdict(
  path: BuiltPath | undefined,
  sent: Sent,
  count: number,
  checks: IssuanceChecks,
): ChainVerdict {
  // Servers need not send a root: a missing issuer that turns out self-signed is not a gap.
  const fetchedIntermediate = (path?.steps ?? []).some(
    (s) => s.source === 'fetched' && !s.cert.selfIssued,
  );
  const incomplete = fetchedIntermediate || path?.end === 'unknown-issuer';
  return {
    sent: count,
    ...judgeChainOrder(sent.certificates, count, checks),
    incomplete,
    missingIssuer: incomplete ? (path?.firstMissing?.facts.issuer ?? null) : null,
    trustedAfterCompletion: fetchedIntermediate && path?.end === 'anchor',
    aia: path?.aia ?? [],
  };
}

function pathCertificates(path: BuiltPath, now: Date): PathCertificate[] {
  return path.steps.map((s) => ({
    subject: s.cert.facts.subject,
    issuer: s.cert.facts.issuer,
    sha256: s.cert.facts.sha256,
    source: s.source,
    position: s.position,
    anchor: s.anchor !== undefined,
    validity: judgeValidity(s.cert.facts, now),
  }));
}

function servedCertificates(
  chain: readonly ChainEntry[],
  sent: Sent,
  steps: readonly PathStep[],
  trust: TrustStore,
  withDeferred: boolean,
  now: Date,
): ServedCertificate[] {
  const inPath = new Set(steps.map((s) => s.position));
  const byPosition = new Map(sent.certificates.map((s) => [s.position, s.cert]));
  return chain.map((entry, position) => {
    const cert = byPosition.get(position);
    if (cert === undefined) {
      return {
        position,
        sha256: entry.sha256,
        subject: isUnparsed(entry) ? null : entry.subject,
        parseError: sent.errors.get(position) ?? 'cannot be parsed',
        inPath: false,
        anchor: false,
        key: null,
        signature: null,
        validity: null,
      };
    }
    const anchor = trust.anchorFor(cert, withDeferred) !== undefined;
    const signature = judgeSignature(describeSignatureAlgorithm(cert.parts.signatureAlgorithm));
    return {
      position,
      sha256: cert.facts.sha256,
      subject: cert.facts.subject,
      inPath: inPath.has(position),
      anchor,
      key: judgeKey(cert.facts.publicKey),
      signature: anchor ? { ...signature, weak: false } : signature,
      validity: judgeValidity(cert.facts, now),
    };
  });
}

/** The verdicts of a chain without a usable leaf: nothing to build or judge beyond that. */
function withoutLeaf(
  chain: readonly ChainEntry[],
  sent: Sent,
  options: VerifyOptions,
  reason: TrustReason,
): CertificateVerdicts {
  return {
    host: options.host,
    checkedAt: options.now.toISOString(),
    trust: { trusted: false, reasons: [reason], anchorSource: null, publiclyTrusted: false },
    path: [],
    chain: chainVerdict(undefined, sent, chain.length, new IssuanceChecks()),
    hostname: null,
    served: servedCertificates(chain, sent, [], options.trust, false, options.now),
    leaf: null,
    revocation: [],
  };
}

/**
 * Judges the chain exactly as the server sent it (leaf first; entries may be unparseable):
 * builds the path to a trust anchor (fetching missing intermediates through AIA), checks
 * signatures, validity, CA constraints, the host name, the chain's completeness and
 * order, key and signature strength, and, when asked, revocation. Pure except for the
 * injected fetcher; never throws for anything the server sent.
 */
export async function verifyCertificates(
  chain: readonly ChainEntry[],
  options: VerifyOptions,
): Promise<CertificateVerdicts> {
  if (typeof options.host !== 'string' || options.host === '') {
    throw new TypeError('host must be the name or address a client would check');
  }
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new RangeError('now must be a valid Date');
  }
  const { now, trust } = options;
  const sent = readSent(chain);
  if (chain.length === 0) return withoutLeaf(chain, sent, options, 'no-certificate');
  const leaf = sent.certificates[0];
  if (leaf?.position !== 0) return withoutLeaf(chain, sent, options, 'unparseable-leaf');

  const timeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const fetcher = options.fetcher === undefined ? httpFetcher : options.fetcher;
  const checks = new IssuanceChecks();
  const ctx: PathContext = {
    sent: sent.certificates.slice(1),
    trust,
    withDeferred: false,
    checks,
    fetchIssuers: issuerFetcher(fetcher, timeoutMs, options.signal),
  };
  let path = await buildPath(leaf, ctx);
  // The OS store is read only when the chain is untrusted without it.
  const withDeferred = path.end !== 'anchor' && trust.hasDeferred;
  if (withDeferred) path = await buildPath(leaf, { ...ctx, withDeferred });

  const reasons = trustReasons(path, now);
  const anchor = path.end === 'anchor' ? path.steps[path.steps.length - 1]?.anchor : undefined;
  const { facts: leafFacts, names } = describeLeaf(leaf.cert);
  const revocation = await checkRevocation({
    cert: leaf.cert,
    issuer: path.steps[1]?.cert,
    ocspUrls: leafFacts.ocspUrls,
    crlUrls: leafFacts.crlUrls,
    now,
    online: options.checkRevocation === true,
    fetcher,
    stapledOcsp: options.stapledOcsp,
    timeoutMs,
    signal: options.signal,
  });
  return {
    host: options.host,
    checkedAt: now.toISOString(),
    trust: {
      trusted: reasons.length === 0,
      reasons,
      anchorSource: anchor?.source ?? null,
      publiclyTrusted: anchor?.source === 'mozilla',
    },
    path: pathCertificates(path, now),
    chain: chainVerdict(path, sent, chain.length, checks),
    hostname: matchHostname(options.host, names),
    served: servedCertificates(chain, sent, path.steps, trust, withDeferred, now),
    leaf: leafFacts,
    revocation,
  };
}
