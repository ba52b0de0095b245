import type { CertificateVerdicts } from '../pki/verdicts.ts';
import { type Painter, pad } from './style.ts';

/** Trust, name and revocation at a glance, above the chain they judge. */
export function certificateVerdictLines(v: CertificateVerdicts | undefined, p: Painter): string[] {
  if (v === undefined) return [];
  const trust = v.trust.trusted
    ? p(
        'green',
        `trusted${v.trust.anchorSource === null ? '' : ` (anchor from ${v.trust.anchorSource})`}`,
      )
    : p('red', `not trusted: ${v.trust.reasons.join(', ') || 'no path to an anchor'}`);
  const name =
    v.hostname === null
      ? p('dim', 'not checked')
      : v.hostname.matches
        ? `matches ${v.hostname.host}`
        : p('red', `does not match ${v.hostname.host}`);
  const noLocation = v.leaf !== null && v.leaf.ocspUrls.length === 0 && v.leaf.crlUrls.length === 0;
  const revocation =
    v.revocation.length === 0
      ? p('dim', noLocation ? 'the leaf names no OCSP responder or CRL' : 'not checked')
      : v.revocation
          .map((r) => {
            const status = r.status === 'revoked' ? p('red', 'revoked') : r.status;
            return `${r.source} ${status}`;
          })
          .join(', ');
  return [
    `  ${pad('trust', 12)}${trust}`,
    `  ${pad('name', 12)}${name}`,
    `  ${pad('revocation', 12)}${revocation}`,
    ...(v.chain.incomplete
      ? [
          `  ${pad('chain', 12)}${p('yellow', `incomplete: ${v.chain.missingIssuer ?? 'an issuer is missing'}`)}`,
        ]
      : []),
  ];
}
