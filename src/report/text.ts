import { type ChainEntry, isUnparsed } from '../pki/certificate-facts.ts';
import type { ScanReport } from '../scan/report.ts';
import { PROTOCOL_NAMES, type ProtocolName } from '../wire/registry/versions.ts';
import { type Painter, pad, painter } from './style.ts';
import { keyExchangeLabel, suiteTone } from './suite-tone.ts';
import { clientSimulationLines } from './clients-text.ts';
import { findingLines, gradeLines, profileLines } from './verdict-text.ts';
import { certificateVerdictLines } from './certificate-verdict-text.ts';
import { earlyDataLines, httpLines, sessionLines, vulnerabilityLines } from './session-text.ts';

export interface TextOptions {
  readonly color: boolean;
  /** Reference time for "days left" (injected for tests). */
  readonly now?: number;
}

const LEGACY: ReadonlySet<ProtocolName> = new Set(['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1']);

const TONE_COLOUR = { bad: 'red', warn: 'yellow' } as const;

function section(p: Painter, title: string): string {
  return `\n${p('bold', title)}`;
}

function protocolLines(r: ScanReport, p: Painter): string[] {
  return PROTOCOL_NAMES.map((name) => {
    const on = r.protocols[name];
    let state = on ? 'yes' : 'no';
    if (on && LEGACY.has(name)) state = p('red', 'yes (insecure)');
    else if (!on && name === 'TLSv1.3') state = p('yellow', 'no');
    else if (on) state = p('green', 'yes');
    const order = r.serverPreference[name];
    const note =
      order === undefined ? '' : order ? p('dim', 'server chooses') : p('dim', 'client chooses');
    return `  ${pad(name, 9)}${pad(state, 16)}${note}`.trimEnd();
  });
}

function suiteLines(r: ScanReport, p: Painter): string[] {
  const lines: string[] = [];
  for (const name of [...PROTOCOL_NAMES].reverse()) {
    const list = r.cipherSuites[name];
    if (list === undefined || list.length === 0) continue;
    const order = r.serverPreference[name] === true ? ', server order' : '';
    lines.push(`  ${name} ${p('dim', `(${list.length}${order})`)}`);
    const width = Math.max(...list.map((s) => s.name.length)) + 2;
    for (const s of list) {
      const tone = suiteTone(s);
      const label = `${s.id.padEnd(8)} ${pad(s.name, width)}${pad(keyExchangeLabel(s), 17)}${s.enc} ${s.bits}`;
      lines.push(`    ${tone === undefined ? label : p(TONE_COLOUR[tone], label)}`);
    }
  }
  return lines.length === 0 ? ['  none accepted'] : lines;
}

function groupLines(r: ScanReport): string[] {
  const lines: string[] = [];
  const t13 = r.groupsByProtocol['TLSv1.3'];
  const t12 = r.groupsByProtocol['TLSv1.2'];
  if (t13 !== undefined) lines.push(`  ${pad('TLSv1.3', 9)}${t13.join(', ')}`);
  if (t12 !== undefined) lines.push(`  ${pad('ECDHE', 9)}${t12.join(', ')}`);
  if (r.dhePrimeBits.length > 0)
    lines.push(`  ${pad('DHE', 9)}${r.dhePrimeBits.map((b) => `${b} bits`).join(', ')}`);
  return lines.length === 0 ? ['  none'] : lines;
}

/** The ServerHello extensions of the best version ≤ TLS 1.2 (older ones rarely differ). */
function extensionLines(r: ScanReport): string[] {
  const version = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).find(
    (v) => r.serverHelloExtensions[v] !== undefined,
  );
  if (version === undefined) return [];
  const names = r.serverHelloExtensions[version] ?? [];
  return [`  ${pad(`Extensions ${version}`, 22)}${names.length > 0 ? names.join(', ') : 'none'}`];
}

function daysLeft(notAfter: string, now: number): number {
  return Math.floor((Date.parse(notAfter) - now) / 86_400_000);
}

