import { isUnparsed } from '../../pki/certificate-facts.ts';
import { GROUPS } from '../../wire/registry/groups.ts';
import type { ProtocolName } from '../../wire/registry/versions.ts';
import type { Finding } from '../findings/index.ts';
import type { ReportFacts, SuiteReport } from '../report.ts';
import { type CapLetter, type CapRule, CAP_RULES, INSECURE_CLIENT_RENEGOTIATION } from './caps.ts';
import {
  PROTOCOL_SCORE,
  WEIGHTS,
  cipherScore,
  ecSecurityBits,
  keyExchangeScore,
  letterForScore,
  rsaEquivalent,
} from './scores.ts';

export type GradeLetter = 'A+' | 'A' | 'A-' | 'B' | 'C' | 'D' | 'E' | 'F' | 'T' | 'M';

export interface GradeCap {
  readonly letter: CapLetter;
  readonly reason: string;
  /** The finding that triggered the cap. */
  readonly findingId: string;
}

export interface GradeCriteria {
  readonly protocol: {
    readonly score: number;
    readonly best: ProtocolName;
    readonly worst: ProtocolName;
  };
  readonly keyExchange: {
    readonly score: number;
    /** RSA-equivalent bits of the weakest key exchange a client can be made to use. */
    readonly weakestBits: number;
  };
  readonly cipher: {
    readonly score: number;
    readonly strongestBits: number;
    readonly weakestBits: number;
  };
}

export interface Grade {
  /** null when the grade is withheld (see `withheld`). */
  readonly letter: GradeLetter | null;
  /** The weighted score, 0–100, before caps. */
  readonly score: number | null;
  /** For T and M: the grade the configuration would get with a trusted, matching certificate. */
  readonly letterIgnoringTrust?: GradeLetter;
  readonly caps: readonly GradeCap[];
  readonly criteria: GradeCriteria | null;
  /** Why no grade was given: no TLS, or checks the grade needs did not complete. */
  readonly withheld?: string;
  /** Limits of what the grade could see, that did not withhold it. */
  readonly notes?: readonly string[];
}

export interface GradeInputs {
  /** Checks the grade needs that did not complete (named for the user). */
  readonly incompleteChecks: readonly string[];
  /** HSTS max-age seen over HTTPS; null when the header is absent, undefined when unknown. */
  readonly hstsMaxAge?: number | null;
  readonly notes?: readonly string[];
}

/** HSTS max-age the guide asks of an A+ (six months). */
export const A_PLUS_MIN_HSTS_SECONDS = 15_768_000;

const ORDER: readonly GradeLetter[] = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F'];
const worse = (a: GradeLetter, b: GradeLetter): GradeLetter =>
  ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;

/** The grade of a finished scan: scores, caps from the findings, A+, T and M. */
export function gradeReport(
  report: ReportFacts,
  findings: readonly Finding[],
  inputs: GradeInputs,
): Grade {
  if (!report.tls) return withheld('the endpoint does not speak TLS');
  if (inputs.incompleteChecks.length > 0) {
    return withheld(
      `checks the grade needs did not complete: ${inputs.incompleteChecks.join(', ')}`,
    );
  }
  const criteria = scoreCriteria(report);
  if (criteria === undefined) return withheld('no cipher suite was accepted');
  const raw =
    criteria.protocol.score * WEIGHTS.protocol +
    criteria.keyExchange.score * WEIGHTS.keyExchange +
    criteria.cipher.score * WEIGHTS.cipher;
  // A zero in any category makes the whole score zero (guide, methodology step 3).
  const anyZero = [criteria.protocol, criteria.keyExchange, criteria.cipher].some(
    (c) => c.score === 0,
  );
  const score = anyZero ? 0 : Math.round(raw);
  const caps = capsFor(findings);
  let letter: GradeLetter = letterForScore(score);
  for (const c of caps) {
    if (c.letter !== 'T' && c.letter !== 'M') letter = worse(letter, c.letter);
  }
  if (letter === 'A' && qualifiesForAPlus(inputs)) letter = 'A+';
  const trust = caps.find((c) => c.letter === 'T') ?? caps.find((c) => c.letter === 'M');
  return {
    letter: trust === undefined ? letter : trust.letter,
    score,
    ...(trust === undefined ? {} : { letterIgnoringTrust: letter }),
    caps,
    criteria,
    ...(inputs.notes !== undefined && inputs.notes.length > 0 ? { notes: inputs.notes } : {}),
  };
}

function withheld(reason: string): Grade {
  return { letter: null, score: null, caps: [], criteria: null, withheld: reason };
}

