/**
 * Facts → findings for `--profile`: where an endpoint departs from a Mozilla profile. One
 * finding per kind of departure, naming every offending item, each with the snippets that
 * make each common server comply. Pure: the facts come in as a plain ProfileInput the
 * engine fills from the scan report, so the rules are tested without a network.
 */
import { cipherSuiteByHex } from '../../wire/registry/cipher-suites.ts';
import { PROTOCOL_NAMES, type ProtocolName } from '../../wire/registry/versions.ts';
import { finding, type Finding, type FindingId, type Severity } from '../findings/index.ts';
import { groupIdByName, mozillaProfile, type MozillaProfile, type ProfileName } from './mozilla.ts';
import { aspectSnippets, type SnippetAspect, type SnippetOptions } from './snippets.ts';

/** One accepted suite as the report writes it (`SuiteReport` fits). */
export interface SuiteFact {
  /** `0xc02f`; SSLv2 specs have six digits. */
  readonly id: string;
  readonly name: string;
}

/** The leaf certificate, as the report's certificate facts describe it. */
export interface CertificateFact {
  /** node:crypto's `asymmetricKeyType`: `rsa`, `rsa-pss`, `ec`, `ed25519`, `ed448`, `dsa`. */
  readonly keyType: string;
  /** Modulus size for RSA, curve size for EC; null when unknown. */
  readonly keyBits: number | null;
  /** Named curve of an EC key (`prime256v1`, `secp384r1`; `P-256` is understood too). */
  readonly curve?: string | undefined;
  /** OpenSSL's long name (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`) or the OID. */
  readonly signatureAlgorithm: string;
  /** notAfter − notBefore, in days. */
  readonly lifetimeDays: number;
}

/** What checkProfile needs to know of an endpoint; null means "not checked": no finding. */
export interface ProfileInput {
  readonly protocols: Readonly<Record<ProtocolName, boolean>>;
  /** Accepted suites per version. */
  readonly suites: Readonly<Partial<Record<ProtocolName, readonly SuiteFact[]>>>;
  /** Per version: true when the server enforces its own suite order. */
  readonly serverPreference: Readonly<Partial<Record<ProtocolName, boolean>>>;
  /** Every group accepted for key exchange, registry names (`x25519`, `X25519MLKEM768`). */
  readonly groups: readonly string[];
  /** DHE prime sizes seen (empty when no DHE suite is accepted). */
  readonly dhePrimeBits: readonly number[];
  readonly certificate: CertificateFact | null;
  /** HSTS max-age seen; `absent` when HTTPS answered without the header; null: not checked. */
  readonly hstsMaxAge: number | 'absent' | null;
  readonly ocspStapled: boolean | null;
}

type Details = NonNullable<Finding['details']>;

/** How many items an evidence sentence names before "and N more" (details keep them all). */
const EVIDENCE_ITEMS = 6;
/** Cap on items kept in details: a hostile or corrupt input cannot make a report huge. */
const DETAIL_ITEMS = 512;
/** Cap on a name taken from the input into evidence. */
const NAME_CHARS = 80;

function clip(name: string): string {
  const printable = name.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > NAME_CHARS ? `${printable.slice(0, NAME_CHARS)}…` : printable;
}

