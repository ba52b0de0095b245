import { MAX_PATH_LENGTH } from './limits.ts';
import type { AiaAttempt } from './aia.ts';
import { decodeAuthorityInfoAccess, OID } from './extensions.ts';
import { findExtension } from './certificate-parts.ts';
import type { IssuanceChecks } from './issuance.ts';
import { type ParsedCertificate, parseCertificate } from './parsed-certificate.ts';
import type { TrustAnchor, TrustStore } from './trust-store.ts';

/** A certificate of the chain as sent, with its position (0 = leaf). */
export interface SentCertificate {
  readonly position: number;
  readonly cert: ParsedCertificate;
}

/** One certificate of the path from the leaf towards a trust anchor. */
export interface PathStep {
  readonly cert: ParsedCertificate;
  readonly source: 'sent' | 'fetched' | 'trust-store';
  /** Position in the chain as sent, when the server sent it. */
  readonly position: number | null;
  /** The trust anchor this step is, or is the same key and name as (last step only). */
  readonly anchor?: TrustAnchor;
}

/**
 * How the path ends. `anchor`: at a trust anchor. `self-signed`: at the leaf, which signed
 * itself. `untrusted-root`: at another self-signed certificate that is not an anchor.
 * `unknown-issuer`: at a certificate whose issuer was neither sent, an anchor, nor found
 * through AIA. `bad-signature`: at a certificate whose named issuer's signature fails.
 * `limit-exceeded`: the path or the signature checks went past their caps.
 */
export type PathEnd =
  | 'anchor'
  | 'self-signed'
  | 'untrusted-root'
  | 'unknown-issuer'
  | 'bad-signature'
  | 'limit-exceeded';

export interface BuiltPath {
  readonly steps: PathStep[];
  readonly end: PathEnd;
  /** The first certificate whose issuer the server did not send and no anchor is. */
  readonly firstMissing: ParsedCertificate | null;
  readonly aia: AiaAttempt[];
}

export interface PathContext {
  readonly sent: readonly SentCertificate[];
  readonly trust: TrustStore;
  /** Look in the trust store's deferred sources (the OS store) too. */
  readonly withDeferred: boolean;
  readonly checks: IssuanceChecks;
  /** Fetches a caIssuers URL; undefined when fetching is off. The caller caches results. */
  readonly fetchIssuers: ((url: string) => Promise<Uint8Array[]>) | undefined;
}

export { MAX_PATH_LENGTH } from './limits.ts';
/** caIssuers URLs fetched per path at most (one missing intermediate needs one). */
export const MAX_AIA_FETCHES = 3;

function caIssuerUrls(cert: ParsedCertificate): string[] {
  const ext = findExtension(cert.parts, OID.authorityInfoAccess);
  if (ext === undefined) return [];
  try {
    return decodeAuthorityInfoAccess(ext.value).caIssuers;
  } catch {
    return []; // a malformed AIA is reported with the leaf's facts
  }
}

type Found = { readonly step: PathStep } | { readonly badSignature: boolean };

/** An anchor that issued `cert`, or whether one named like its issuer failed to verify. */
function issuingAnchor(cert: ParsedCertificate, ctx: PathContext): Found {
  let badSignature = false;
  for (const anchor of ctx.trust.named(cert.parts.issuer, ctx.withDeferred)) {
    const parsed = anchor.parsed();
    if (parsed === undefined) continue;
    const r = ctx.checks.check(cert, parsed);
    if (r === 'issued') {
      // The server may have sent the anchor too: the path then points at its copy.
      const sent = ctx.sent.find((s) => s.cert.facts.sha256 === parsed.facts.sha256);
      return sent === undefined
        ? { step: { cert: parsed, source: 'trust-store', position: null, anchor } }
        : { step: { cert: sent.cert, source: 'sent', position: sent.position, anchor } };
    }
    badSignature ||= r === 'bad-signature';
  }
  return { badSignature };
}

function issuingSent(cert: ParsedCertificate, ctx: PathContext, used: Set<string>): Found {
  let badSignature = false;
  for (const s of ctx.sent) {
    if (used.has(s.cert.facts.sha256)) continue;
    const r = ctx.checks.check(cert, s.cert);
    if (r === 'issued') return { step: { cert: s.cert, source: 'sent', position: s.position } };
    badSignature ||= r === 'bad-signature';
  }
  return { badSignature };
}

async function issuingFetched(
  cert: ParsedCertificate,
  ctx: PathContext,
  aia: AiaAttempt[],
): Promise<PathStep | undefined> {
  if (ctx.fetchIssuers === undefined) return undefined;
  for (const url of caIssuerUrls(cert).slice(0, 2)) {
    if (aia.length >= MAX_AIA_FETCHES) return undefined;
    try {
      const candidates = (await ctx.fetchIssuers(url)).flatMap((der) => {
        try {
          return [parseCertificate(der)];
        } catch {
          return [];
        }
      });
      const issuer = candidates.find((c) => ctx.checks.check(cert, c) === 'issued');
      aia.push({ url, outcome: issuer === undefined ? 'not-the-issuer' : 'issuer-found' });
      if (issuer !== undefined) return { cert: issuer, source: 'fetched', position: null };
    } catch (err) {
      aia.push({ url, outcome: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  }
  return undefined;
}

/**
 * Builds the path from the leaf up, trusted-first as OpenSSL does since 1.1.0: at each
 * certificate, is it an anchor itself; did an anchor issue it; did a sent certificate
 * issue it; did it sign itself; can AIA fetch its issuer. Greedy, without backtracking
 * (one candidate per link is what servers send), and bounded by MAX_PATH_LENGTH, the
 * signature-check budget and MAX_AIA_FETCHES.
 */
export async function buildPath(leaf: SentCertificate, ctx: PathContext): Promise<BuiltPath> {
  const steps: PathStep[] = [{ cert: leaf.cert, source: 'sent', position: leaf.position }];
  const used = new Set([leaf.cert.facts.sha256]);
  const aia: AiaAttempt[] = [];
  let firstMissing: ParsedCertificate | null = null;
  const done = (end: PathEnd): BuiltPath => ({ steps, end, firstMissing, aia });
  for (;;) {
    const current = steps[steps.length - 1] as PathStep;
    const anchor = ctx.trust.anchorFor(current.cert, ctx.withDeferred);
    if (anchor !== undefined) {
      steps[steps.length - 1] = { ...current, anchor };
      return done('anchor');
    }
    if (steps.length >= MAX_PATH_LENGTH) return done('limit-exceeded');
    const fromAnchor = issuingAnchor(current.cert, ctx);
    if ('step' in fromAnchor) {
      steps.push(fromAnchor.step);
      return done('anchor');
    }
    const fromSent = issuingSent(current.cert, ctx, used);
    if ('step' in fromSent) {
      steps.push(fromSent.step);
      used.add(fromSent.step.cert.facts.sha256);
      continue;
    }
    if (current.cert.selfIssued && ctx.checks.check(current.cert, current.cert) === 'issued') {
      return done(steps.length === 1 ? 'self-signed' : 'untrusted-root');
    }
    // Past the budget some candidates were never checked: no verdict on their signatures.
    if (ctx.checks.exhausted) return done('limit-exceeded');
    if (fromAnchor.badSignature || fromSent.badSignature) return done('bad-signature');
    firstMissing ??= current.cert;
    const fetched = await issuingFetched(current.cert, ctx, aia);
    if (fetched !== undefined && !used.has(fetched.cert.facts.sha256)) {
      steps.push(fetched);
      used.add(fetched.cert.facts.sha256);
      continue;
    }
    return done('unknown-issuer');
  }
}
