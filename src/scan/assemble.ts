import { toHex } from '../core/bytes.ts';
import type { WiretightError } from '../errors.ts';
import { type ChainEntry, describeCertificate } from '../pki/certificate-facts.ts';
import type { HelloOutcome } from '../probe/hello-exchange.ts';
import { type SuiteFamily, cipherSuite, suiteIdHex } from '../wire/registry/cipher-suites.ts';
import { group, groupName } from '../wire/registry/groups.ts';
import { extensionName } from '../wire/registry/extension-types.ts';
import {
  PROTOCOL_NAMES,
  type ProtocolName,
  type TlsProtocolName,
} from '../wire/registry/versions.ts';
import type { KeyExchangeParams } from '../wire/server-key-exchange.ts';
import type { AlpnFacts } from './checks/alpn.ts';
import type { AcceptedSuite, CipherSuiteFacts } from './checks/cipher-suites.ts';
import type { GroupFacts } from './checks/groups.ts';
import type { Sslv2Facts } from './checks/sslv2.ts';
import {
  type KeyExchangeReport,
  SCAN_SCHEMA,
  type ReportFacts,
  type SuiteReport,
} from './report.ts';
import type { ScanTarget } from './target.ts';
import { VERSION } from '../version.ts';
import { identifyPlaintext } from './plaintext.ts';
import { StarttlsRefusedError } from '../probe/starttls/errors.ts';

export interface ScanFacts {
  readonly target: ScanTarget;
  readonly address: string;
  readonly sni: string | null;
  readonly started: number;
  readonly durationMs: number;
  readonly handshakes: number;
  readonly suites: ReadonlyMap<TlsProtocolName, CipherSuiteFacts>;
  readonly sslv2: Sslv2Facts;
  readonly groups13: GroupFacts;
  readonly groups12: GroupFacts | undefined;
  readonly alpn: AlpnFacts;
  /** TLS 1.3 facts seen only inside the encrypted flight (absent when TLS 1.3 is not supported). */
  readonly tls13Flight?: {
    readonly chain: readonly Uint8Array[];
    readonly certificateRequested: boolean;
    readonly alpn: readonly string[];
  };
}

function keyExchangeReport(p: KeyExchangeParams | undefined): KeyExchangeReport | undefined {
  if (p === undefined) return undefined;
  switch (p.kind) {
    case 'ecdhe': {
      const g = group(p.group);
      return {
        type: 'ECDHE',
        group: groupName(p.group),
        ...(g === undefined ? {} : { bits: g.bits }),
      };
    }
    case 'ecdhe-explicit':
      return { type: 'ECDHE-explicit' };
    case 'dhe':
      return { type: 'DHE', bits: p.primeBits };
    case 'rsa':
      return { type: 'RSA', bits: p.modulusBits };
    default:
      return undefined;
  }
}

export function suiteReport(s: AcceptedSuite, family: SuiteFamily = 'tls'): SuiteReport {
  const info = cipherSuite(s.id, family);
  const kx = keyExchangeReport(s.keyExchange);
  return {
    id: suiteIdHex(s.id, family),
    name: info?.name ?? suiteIdHex(s.id, family),
    opensslName: info?.opensslName ?? null,
    kx: info?.kx ?? 'unknown',
    auth: info?.auth ?? 'unknown',
    enc: info?.enc ?? 'unknown',
    bits: info?.encBits ?? 0,
    aead: info?.aead ?? false,
    forwardSecrecy: info?.forwardSecrecy ?? false,
    export: info?.export ?? false,
    ...(kx === undefined ? {} : { keyExchange: kx }),
  };
}