/** A+ needs an A with no warning (any A- cap already lowered it) and a long HSTS. */
function qualifiesForAPlus(inputs: GradeInputs): boolean {
  return typeof inputs.hstsMaxAge === 'number' && inputs.hstsMaxAge >= A_PLUS_MIN_HSTS_SECONDS;
}

function capsFor(findings: readonly Finding[]): GradeCap[] {
  const caps: GradeCap[] = [];
  const ids = new Set(findings.map((f) => f.id));
  for (const f of findings) {
    let rule: CapRule | undefined = CAP_RULES[f.id]?.(f);
    if (f.id === 'vuln.insecure-renegotiation' && ids.has('vuln.client-renegotiation')) {
      rule = INSECURE_CLIENT_RENEGOTIATION;
    }
    if (rule !== undefined) caps.push({ ...rule, findingId: f.id });
  }
  // Worst first, as a reader wants them: trust, then F down to the warnings.
  const rank = (c: GradeCap): number =>
    c.letter === 'T' || c.letter === 'M' ? -1 : -ORDER.indexOf(c.letter);
  return caps.sort((a, b) => rank(a) - rank(b));
}

const PROTOCOL_ORDER: readonly ProtocolName[] = [
  'SSLv2',
  'SSLv3',
  'TLSv1.0',
  'TLSv1.1',
  'TLSv1.2',
  'TLSv1.3',
];

function scoreCriteria(report: ReportFacts): GradeCriteria | undefined {
  const versions = PROTOCOL_ORDER.filter((v) => report.protocols[v]);
  const worst = versions[0];
  const best = versions[versions.length - 1];
  const suites = Object.values(report.cipherSuites).flat();
  if (worst === undefined || best === undefined || suites.length === 0) return undefined;
  const bits = suites.map((s) => s.bits);
  const strongest = Math.max(...bits);
  const weakest = Math.min(...bits);
  const kx = weakestKeyExchange(report, suites);
  return {
    protocol: {
      score: (PROTOCOL_SCORE[best] + PROTOCOL_SCORE[worst]) / 2,
      best,
      worst,
    },
    keyExchange: { score: keyExchangeScore(kx), weakestBits: kx },
    cipher: {
      score: (cipherScore(strongest) + cipherScore(weakest)) / 2,
      strongestBits: strongest,
      weakestBits: weakest,
    },
  };
}

/** RSA-equivalent bits of the leaf's key; undefined when there is no parsed leaf. */
function certificateKeyBits(report: ReportFacts): number | undefined {
  const leaf = report.certificateChain[0];
  if (leaf === undefined || isUnparsed(leaf) || leaf.publicKey.bits === null) return undefined;
  const { type, bits } = leaf.publicKey;
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') return bits;
  // EC and EdDSA sizes are field sizes; their security is half of it.
  return rsaEquivalent(ecSecurityBits(bits));
}

function groupBits(name: string): number | undefined {
  const g = GROUPS.find((x) => x.name === name);
  if (g === undefined) return undefined;
  // Finite-field groups are named by their prime size; the others by security level.
  return g.family === 'ffdhe' ? Number(g.name.slice('ffdhe'.length)) : rsaEquivalent(g.bits);
}

/**
 * The weakest key exchange a client can be made to use: for each accepted suite, the lower
 * of the certificate key and the ephemeral group (the weakest group the server accepts for
 * that version, since a client may offer only that one).
 */
function weakestKeyExchange(report: ReportFacts, suites: readonly SuiteReport[]): number {
  const cert = certificateKeyBits(report) ?? Number.POSITIVE_INFINITY;
  const weakestGroup = (names: readonly string[] | undefined): number => {
    const sizes = (names ?? []).map(groupBits).filter((b): b is number => b !== undefined);
    return sizes.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...sizes);
  };
  const ecdhe12 = weakestGroup(report.groupsByProtocol['TLSv1.2']);
  const tls13 = weakestGroup(report.groupsByProtocol['TLSv1.3']);
  const dhe =
    report.dhePrimeBits.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...report.dhePrimeBits);
  let weakest = Number.POSITIVE_INFINITY;
  for (const s of suites) {
    let bits: number;
    if (s.auth === 'anon' || s.auth === 'None') bits = 0;
    else if (s.export) bits = Math.min(s.keyExchange?.bits ?? 512, cert);
    else if (s.kx === 'any') bits = Math.min(tls13, cert);
    else if (s.kx === 'ECDHE') bits = Math.min(ecdhe12, cert);
    else if (s.kx === 'DHE') bits = Math.min(dhe, cert);
    else bits = cert;
    weakest = Math.min(weakest, bits);
  }
  return Number.isFinite(weakest) ? weakest : 0;
}
