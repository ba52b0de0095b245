// The HTML report's certificate section: the verdicts, then the chain as sent. Names,
// SANs and parse errors come from the server's certificates, so all of it is escaped.
import { type ChainEntry, isUnparsed } from '../pki/certificate-facts.ts';
import type { CertificateVerdicts } from '../pki/verdicts.ts';
import { type Html, h } from './html-template.ts';
import { factTable, tone } from './html-sections.ts';

function revocationText(v: CertificateVerdicts): Html {
  if (v.revocation.length === 0) {
    const noLocation =
      v.leaf !== null && v.leaf.ocspUrls.length === 0 && v.leaf.crlUrls.length === 0;
    return tone('dim', noLocation ? 'the leaf names no OCSP responder or CRL' : 'not checked');
  }
  const parts = v.revocation.map(
    (r, i) =>
      h`${i > 0 ? ', ' : ''}${r.source} ${r.status === 'revoked' ? tone('bad', 'revoked') : r.status}`,
  );
  return h`${parts}`;
}

function verdicts(v: CertificateVerdicts | undefined): Html {
  if (v === undefined) return h``;
  const trust = v.trust.trusted
    ? tone(
        'good',
        `trusted${v.trust.anchorSource === null ? '' : ` (anchor from ${v.trust.anchorSource})`}`,
      )
    : tone('bad', `not trusted: ${v.trust.reasons.join(', ') || 'no path to an anchor'}`);
  const name =
    v.hostname === null
      ? tone('dim', 'not checked')
      : v.hostname.matches
        ? tone('good', `matches ${v.hostname.host}`)
        : tone('bad', `does not match ${v.hostname.host}`);
  const chain = v.chain.incomplete
    ? tone('warn', `incomplete: ${v.chain.missingIssuer ?? 'an issuer is missing'}`)
    : undefined;
  return factTable([
    ['Trust', trust],
    ['Host name', name],
    ['Revocation', revocationText(v)],
    ['Chain', chain],
  ]);
}

function daysLeft(notAfter: string, now: number): number {
  return Math.floor((Date.parse(notAfter) - now) / 86_400_000);
}

function entry(c: ChainEntry, i: number, now: number): Html {
  const sha = h`<code>${c.sha256}</code>`;
  if (isUnparsed(c)) {
    const why = tone('bad', `unparseable certificate: ${c.parseError}`);
    return h`<p><strong>#${i}</strong> ${why}</p>${factTable([['SHA-256', sha]])}`;
  }
  const left = daysLeft(c.notAfter, now);
  const leftText =
    left < 0
      ? tone('bad', `expired ${-left} days ago`)
      : tone(left < 30 ? 'warn' : undefined, `${left} days left`);
  const k = c.publicKey;
  const key = `${k.type.toUpperCase()}${k.bits === null ? '' : ` ${k.bits}`}${k.curve === undefined ? '' : ` (${k.curve})`}`;
  const names = c.subjectAltNames.length === 0 ? undefined : c.subjectAltNames.join(', ');
  return h`<p><strong>#${i} ${c.subject || '(empty subject)'}</strong></p>
${factTable([
  ['Issuer', `${c.issuer}${c.selfIssued ? ' (self-issued)' : ''}`],
  ['Valid', h`${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}, ${leftText}`],
  ['Names', names],
  ['Key', `${key}, signed ${c.signatureAlgorithm}`],
  ['Serial', c.serialNumber],
  ['SHA-256', sha],
])}`;
}

/** Trust, host name and revocation, then each certificate as the server sent it. */
export function certificatesSection(
  v: CertificateVerdicts | undefined,
  chain: readonly ChainEntry[],
  now: number,
): Html {
  const entries =
    chain.length === 0 ? h`<p class="dim">None sent.</p>` : chain.map((c, i) => entry(c, i, now));
  return h`<h3>Certificate chain (as sent)</h3>
${verdicts(v)}${entries}`;
}
