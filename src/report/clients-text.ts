import type { ClientResult, ClientSimulationFacts } from '../scan/clients/result.ts';
import { suiteReport } from '../scan/assemble.ts';
import type { SuiteReport } from '../scan/report.ts';
import { cipherSuiteByHex } from '../wire/registry/cipher-suites.ts';
import { type Painter, pad } from './style.ts';
import { suiteTone } from './suite-tone.ts';

const TONE_COLOUR = { bad: 'red', warn: 'yellow' } as const;
/** Versions a client still connecting with is worth a warning colour. */
export const LEGACY_VERSIONS: ReadonlySet<string> = new Set(['SSLv3', 'TLSv1.0', 'TLSv1.1']);

/** The suite as the shared suite tone reads it, with the DH size this client got. */
function suiteFacts(c: ClientResult): SuiteReport | undefined {
  const s = c.suiteId === undefined ? undefined : cipherSuiteByHex(c.suiteId);
  if (s === undefined) return undefined;
  const report = suiteReport({ id: s.id });
  return s.kx === 'DHE' && c.kexBits !== undefined
    ? { ...report, keyExchange: { type: 'DHE', bits: c.kexBits } }
    : report;
}

/** `x25519`, `secp256r1, 256 bits`, `DHE 2048 bits`, `RSA 2048 bits`. */
export function keyExchangeText(c: ClientResult): string {
  const bits = c.kexBits === undefined ? '' : `${c.kexBits} bits`;
  if (c.group !== undefined) return bits === '' ? c.group : `${c.group}, ${bits}`;
  if (bits === '') return '';
  const kx = c.suiteId === undefined ? undefined : cipherSuiteByHex(c.suiteId)?.kx;
  return kx === undefined ? bits : `${kx} ${bits}`;
}

function resultText(c: ClientResult, p: Painter): string {
  if (c.skipped !== undefined) return p('dim', 'skipped');
  return c.connected ? p('green', 'yes') : p('red', 'no');
}

function agreedColumns(c: ClientResult, p: Painter, suiteWidth: number): string {
  const version = c.version ?? '';
  const versionText = c.connected && LEGACY_VERSIONS.has(version) ? p('yellow', version) : version;
  const facts = c.connected ? suiteFacts(c) : undefined;
  const tone = facts === undefined ? undefined : suiteTone(facts);
  const suite = c.suite ?? c.suiteId ?? '';
  const suiteText = tone === undefined ? suite : p(TONE_COLOUR[tone], suite);
  const retry = c.helloRetry === true ? p('dim', ' (after HelloRetryRequest)') : '';
  return `${pad(versionText, 9)}${pad(suiteText, suiteWidth)}${keyExchangeText(c)}${retry}`;
}

/**
 * The client simulation as a table: each client, whether it connects, and the version,
 * suite and key exchange the server agrees to with it. Why a client fails follows on its
 * line when the server never answered, on the next line when it answered with terms the
 * client refuses. Nothing when the scan did not simulate clients.
 */
export function clientSimulationLines(
  facts: ClientSimulationFacts | undefined,
  p: Painter,
): string[] {
  if (facts === undefined || facts.clients.length === 0) return [];
  const clients = facts.clients;
  const nameWidth = Math.max(...clients.map((c) => c.name.length), 'Client'.length) + 2;
  const suiteWidth =
    Math.max(...clients.map((c) => (c.suite ?? c.suiteId ?? '').length), 'Suite'.length) + 2;
  const connected = clients.filter((c) => c.connected).length;
  const lines = [
    `  ${p('dim', `${connected} of ${clients.length} clients connect`)}`,
    `  ${p('dim', `${pad('Client', nameWidth)}${pad('Result', 9)}${pad('Version', 9)}${pad('Suite', suiteWidth)}Key exchange`)}`,
  ];
  for (const c of clients) {
    const head = `  ${pad(c.name, nameWidth)}${pad(resultText(c, p), 9)}`;
    if (c.skipped !== undefined) {
      lines.push(`${head}${p('dim', c.skipped)}`);
    } else if (c.version === undefined && c.suiteId === undefined) {
      lines.push(`${head}${p('red', c.failure ?? 'no answer')}`);
    } else {
      lines.push(`${head}${agreedColumns(c, p, suiteWidth)}`.trimEnd());
      if (c.failure !== undefined) {
        lines.push(`  ${' '.repeat(nameWidth)}${p('red', c.failure)}`);
      }
    }
  }
  return lines;
}
