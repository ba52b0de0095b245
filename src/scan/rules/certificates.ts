// From the modules themselves, not the pki barrel: the rules run on every scan, and the
// barrel would load revocation and its ASN.1 libraries with them.
import type { RevocationFacts } from '../../pki/revocation/revocation-facts.ts';
import {
  type CertificateVerdicts,
  type PathCertificate,
  type ServedCertificate,
  TRUST_REASONS,
  type TrustReason,
} from '../../pki/verdicts.ts';
import { type Finding, finding } from '../findings/index.ts';

export interface CertificateRuleOptions {
  /** cert.expiring-soon fires for a certificate of the path that expires within this many days. */
  readonly expiryWarningDays?: number;
  /**
   * Hold every leaf to the 398-day limit, not only those under a Mozilla root (for internal
   * CAs that follow the public rules).
   */
  readonly lifetimeLimitForAll?: boolean;
}

export const DEFAULT_EXPIRY_WARNING_DAYS = 30;
/** cert.expiring-soon is high severity at this many days left or fewer. */
export const URGENT_EXPIRY_DAYS = 7;
/** CA/Browser Forum Baseline Requirements §6.3.2: the longest lifetime of a public leaf. */
export const MAX_PUBLIC_LIFETIME_DAYS = 398;
/** BR "short-lived" certificates need no OCSP or CRL: they expire before revocation would help. */
export const SHORT_LIVED_DAYS = 7;

const DAY_MS = 86_400_000;

/** Reasons that have a finding of their own, so cert.untrusted does not repeat them. */
const REASONS_WITH_OWN_FINDING: ReadonlySet<TrustReason> = new Set([
  'expired',
  'not-yet-valid',
  'self-signed',
]);

type Named = Pick<PathCertificate, 'subject' | 'position' | 'source' | 'anchor'>;

/** How evidence names a certificate: its subject and where it sits. */
function name(c: Named): string {
  const subject = `"${c.subject}"`;
  if (c.position === 0) return `the leaf ${subject}`;
  if (c.position !== null) return `${subject} (#${c.position} as sent)`;
  if (c.source === 'fetched') return `${subject} (fetched through AIA)`;
  return c.anchor ? `the trust anchor ${subject}` : subject;
}

