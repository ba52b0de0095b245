// The policy's rules: pure functions from a report's facts to `policy.*` findings, each
// naming what broke the rule. A rule whose facts the scan did not gather (no HTTP answer,
// no parsed certificate) stays silent rather than guess.
import { isUnparsed } from '../../pki/certificate-facts.ts';
import { PROTOCOL_NAMES, type ProtocolName, protocolRank } from '../../wire/registry/versions.ts';
import { type Finding, finding } from '../findings/index.ts';
import type { ReportFacts, SuiteReport } from '../report.ts';
import type { AllowedSuites, Policy } from './policy.ts';

const DAY_MS = 86_400_000;

function minVersionFindings(report: ReportFacts, min: ProtocolName): Finding[] {
  const below = PROTOCOL_NAMES.filter(
    (v) => report.protocols[v] && protocolRank(v) < protocolRank(min),
  );
  if (below.length === 0) return [];
  const versions = below.join(', ');
  return [
    finding('policy.min-version', {
      evidence: `The server accepts ${versions}; the policy’s minVersion is ${min}.`,
      details: { versions: below, minVersion: min },
    }),
  ];
}

function suiteFindings(report: ReportFacts, allowed: AllowedSuites): Finding[] {
  const parts: string[] = [];
  const ids: string[] = [];
  for (const version of PROTOCOL_NAMES) {
    const outside = (report.cipherSuites[version] ?? []).filter(
      (s: SuiteReport) => !allowed.ids.has(s.id),
    );
    if (outside.length === 0) continue;
    parts.push(`${version}: ${outside.map((s) => `${s.name} (${s.id})`).join(', ')}`);
    ids.push(...outside.map((s) => s.id));
  }
  if (parts.length === 0) return [];
  const unique = [...new Set(ids)];
  return [
    finding('policy.suite-not-allowed', {
      evidence: `The server accepts ${unique.length} suite${unique.length === 1 ? '' : 's'} that allowedSuites "${allowed.expression}" does not select: ${parts.join('; ')}.`,
      details: { suites: unique, allowedSuites: allowed.expression },
    }),
  ];
}

/** Key types as node:crypto names them, grouped as the policy's minKeySizes keys. */
const KEY_KINDS: Readonly<Record<string, 'rsa' | 'ec'>> = {
  rsa: 'rsa',
  'rsa-pss': 'rsa',
  ec: 'ec',
};

function keyFindings(report: ReportFacts, min: NonNullable<Policy['minKeySizes']>): Finding[] {
  const out: Finding[] = [];
  for (const [position, entry] of report.certificateChain.entries()) {
    if (isUnparsed(entry)) continue;
    const kind = KEY_KINDS[entry.publicKey.type];
    const bits = entry.publicKey.bits;
    const floor = kind === undefined ? undefined : min[kind];
    if (kind === undefined || bits === null || floor === undefined || bits >= floor) continue;
    const which = position === 0 ? 'The leaf certificate' : `Certificate ${position} of the chain`;
    out.push(
      finding('policy.key-too-small', {
        evidence: `${which} (${entry.subject}) has a ${bits}-bit ${kind.toUpperCase()} key; the policy’s minKeySizes.${kind} is ${floor}.`,
        details: { position, subject: entry.subject, keyType: kind, bits, minimum: floor },
      }),
    );
  }
  const smallestDh = report.dhePrimeBits[0];
  if (min.dh !== undefined && smallestDh !== undefined && smallestDh < min.dh) {
    out.push(
      finding('policy.key-too-small', {
        evidence: `DHE key exchange uses a ${smallestDh}-bit prime; the policy’s minKeySizes.dh is ${min.dh}.`,
        details: { keyType: 'dh', bits: smallestDh, minimum: min.dh },
      }),
    );
  }
  return out;
}

function lifetimeFindings(report: ReportFacts, maxDays: number): Finding[] {
  const leaf = report.certificateChain[0];
  if (leaf === undefined || isUnparsed(leaf)) return [];
  const ms = Date.parse(leaf.notAfter) - Date.parse(leaf.notBefore);
  if (!Number.isFinite(ms) || ms <= maxDays * DAY_MS) return [];
  const days = Math.round((ms / DAY_MS) * 10) / 10;
  return [
    finding('policy.lifetime-too-long', {
      evidence: `The leaf certificate (${leaf.subject}) is valid for ${days} days (${leaf.notBefore} to ${leaf.notAfter}); the policy’s maxCertificateLifetimeDays is ${maxDays}.`,
      details: {
        lifetimeDays: days,
        maximum: maxDays,
        notBefore: leaf.notBefore,
        notAfter: leaf.notAfter,
      },
    }),
  ];
}

function hstsFindings(report: ReportFacts, minMaxAge: number): Finding[] {
  const http = report.http;
  if (http === undefined || !http.speaksHttp || http.https.result !== 'response') return [];
  const hsts = http.https.hsts;
  if (hsts === undefined) return [];
  const wanted =
    minMaxAge <= 1
      ? 'a Strict-Transport-Security header'
      : `HSTS with max-age of at least ${minMaxAge}`;
  const seen =
    hsts === null
      ? 'no Strict-Transport-Security header'
      : !hsts.valid || hsts.maxAge === undefined
        ? `a Strict-Transport-Security header browsers ignore ("${hsts.values[0] ?? ''}")`
        : hsts.maxAge < minMaxAge
          ? `max-age=${hsts.maxAge}`
          : undefined;
  if (seen === undefined) return [];
  return [
    finding('policy.hsts-required', {
      evidence: `GET / over TLS answered with ${seen}; the policy’s requireHsts asks for ${wanted}.`,
      details: { minMaxAge, ...(hsts?.maxAge === undefined ? {} : { maxAge: hsts.maxAge }) },
    }),
  ];
}

function clientCertificateFindings(report: ReportFacts): Finding[] {
  if (report.clientCertificateRequested) return [];
  return [
    finding('policy.client-certificate-required', {
      evidence:
        'The handshake completed without a CertificateRequest; the policy’s requireClientCertificates is true.',
    }),
  ];
}

/** The findings of a policy's rules for one report; none for a port that is not TLS. */
export function policyFindings(policy: Policy, report: ReportFacts): Finding[] {
  if (!report.tls) return [];
  return [
    ...(policy.minVersion === undefined ? [] : minVersionFindings(report, policy.minVersion)),
    ...(policy.allowedSuites === undefined ? [] : suiteFindings(report, policy.allowedSuites)),
    ...(policy.minKeySizes === undefined ? [] : keyFindings(report, policy.minKeySizes)),
    ...(policy.maxCertificateLifetimeDays === undefined
      ? []
      : lifetimeFindings(report, policy.maxCertificateLifetimeDays)),
    ...(policy.requireHsts === undefined ? [] : hstsFindings(report, policy.requireHsts.minMaxAge)),
    ...(policy.requireClientCertificates === true ? clientCertificateFindings(report) : []),
  ];
}