/** `a, b and c`, or `a, b, c and 4 more`. */
function listed(items: readonly string[]): string {
  const shown = items.slice(0, EVIDENCE_ITEMS);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1] ?? ''}`;
}

const profileLabel = (p: MozillaProfile): string =>
  `the Mozilla ${p.name} profile (guidelines ${p.guidelines})`;

const baseDetails = (p: MozillaProfile): Details => ({
  profile: p.name,
  guidelines: p.guidelines,
});

interface Rule {
  readonly id: FindingId;
  readonly aspect: SnippetAspect;
  readonly check: (p: MozillaProfile, input: ProfileInput) => Departure | undefined;
}

/** What a rule found: everything of the finding but its snippets. */
interface Departure {
  readonly evidence: string;
  readonly fix: string;
  readonly details: Details;
  readonly severity?: Severity;
}

function protocols(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  const wanted = new Set<ProtocolName>(p.protocols);
  const extra = PROTOCOL_NAMES.filter((v) => input.protocols[v] === true && !wanted.has(v));
  const missing = p.protocols.filter((v) => input.protocols[v] !== true);
  if (extra.length === 0 && missing.length === 0) return undefined;
  const seen = [
    ...(extra.length === 0 ? [] : [`${listed(extra)} enabled`]),
    ...(missing.length === 0 ? [] : [`${listed(missing)} not enabled`]),
  ];
  const changes = [
    ...(extra.length === 0 ? [] : [`turn off ${listed(extra)}`]),
    ...(missing.length === 0 ? [] : [`turn on ${listed(missing)}`]),
  ];
  return {
    evidence: `${seen.join('; ')}: ${profileLabel(p)} enables exactly ${listed(p.protocols)}.`,
    fix: `Enable exactly ${listed(p.protocols)}, as ${profileLabel(p)} asks: ${changes.join(' and ')}. The snippets set the versions together with the profile's cipher suites and cipher preference, which depend on them.`,
    details: { ...baseDetails(p), expected: p.protocols, enabled: extra, missing },
    // Missing versions cost compatibility, not security.
    ...(extra.length === 0 ? { severity: 'low' as const } : {}),
  };
}

function normalizedId(id: string): string {
  return /^0x[0-9a-f]{4,6}$/i.test(id) ? id.toLowerCase() : clip(id);
}

function suites(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  const allowed = new Set([...p.tls13Suites, ...p.tls12Suites].map((s) => s.id));
  const outside = new Map<string, { name: string; versions: ProtocolName[] }>();
  for (const version of PROTOCOL_NAMES) {
    for (const suite of input.suites[version] ?? []) {
      const id = normalizedId(suite.id);
      if (allowed.has(id)) continue;
      let entry = outside.get(id);
      if (entry === undefined) {
        if (outside.size >= DETAIL_ITEMS) continue;
        entry = { name: cipherSuiteByHex(id)?.name ?? clip(suite.name), versions: [] };
        outside.set(id, entry);
      }
      if (!entry.versions.includes(version)) entry.versions.push(version);
    }
  }
  if (outside.size === 0) return undefined;
  const entries = [...outside.entries()];
  const count = p.tls13Suites.length + p.tls12Suites.length;
  return {
    evidence: `Accepted outside ${profileLabel(p)}: ${listed(entries.map(([, e]) => `${e.name} (${e.versions.join(', ')})`))}.`,
    fix: `Accept only the ${count} suites ${profileLabel(p)} lists and drop the ${entries.length} others. The snippets set the profile's cipher lists for TLS 1.3 and for earlier versions, with the protocol versions and cipher preference that go with them.`,
    details: {
      ...baseDetails(p),
      suites: entries.map(([id]) => id),
      names: entries.map(([, e]) => e.name),
    },
  };
}

function serverPreference(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  const wrong = p.protocols.filter((v) => {
    const enforced = input.serverPreference[v];
    return input.protocols[v] === true && enforced !== undefined && enforced !== p.serverPreference;
  });
  if (wrong.length === 0) return undefined;
  const seen = p.serverPreference
    ? `The server follows the client's suite order in ${listed(wrong)}`
    : `The server enforces its own suite order in ${listed(wrong)}`;
  const wanted = p.serverPreference
    ? 'has the server choose, in the order it lists'
    : 'lets the client choose (every suite in it is strong)';
  return {
    evidence: `${seen}; ${profileLabel(p)} ${wanted}.`,
    fix: p.serverPreference
      ? `Turn server cipher preference on and list the suites in the profile's order, so that old clients get the strongest suite they support. The snippets set it with the profile's versions and suites.`
      : `Turn server cipher preference off, so that clients without AES hardware can pick ChaCha20-Poly1305. The snippets set it with the profile's versions and suites.`,
    details: {
      ...baseDetails(p),
      expected: p.serverPreference ? 'server' : 'client',
      versions: wrong,
    },
  };
}

