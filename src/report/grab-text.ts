import { reportLabel } from '../scan/fleet/failed-targets.ts';
import type { GrabReport } from '../scan/grab/report.ts';
import type { GrabSummary } from '../scan/grab/tally.ts';
import { suiteTone } from './suite-tone.ts';
import { type Painter, pad, painter, terminalSafe } from './style.ts';
import { unscannedLines } from './summary-text.ts';
import { SEVERITY_TONE } from './verdict-text.ts';

const VERSION_ORDER = ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3', 'SSLv2'];

function versionTone(version: string): Parameters<Painter>[0] {
  if (version === 'TLSv1.3') return 'green';
  if (version === 'TLSv1.2') return [];
  return 'red';
}

function certificateLine(r: GrabReport, p: Painter): string | undefined {
  const leaf = r.certificateChain[0];
  if (leaf === undefined) return undefined;
  if ('parseError' in leaf)
    return `  ${pad('cert', 6)}${p('red', terminalSafe(`unparsable: ${leaf.parseError}`))}`;
  const days = r.expiresInDays;
  const expiry =
    days === undefined
      ? ''
      : days < 0
        ? p('red', `expired ${leaf.notAfter.slice(0, 10)}`)
        : `expires ${leaf.notAfter.slice(0, 10)} (${days} day${days === 1 ? '' : 's'})`;
  const trust =
    r.certificates?.trust.trusted === true ? p('green', 'trusted') : p('red', 'untrusted');
  return `  ${pad('cert', 6)}${terminalSafe(leaf.subject)}  ${expiry}  ${trust}`;
}

/**
 * One grabbed endpoint in a few lines: where, what was negotiated, the leaf and its
 * expiry, and the findings one line each, worst first; meant to be read down a long list.
 */
export function renderGrabText(r: GrabReport, options: { readonly color: boolean }): string {
  const p = painter(options.color);
  const head = p('bold', terminalSafe(reportLabel(r)));
  if (!r.tls || r.negotiated === undefined) {
    const why = r.plaintext?.description ?? r.error?.message ?? 'no TLS';
    return `${head}  ${p('red', r.plaintext === undefined ? 'no TLS' : 'plaintext')}: ${terminalSafe(why)}\n`;
  }
  const n = r.negotiated;
  const tone = suiteTone(n.suite);
  const suite =
    tone === undefined ? n.suite.name : p(tone === 'bad' ? 'red' : 'yellow', n.suite.name);
  const kx =
    n.group ??
    (n.suite.keyExchange?.bits === undefined
      ? ''
      : `${n.suite.keyExchange.type} ${n.suite.keyExchange.bits}`);
  const lines = [`${head}  ${p(versionTone(n.version), n.version)}  ${suite}  ${kx}`.trimEnd()];
  const cert = certificateLine(r, p);
  if (cert !== undefined) lines.push(cert);
  if (r.clientCertificateRequested)
    lines.push(`  ${pad('', 6)}${p('dim', 'asks for a client certificate')}`);
  for (const f of r.findings) {
    lines.push(
      `  ${pad(p(SEVERITY_TONE[f.severity], f.severity.toUpperCase()), 10)}${f.title} ${p('dim', `[${f.id}]`)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The end of a fleet grab: versions negotiated, certificates about to fail, who failed. */
export function renderGrabSummary(s: GrabSummary, options: { readonly color: boolean }): string {
  const p = painter(options.color);
  const lines = [
    p('bold', `Summary: ${s.targets} target${s.targets === 1 ? '' : 's'}, ${s.tls} speaking TLS`),
  ];
  const versions = VERSION_ORDER.filter((v) => (s.versions[v] ?? 0) > 0);
  if (versions.length > 0) {
    lines.push(
      `  ${pad('versions', 14)}${versions.map((v) => `${p(versionTone(v), v)} ${s.versions[v] ?? 0}`).join('  ')}`,
    );
  }
  if (s.tls > 0) {
    const count = (n: number, label: string) => (n > 0 ? p('red', `${label} ${n}`) : `${label} 0`);
    lines.push(
      `  ${pad('certificates', 14)}${[
        count(s.expired, 'expired'),
        s.expiringSoon > 0 ? p('yellow', `expiring soon ${s.expiringSoon}`) : 'expiring soon 0',
        count(s.untrusted, 'untrusted'),
        count(s.hostnameMismatch, 'wrong name'),
      ].join('  ')}`,
    );
  }
  lines.push(...unscannedLines(s, p));
  return `${lines.join('\n')}\n`;
}