function servedName(s: ServedCertificate): string {
  return name({
    subject: s.subject ?? '(unparseable)',
    position: s.position,
    source: 'sent',
    anchor: s.anchor,
  });
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const day = (iso: string): string => iso.slice(0, 10);
const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function where(c: PathCertificate): Record<string, string | number> {
  return {
    subject: c.subject,
    sha256: c.sha256,
    ...(c.position === null ? {} : { position: c.position }),
  };
}

function validityFindings(v: CertificateVerdicts, warningDays: number): Finding[] {
  const out: Finding[] = [];
  const now = Date.parse(v.checkedAt);
  for (const c of v.path) {
    const { status, notBefore, notAfter, daysLeft } = c.validity;
    if (status === 'expired') {
      out.push(
        finding('cert.expired', {
          evidence: `${capitalise(name(c))} expired on ${day(notAfter)} (${plural(-daysLeft, 'day')} ago).`,
          details: { ...where(c), notAfter, daysLeft },
        }),
      );
    } else if (status === 'not-yet-valid') {
      const daysUntil = Math.ceil((Date.parse(notBefore) - now) / DAY_MS);
      out.push(
        finding('cert.not-yet-valid', {
          evidence: `${capitalise(name(c))} is valid only from ${day(notBefore)} (in ${plural(daysUntil, 'day')}).`,
          details: { ...where(c), notBefore, daysUntilValid: daysUntil },
        }),
      );
    } else if (daysLeft < warningDays) {
      out.push(
        finding('cert.expiring-soon', {
          evidence: `${capitalise(name(c))} expires on ${day(notAfter)}, in ${plural(daysLeft, 'day')}.`,
          ...(daysLeft <= URGENT_EXPIRY_DAYS ? { severity: 'high' as const } : {}),
          details: { ...where(c), notAfter, daysLeft },
        }),
      );
    }
  }
  return out;
}

function hostnameFindings(v: CertificateVerdicts): Finding[] {
  if (v.hostname === null || v.leaf === null || v.hostname.matches) return [];
  const presented = [
    ...v.leaf.dnsNames.map((n) => `DNS:${n}`),
    ...v.leaf.ipAddresses.map((n) => `IP:${n}`),
  ];
  const cn = v.hostname.commonNameChecked
    ? `; it has no DNS name in subjectAltName, and its CN (${v.leaf.commonNames.join(', ') || 'none'}) does not match either`
    : '';
  const target =
    v.hostname.kind === 'ip' ? `the address ${v.hostname.host}` : `"${v.hostname.host}"`;
  return [
    finding('cert.hostname-mismatch', {
      evidence: `The certificate is for ${presented.join(', ') || 'no subjectAltName'}, not for ${target}${cn}.`,
      details: {
        host: v.hostname.host,
        names: presented,
        commonNameChecked: v.hostname.commonNameChecked,
      },
    }),
  ];
}

function trustFindings(v: CertificateVerdicts): Finding[] {
  const out: Finding[] = [];
  const reasons = v.trust.reasons;
  if (reasons.includes('self-signed')) {
    const leaf = v.path[0];
    out.push(
      finding('cert.self-signed', {
        evidence: `The leaf "${leaf?.subject ?? ''}" is signed by its own key and is not in the trust store.`,
        details: { subject: leaf?.subject ?? '', sha256: leaf?.sha256 ?? '' },
      }),
    );
  }
  // A chain trusted once AIA completed it is cert.chain-incomplete's story alone.
  const covered = (r: TrustReason): boolean =>
    REASONS_WITH_OWN_FINDING.has(r) || (r === 'unknown-issuer' && v.chain.trustedAfterCompletion);
  if (reasons.some((r) => !covered(r))) {
    const end = v.path[v.path.length - 1];
    const parseError = v.served[0]?.parseError;
    const why = reasons
      .map((r) =>
        r === 'unparseable-leaf' && parseError !== undefined
          ? `${TRUST_REASONS[r]} (${parseError})`
          : TRUST_REASONS[r],
      )
      .join('; ');
    const stop = end === undefined || end.anchor ? '' : ` The path stops at ${name(end)}.`;
    out.push(
      finding('cert.untrusted', {
        evidence: `No client with this trust store accepts the chain: ${why}.${stop}`,
        details: { reasons: [...reasons] },
      }),
    );
  }
  return out;
}

function chainFindings(v: CertificateVerdicts): Finding[] {
  const out: Finding[] = [];
  const { chain } = v;
  if (chain.incomplete) {
    const leaf = v.path[0];
    const fetched = chain.aia.find((a) => a.outcome === 'issuer-found');
    const failed = chain.aia.find((a) => a.outcome !== 'issuer-found');
    const aia =
      chain.trustedAfterCompletion && fetched !== undefined
        ? ` Fetched from ${fetched.url}, it completes a trusted chain: browsers that fetch missing intermediates cope, most other clients (OpenSSL, curl, Go, Java, Python) fail.`
        : failed !== undefined
          ? ` Fetching it from ${failed.url} did not help (${failed.error ?? failed.outcome}).`
          : ' No caIssuers URL was fetched to find it.';
    out.push(
      finding('cert.chain-incomplete', {
        evidence: `The server sent ${plural(chain.sent, 'certificate')} without "${chain.missingIssuer ?? '?'}", the issuer ${leaf?.subject === undefined ? 'needed' : `on the way from "${leaf.subject}"`} to a root.${aia}`,
        details: {
          missingIssuer: chain.missingIssuer ?? '',
          trustedAfterCompletion: chain.trustedAfterCompletion,
          sent: chain.sent,
        },
      }),
    );
  }
  // Without a usable leaf there is no chain to lay out; cert.untrusted says why.
  if (!chain.ordered && v.path.length > 0) {
    const at = (positions: readonly number[]): string =>
      positions
        .map((p) => {
          const s = v.served[p];
          return s === undefined ? `#${p}` : `#${p}${s.subject === null ? '' : ` "${s.subject}"`}`;
        })
        .join(', ');
    const parts = [
      chain.misplaced.length > 0 ? `sent out of turn: ${at(chain.misplaced)}` : '',
      chain.duplicates.length > 0 ? `sent twice: ${at(chain.duplicates)}` : '',
      chain.unrelated.length > 0 ? `not part of the chain: ${at(chain.unrelated)}` : '',
      chain.unparseable.length > 0 ? `unparseable: ${at(chain.unparseable)}` : '',
    ].filter((p) => p !== '');
    out.push(
      finding('cert.chain-order', {
        evidence: `${capitalise(parts.join('; '))}.`,
        details: {
          misplaced: chain.misplaced.map(String),
          duplicates: chain.duplicates.map(String),
          unrelated: chain.unrelated.map(String),
          unparseable: chain.unparseable.map(String),
        },
      }),
    );
  }
  return out;
}

function strengthFindings(v: CertificateVerdicts): Finding[] {
  const out: Finding[] = [];
  for (const s of v.served) {
    if (s.key?.weak === true) {
      const size =
        s.key.curve === undefined
          ? `${s.key.bits ?? '?'}-bit ${s.key.type.toUpperCase()}`
          : `${s.key.bits ?? '?'}-bit ${s.key.curve}`;
      out.push(
        finding('cert.weak-key', {
          evidence: `${capitalise(servedName(s))} has a ${size} key.`,
          details: {
            position: s.position,
            sha256: s.sha256,
            keyType: s.key.type,
            bits: s.key.bits ?? 0,
          },
        }),
      );
    }
    if (s.signature?.weak === true) {
      out.push(
        finding('cert.weak-signature', {
          evidence: `${capitalise(servedName(s))} is signed with ${s.signature.algorithm} (${(s.signature.hash ?? '').toUpperCase()}).`,
          details: {
            position: s.position,
            sha256: s.sha256,
            algorithm: s.signature.algorithm,
            hash: s.signature.hash ?? '',
          },
        }),
      );
    }
  }
  return out;
}

function revocationFindings(v: CertificateVerdicts): Finding[] {
  const leaf = v.path[0];
  if (leaf === undefined || v.leaf === null) return [];
  const out: Finding[] = [];
  const selfSigned = v.trust.reasons.includes('self-signed') || leaf.anchor;
  const shortLived = leaf.validity.lifetimeDays <= SHORT_LIVED_DAYS;
  if (v.leaf.ocspUrls.length === 0 && v.leaf.crlUrls.length === 0 && !selfSigned && !shortLived) {
    out.push(
      finding('cert.no-revocation-info', {
        evidence: `The leaf "${leaf.subject}" names no OCSP responder and no CRL distribution point, and lives ${plural(Math.round(leaf.validity.lifetimeDays), 'day')}: a client cannot learn that it was revoked.`,
        details: { subject: leaf.subject, lifetimeDays: leaf.validity.lifetimeDays },
      }),
    );
  }
  const revoked = v.revocation.filter((r) => r.status === 'revoked');
  const first = revoked[0];
  if (first !== undefined) {
    const says = (r: RevocationFacts): string =>
      r.source === 'ocsp-stapled'
        ? 'the OCSP response the server staples'
        : r.source === 'ocsp'
          ? `the OCSP responder ${r.url ?? ''}`
          : `the CRL ${r.url ?? ''}`;
    out.push(
      finding('cert.revoked', {
        evidence: `${capitalise(revoked.map(says).join(' and '))} ${revoked.length === 1 ? 'says' : 'say'} the leaf "${leaf.subject}" was revoked on ${day(first.revokedAt ?? '')}${first.reason === undefined ? '' : ` (${first.reason})`}.`,
        details: {
          sources: revoked.map((r) => r.source),
          revokedAt: first.revokedAt ?? '',
          ...(first.reason === undefined ? {} : { reason: first.reason }),
        },
      }),
    );
  }
  return out;
}

function lifetimeFindings(v: CertificateVerdicts, forAll: boolean): Finding[] {
  const leaf = v.path[0];
  if (leaf === undefined || leaf.validity.lifetimeDays <= MAX_PUBLIC_LIFETIME_DAYS) return [];
  if (!v.trust.publiclyTrusted && !forAll) return [];
  const days = Math.round(leaf.validity.lifetimeDays);
  return [
    finding('cert.lifetime-too-long', {
      evidence: `The leaf "${leaf.subject}" is valid for ${days} days (${day(leaf.validity.notBefore)} to ${day(leaf.validity.notAfter)}), more than the ${MAX_PUBLIC_LIFETIME_DAYS} days browsers accept.`,
      details: {
        subject: leaf.subject,
        lifetimeDays: leaf.validity.lifetimeDays,
        limitDays: MAX_PUBLIC_LIFETIME_DAYS,
      },
    }),
  ];
}

/**
 * The certificate findings of one endpoint, from its verdicts (see pki/verifyCertificates):
 * validity and expiry of every certificate of the path, host name, trust, self-signed,
 * chain completeness and order, key and signature strength of what was served,
 * revocation, and leaf lifetime. Pure.
 */
export function certificateFindings(
  verdicts: CertificateVerdicts,
  options: CertificateRuleOptions = {},
): Finding[] {
  const warningDays = options.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
  if (!Number.isFinite(warningDays) || warningDays < 0) {
    throw new RangeError('expiryWarningDays must be a non-negative number');
  }
  return [
    ...trustFindings(verdicts),
    ...validityFindings(verdicts, warningDays),
    ...hostnameFindings(verdicts),
    ...chainFindings(verdicts),
    ...strengthFindings(verdicts),
    ...revocationFindings(verdicts),
    ...lifetimeFindings(verdicts, options.lifetimeLimitForAll === true),
  ];
}
