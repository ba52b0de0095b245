// The HTML report's client simulation: who connects, with what, and who fails and why.
import type { ClientSimulationFacts } from '../scan/clients/result.ts';
import { type Html, h } from './html-template.ts';
import { LEGACY_VERSIONS, keyExchangeText } from './clients-text.ts';

export function clientsSection(facts: ClientSimulationFacts | undefined): Html {
  if (facts === undefined || facts.clients.length === 0) return h``;
  const connected = facts.clients.filter((c) => c.connected).length;
  const rows = facts.clients.map((c) => {
    const result =
      c.skipped !== undefined
        ? h`<span class="dim">skipped</span>`
        : c.connected
          ? h`<span class="good">yes</span>`
          : h`<span class="bad">no</span>`;
    const version =
      c.version !== undefined && c.connected && LEGACY_VERSIONS.has(c.version)
        ? h`<span class="warn">${c.version}</span>`
        : (c.version ?? '');
    const retry =
      c.helloRetry === true ? h` <span class="dim">(after HelloRetryRequest)</span>` : '';
    const why = c.skipped ?? c.failure ?? '';
    return h`<tr><td>${c.name}</td><td>${result}</td><td>${version}</td><td>${c.suite ?? c.suiteId ?? ''}</td><td>${keyExchangeText(c)}${retry}</td><td>${why}</td></tr>`;
  });
  return h`<h3>Client simulation</h3>
<p class="dim">${connected} of ${facts.clients.length} clients connect (docs/clients.md lists where each client hello comes from).</p>
<table><tr><th>Client</th><th>Connects</th><th>Version</th><th>Suite</th><th>Key exchange</th><th>Why not</th></tr>${rows}</table>
`;
}