function certificateLines(chain: readonly ChainEntry[], p: Painter, now: number): string[] {
  if (chain.length === 0) return ['  none sent'];
  return chain.flatMap((c, i) => {
    if (isUnparsed(c)) {
      return [
        `  #${i} ${p('red', `unparseable certificate: ${c.parseError}`)}`,
        `     ${pad('sha256', 9)}${p('dim', c.sha256)}`,
      ];
    }
    const left = daysLeft(c.notAfter, now);
    const validity = `${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}`;
    const leftText =
      left < 0
        ? p('red', `expired ${-left} days ago`)
        : left < 30
          ? p('yellow', `${left} days left`)
          : `${left} days left`;
    const bits = c.publicKey.bits === null ? '' : ` ${c.publicKey.bits}`;
    const curve = c.publicKey.curve === undefined ? '' : ` (${c.publicKey.curve})`;
    return [
      `  #${i} ${p('bold', c.subject || '(empty subject)')}`,
      `     ${pad('issuer', 9)}${c.issuer}${c.selfIssued ? p('dim', ' (self-issued)') : ''}`,
      `     ${pad('valid', 9)}${validity}, ${leftText}`,
      ...(c.subjectAltNames.length > 0
        ? [`     ${pad('names', 9)}${c.subjectAltNames.join(', ')}`]
        : []),
      `     ${pad('key', 9)}${c.publicKey.type.toUpperCase()}${bits}${curve}, signed ${c.signatureAlgorithm}`,
      `     ${pad('sha256', 9)}${p('dim', c.sha256)}`,
    ];
  });
}

/**
 * The report as a person reads it in a terminal: the grade and the findings with their
 * fixes first, then the facts behind them (protocols, suites, groups, chain, extras).
 */
export function renderText(r: ScanReport, options: TextOptions): string {
  const p = painter(options.color);
  const now = options.now ?? Date.now();
  const sni = r.target.sni === null ? 'no SNI' : `SNI ${r.target.sni}`;
  const head = `${p('bold', `${r.target.host}:${r.target.port}`)} ${p('dim', `(${r.target.ip || 'unresolved'}, ${sni})`)}`;
  const stats = p(
    'dim',
    `${r.handshakes} connection${r.handshakes === 1 ? '' : 's'} in ${r.durationMs} ms`,
  );
  if (r.error !== undefined) {
    const lines = [head, `  ${p('red', r.error.message)} ${p('dim', `[${r.error.code}]`)}`];
    if (r.plaintext !== undefined) {
      lines.push(`  detected: ${r.plaintext.description}`);
      lines.push(`  answered: ${JSON.stringify(r.plaintext.firstBytesText)}`);
    }
    if (r.findings.length > 0) lines.push(section(p, 'Findings'), ...findingLines(r.findings, p));
    lines.push('', `  ${stats}`);
    return `${lines.join('\n')}\n`;
  }
  const out = [
    head,
    ...gradeLines(r.grade, p),
    ...profileLines(r.profile, r.findings, p),
    section(p, `Findings (${r.findings.length})`),
    ...findingLines(r.findings, p),
    section(p, 'Protocols'),
    ...protocolLines(r, p),
    section(p, 'Cipher suites'),
    ...suiteLines(r, p),
    section(p, 'Key exchange'),
    ...groupLines(r),
    section(p, 'Certificate chain (as sent)'),
    ...certificateVerdictLines(r.certificates, p),
    ...certificateLines(r.certificateChain, p, now),
    ...(r.vulnerabilities === undefined
      ? []
      : [section(p, 'Vulnerability probes'), ...vulnerabilityLines(r.vulnerabilities, p)]),
    ...(r.clients === undefined
      ? []
      : [section(p, 'Client simulation'), ...clientSimulationLines(r.clients, p)]),
    section(p, 'Other'),
    `  ${pad('ALPN', 22)}${r.alpn.length > 0 ? r.alpn.join(', ') : 'none'}`,
    `  ${pad('Client certificate', 22)}${r.clientCertificateRequested ? 'requested' : 'not requested'}`,
    ...extensionLines(r),
    ...sessionLines(r.session, p),
    ...earlyDataLines(r.earlyData, p),
    ...httpLines(r.http, p),
    '',
    stats,
  ];
  return `${out.join('\n')}\n`;
}