/** The chain a modern client sees: TLS 1.3's, else the first one of the best older version. */
function primaryChain(facts: ScanFacts): readonly Uint8Array[] {
  if (facts.tls13Flight !== undefined && facts.tls13Flight.chain.length > 0)
    return facts.tls13Flight.chain;
  for (const v of ['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const) {
    const chain = facts.suites.get(v)?.chains[0];
    if (chain !== undefined) return chain;
  }
  return facts.sslv2.certificate === undefined ? [] : [facts.sslv2.certificate];
}

export function chainFacts(chain: readonly Uint8Array[]): ChainEntry[] {
  return chain.map((der) => {
    const parsed = describeCertificate(der);
    return parsed.ok ? parsed.facts : parsed.certificate;
  });
}

export function emptyProtocols(): Record<ProtocolName, boolean> {
  return Object.fromEntries(PROTOCOL_NAMES.map((p) => [p, false])) as Record<ProtocolName, boolean>;
}

export function assembleReport(facts: ScanFacts): ReportFacts {
  const protocols = emptyProtocols();
  const cipherSuites: ReportFacts['cipherSuites'] = {};
  const serverPreference: ReportFacts['serverPreference'] = {};
  protocols.SSLv2 = facts.sslv2.supported;
  if (facts.sslv2.supported) {
    cipherSuites.SSLv2 = facts.sslv2.cipherSpecs.map((id) => suiteReport({ id }, 'sslv2'));
  }
  const serverHelloExtensions: ReportFacts['serverHelloExtensions'] = {};
  for (const name of PROTOCOL_NAMES) {
    if (name === 'SSLv2') continue;
    const f = facts.suites.get(name);
    if (f === undefined || !f.supported) continue;
    protocols[name] = true;
    cipherSuites[name] = f.accepted.map((a) => suiteReport(a));
    if (f.serverPreference !== undefined) serverPreference[name] = f.serverPreference;
    if (name !== 'TLSv1.3')
      serverHelloExtensions[name] = f.serverHelloExtensions.map(extensionName);
  }
  const groups13 = facts.groups13.accepted.map(groupName);
  const groups12 = (facts.groups12?.accepted ?? []).map(groupName);
  const dhe = new Set<number>();
  let certificateRequested = facts.tls13Flight?.certificateRequested ?? false;
  for (const f of facts.suites.values()) {
    certificateRequested ||= f.certificateRequested;
    for (const s of f.accepted) if (s.keyExchange?.kind === 'dhe') dhe.add(s.keyExchange.primeBits);
  }
  const alpn = [...facts.alpn.protocols];
  for (const p of facts.tls13Flight?.alpn ?? []) if (!alpn.includes(p)) alpn.push(p);
  return {
    schema: SCAN_SCHEMA,
    tool: { name: 'wiretight', version: VERSION },
    target: { host: facts.target.host, port: facts.target.port, ip: facts.address, sni: facts.sni },
    startedAt: new Date(facts.started).toISOString(),
    tls: Object.values(protocols).some(Boolean),
    scope: 'full',
    protocols,
    cipherSuites,
    serverPreference,
    groups: [...new Set([...groups13, ...groups12])],
    groupsByProtocol: {
      ...(groups13.length > 0 ? { 'TLSv1.3': groups13 } : {}),
      ...(groups12.length > 0 ? { 'TLSv1.2': groups12 } : {}),
    },
    dhePrimeBits: [...dhe].sort((a, b) => a - b),
    serverHelloExtensions,
    certificateChain: chainFacts(primaryChain(facts)),
    alpn,
    clientCertificateRequested: certificateRequested,
    handshakes: facts.handshakes,
    durationMs: facts.durationMs,
  };
}

/** The report of a scan that stopped at first contact: unreachable, silent, or not TLS. */
export function failedReport(
  target: ScanTarget,
  address: string,
  sni: string | null,
  started: number,
  now: () => number,
  handshakes: number,
  error: WiretightError,
  outcome?: HelloOutcome,
): ReportFacts {
  const refused =
    outcome?.kind === 'connect-failed' && outcome.error instanceof StarttlsRefusedError
      ? outcome.error.plaintext
      : undefined;
  const plaintext =
    refused !== undefined
      ? { plaintext: refused }
      : outcome?.kind === 'not-tls'
        ? {
            plaintext: {
              ...identifyPlaintext(outcome.firstBytes),
              firstBytesHex: toHex(outcome.firstBytes),
              firstBytesText: Buffer.from(outcome.firstBytes)
                .toString('latin1')
                .replace(/[^\x20-\x7e]/g, '.'),
            },
          }
        : {};
  return {
    schema: SCAN_SCHEMA,
    tool: { name: 'wiretight', version: VERSION },
    target: { host: target.host, port: target.port, ip: address, sni },
    startedAt: new Date(started).toISOString(),
    tls: false,
    scope: 'full',
    error: { code: error.code, message: error.message },
    ...plaintext,
    protocols: emptyProtocols(),
    cipherSuites: {},
    serverPreference: {},
    groups: [],
    groupsByProtocol: {},
    dhePrimeBits: [],
    serverHelloExtensions: {},
    certificateChain: [],
    alpn: [],
    clientCertificateRequested: false,
    handshakes,
    durationMs: now() - started,
  };
}