function groups(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  const allowed = new Set(p.groups.map((g) => g.id));
  const outside = [...new Set(input.groups)]
    .filter((name) => {
      const id = groupIdByName(name);
      return id === undefined || !allowed.has(id);
    })
    .slice(0, DETAIL_ITEMS)
    .map(clip);
  if (outside.length === 0) return undefined;
  const profileGroups = p.groups.map((g) => g.openssl);
  return {
    evidence: `Key exchange accepted with ${listed(outside)}, outside ${profileLabel(p)}, which lists ${listed(profileGroups)}.`,
    fix: `Offer only ${listed(profileGroups)} for key exchange (X25519MLKEM768 needs OpenSSL 3.5 or later; leave it out before that). The snippets set the group list.`,
    details: { ...baseDetails(p), groups: outside, expected: profileGroups },
  };
}

function dhSize(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  // A profile without DH (modern) flags DHE through its suites instead.
  if (p.dhMinBits === null) return undefined;
  const required = p.dhMinBits;
  const seen = input.dhePrimeBits.filter((b) => Number.isSafeInteger(b) && b > 0);
  const smallest = seen.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  if (smallest >= required) return undefined;
  return {
    evidence: `DHE uses a ${smallest}-bit prime; ${profileLabel(p)} asks for ${required} bits or more.`,
    fix: `Drop the DHE suites, which ${profileLabel(p)} does not list, or give DHE the RFC 7919 ffdhe${required} group. The snippets show both.`,
    details: {
      ...baseDetails(p),
      smallestBits: smallest,
      requiredBits: required,
      seenBits: [...new Set(seen)]
        .sort((a, b) => a - b)
        .slice(0, DETAIL_ITEMS)
        .map(String),
    },
    ...(smallest < 1024 ? { severity: 'high' as const } : {}),
  };
}

// Node and OpenSSL spell key types and curves their own ways; the profile uses Mozilla's.
const KEY_FAMILY: Readonly<Record<string, string>> = { rsa: 'rsa', 'rsa-pss': 'rsa', ec: 'ecdsa' };
const CURVE_NAME: Readonly<Record<string, string>> = {
  'P-256': 'prime256v1',
  secp256r1: 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};
const SIGNATURE_OID: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
};

function certificateProblems(p: MozillaProfile, cert: CertificateFact): string[] {
  const want = p.certificate;
  const problems: string[] = [];
  const family = KEY_FAMILY[cert.keyType] ?? clip(cert.keyType);
  const bits = cert.keyBits !== null && Number.isSafeInteger(cert.keyBits) ? cert.keyBits : null;
  const curve = cert.curve === undefined ? undefined : (CURVE_NAME[cert.curve] ?? clip(cert.curve));
  if (!(want.types as readonly string[]).includes(family)) {
    problems.push(
      `${family.toUpperCase()} key (the profile takes ${want.types.map((t) => t.toUpperCase()).join(' or ')})`,
    );
  } else if (
    family === 'rsa' &&
    want.rsaMinBits !== null &&
    bits !== null &&
    bits < want.rsaMinBits
  ) {
    problems.push(`${bits}-bit RSA key (at least ${want.rsaMinBits})`);
  } else if (family === 'ecdsa' && curve !== undefined && !want.curves.includes(curve)) {
    problems.push(`ECDSA key on ${curve} (the profile takes ${want.curves.join(' or ')})`);
  }
  const signature = SIGNATURE_OID[cert.signatureAlgorithm] ?? clip(cert.signatureAlgorithm);
  if (!want.signatures.some((s) => s.toLowerCase() === signature.toLowerCase())) {
    problems.push(`signed with ${signature} (the profile takes ${want.signatures.join(', ')})`);
  }
  if (Number.isFinite(cert.lifetimeDays) && cert.lifetimeDays > want.maxLifetimeDays) {
    problems.push(`valid ${Math.ceil(cert.lifetimeDays)} days (at most ${want.maxLifetimeDays})`);
  }
  return problems;
}

