// The HTML report's sections about the verdicts and the TLS configuration: grade,
// findings, protocols, suites and key exchange.
import type { Finding } from '../scan/findings/index.ts';
import type { Grade } from '../scan/grade/index.ts';
import type { ScanReport } from '../scan/report.ts';
import { PROTOCOL_NAMES, type ProtocolName } from '../wire/registry/versions.ts';
import { type Html, type HtmlValue, attr, h } from './html-template.ts';
import { gradeClass, severityClass } from './html-style.ts';
import { keyExchangeLabel, suiteTone } from './suite-tone.ts';

/** A label/value table; a row whose value is undefined is left out. */
export function factTable(rows: readonly (readonly [string, HtmlValue])[]): Html {
  const shown = rows.filter(([, v]) => v !== undefined);
  if (shown.length === 0) return h``;
  const trs = shown.map(([label, value]) => h`<tr><th>${label}</th><td>${value}</td></tr>`);
  return h`<table class="facts">${trs}</table>`;
}

/** Text in a tone class (`good`, `warn`, `bad`, `dim`). */
export function tone(cls: 'good' | 'warn' | 'bad' | 'dim' | undefined, text: string): Html {
  return cls === undefined ? h`${text}` : h`<span class="${attr(cls)}">${text}</span>`;
}

/** The grade as a big coloured letter. */
export function gradeBadge(grade: Grade): Html {
  return h`<div class="${attr(gradeClass(grade.letter))}">${grade.letter ?? '–'}</div>`;
}

/** Score, caps, notes and the profile verdict, beside the badge. */
export function gradeDetails(r: ScanReport): Html {
  const g = r.grade;
  const ifTrusted =
    g.letterIgnoringTrust === undefined
      ? ''
      : `; ${g.letterIgnoringTrust} if the certificate were trusted and matching`;
  const score =
    g.letter === null
      ? h`<p class="dim">Grade withheld: ${g.withheld ?? 'unknown'}</p>`
      : h`<p>Score ${g.score ?? '?'}${ifTrusted}</p>`;
  const caps = g.caps.map((c) => h`<p class="dim">${c.letter} cap: ${c.reason}</p>`);
  const notes = (g.notes ?? []).map((n) => h`<p class="dim">Note: ${n}</p>`);
  const p = r.profile;
  const profile =
    p === undefined
      ? ''
      : h`<p>Profile ${p.name} (Mozilla guidelines ${p.guidelines}): ${
          p.compliant ? tone('good', 'compliant') : tone('bad', 'not compliant')
        }</p>`;
  return h`<div>${score}${caps}${notes}${profile}</div>`;
}

function snippetsBlock(f: Finding): Html {
  const snippets = Object.entries(f.snippets ?? {});
  if (snippets.length === 0) return h``;
  const servers = snippets.map(([server]) => server).join(', ');
  const blocks = snippets.map(
    ([server, text]) => h`<p><code>${server}</code></p><pre>${text}</pre>`,
  );
  return h`<details><summary>Configuration for ${servers}</summary>${blocks}</details>`;
}

function referencesBlock(f: Finding): Html {
  const details = Object.entries(f.details ?? {}).map(
    ([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)] as const,
  );
  const refs = f.references.map((ref) => h`<p><code>${ref}</code></p>`);
  const label = details.length === 0 ? 'References' : 'References and details';
  return h`<details><summary>${label}</summary>${refs}${factTable(details)}</details>`;
}

function findingBlock(f: Finding): Html {
  const potential = f.confidence === 'potential' ? h` <span class="dim">(potential)</span>` : '';
  return h`<div class="${attr(`finding ${f.severity}`)}">
<p><span class="${attr(severityClass(f.severity))}">${f.severity}</span> <strong>${f.title}</strong> <code class="dim">${f.id}</code>${potential}</p>
<p>${f.evidence}</p>
<p><strong>Fix:</strong> ${f.fix}</p>
${snippetsBlock(f)}${referencesBlock(f)}
</div>
`;
}

export function findingsSection(findings: readonly Finding[]): Html {
  const body =
    findings.length === 0 ? h`<p class="good">No findings.</p>` : findings.map(findingBlock);
  return h`<h3>Findings (${findings.length})</h3>
${body}`;
}

const LEGACY: ReadonlySet<ProtocolName> = new Set(['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1']);

function protocolState(r: ScanReport, name: ProtocolName): Html {
  const on = r.protocols[name];
  if (on) return LEGACY.has(name) ? tone('bad', 'yes (insecure)') : tone('good', 'yes');
  return name === 'TLSv1.3' ? tone('warn', 'no') : tone('dim', 'no');
}

export function protocolsSection(r: ScanReport): Html {
  const rows = PROTOCOL_NAMES.map((name) => {
    const order = r.serverPreference[name];
    const chooser = order === undefined ? '' : order ? 'server' : 'client';
    return h`<tr><td>${name}</td><td>${protocolState(r, name)}</td><td>${chooser}</td></tr>`;
  });
  return h`<h3>Protocols</h3>
<table><tr><th>Version</th><th>Accepted</th><th>Suite order chosen by</th></tr>${rows}</table>
`;
}

const SUITE_HEAD = h`<tr><th>Id</th><th>Name</th><th>Key exchange</th><th>Auth</th><th>Cipher</th><th>AEAD</th><th>Forward secrecy</th></tr>`;

export function suitesSection(r: ScanReport): Html {
  const tables = [...PROTOCOL_NAMES].reverse().flatMap((version) => {
    const list = r.cipherSuites[version] ?? [];
    if (list.length === 0) return [];
    const rows = list.map((s) => {
      const t = suiteTone(s);
      const cls = t === undefined ? '' : h` class="${attr(t)}"`;
      return h`<tr${cls}><td><code>${s.id}</code></td><td>${s.name}</td><td>${keyExchangeLabel(s)}</td><td>${s.auth}</td><td>${s.enc} ${s.bits}</td><td>${s.aead ? 'yes' : 'no'}</td><td>${s.forwardSecrecy ? 'yes' : 'no'}</td></tr>`;
    });
    const order = r.serverPreference[version] === true ? ', server order' : '';
    return [
      h`<p><strong>${version}</strong> <span class="dim">(${list.length}${order})</span></p>
<table>${SUITE_HEAD}${rows}</table>
`,
    ];
  });
  const body = tables.length === 0 ? h`<p class="dim">None accepted.</p>` : tables;
  return h`<h3>Cipher suites</h3>
${body}`;
}

export function keyExchangeSection(r: ScanReport): Html {
  const dhe = r.dhePrimeBits.map((b) => `${b} bits`).join(', ');
  return h`<h3>Key exchange</h3>
${factTable([
  ['TLS 1.3 groups', r.groupsByProtocol['TLSv1.3']?.join(', ')],
  ['ECDHE curves (TLS ≤ 1.2)', r.groupsByProtocol['TLSv1.2']?.join(', ')],
  ['DHE primes', dhe === '' ? undefined : dhe],
  ['Groups', r.groups.length === 0 ? 'none' : undefined],
])}`;
}