function certificate(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  const cert = input.certificate;
  if (cert === null) return undefined;
  const problems = certificateProblems(p, cert);
  if (problems.length === 0) return undefined;
  const want = p.certificate;
  return {
    evidence: `The certificate departs from ${profileLabel(p)}: ${listed(problems)}.`,
    fix: `Reissue the certificate as ${profileLabel(p)} asks: ${want.types.map((t) => (t === 'ecdsa' ? `ECDSA on ${want.curves.join(' or ')}` : `RSA of ${want.rsaMinBits ?? 2048} bits or more`)).join(', or ')}, signed with ${want.signatures.join(', ')}, valid at most ${want.maxLifetimeDays} days (${want.recommendedLifetimeDays} recommended; automate renewal). The snippets show how to make the key and where each server takes the files.`,
    details: {
      ...baseDetails(p),
      problems,
      keyType: clip(cert.keyType),
      ...(cert.keyBits === null ? {} : { keyBits: cert.keyBits }),
      ...(cert.curve === undefined ? {} : { curve: clip(cert.curve) }),
      signatureAlgorithm: clip(cert.signatureAlgorithm),
      lifetimeDays: cert.lifetimeDays,
    },
  };
}

function hsts(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  const seen = input.hstsMaxAge;
  if (seen === null) return undefined;
  if (seen !== 'absent' && seen >= p.hstsMinAge) return undefined;
  return {
    evidence:
      seen === 'absent'
        ? `HTTPS responses carry no Strict-Transport-Security header; ${profileLabel(p)} asks for max-age=${p.hstsMinAge} or more.`
        : `Strict-Transport-Security max-age is ${seen} s; ${profileLabel(p)} asks for ${p.hstsMinAge} s (two years) or more.`,
    fix: `Send Strict-Transport-Security: max-age=${p.hstsMinAge} on every HTTPS response, once every name under this host serves HTTPS. The snippets add the header.`,
    details: {
      ...baseDetails(p),
      ...(seen === 'absent' ? { present: false } : { present: true, maxAge: seen }),
      requiredMaxAge: p.hstsMinAge,
    },
  };
}

function ocspStapling(p: MozillaProfile, input: ProfileInput): Departure | undefined {
  if (!p.ocspStapling || input.ocspStapled !== false) return undefined;
  return {
    evidence: `The server staples no OCSP response; ${profileLabel(p)} asks for OCSP stapling.`,
    fix: `Turn on OCSP stapling, so that clients learn the certificate is not revoked without asking the CA themselves. The snippets turn it on where the server can (PostgreSQL cannot).`,
    details: baseDetails(p),
  };
}

const RULES: readonly Rule[] = [
  { id: 'profile.protocol', aspect: 'tls', check: protocols },
  { id: 'profile.cipher-suite', aspect: 'tls', check: suites },
  { id: 'profile.server-preference', aspect: 'tls', check: serverPreference },
  { id: 'profile.group', aspect: 'groups', check: groups },
  { id: 'profile.dh-size', aspect: 'dh', check: dhSize },
  { id: 'profile.certificate', aspect: 'certificate', check: certificate },
  { id: 'profile.hsts', aspect: 'hsts', check: hsts },
  { id: 'profile.ocsp-stapling', aspect: 'ocsp-stapling', check: ocspStapling },
];

/**
 * Findings for every way the endpoint departs from the profile, in the order of RULES.
 * `options` says which OpenSSL the snippets are written for. RangeError for an unknown
 * profile name.
 */
export function checkProfile(
  profile: ProfileName,
  input: ProfileInput,
  options: SnippetOptions = {},
): Finding[] {
  const p = mozillaProfile(profile);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const departure = rule.check(p, input);
    if (departure === undefined) continue;
    findings.push(
      finding(rule.id, { ...departure, snippets: aspectSnippets(profile, rule.aspect, options) }),
    );
  }
  return findings;
}
