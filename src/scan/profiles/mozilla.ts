/**
 * The Mozilla Server Side TLS profiles as data.
 *
 * Source: the guideline JSON of the Mozilla SSL Configuration Generator,
 * https://ssl-config.mozilla.org/guidelines/<version>.json (in
 * github.com/mozilla/ssl-config-generator, src/static/guidelines/; the generator moved to
 * https://configurator.tlsref.org in 2026 and serves the same files). Every field below
 * names the JSON key it encodes.
 *
 * - modern, intermediate: guidelines 6.0, the current version (what `latest.json` names).
 * - old: guidelines 5.8. Version 6.0 removed the "old" configuration as not recommended
 *   (release notes of v6.0); 5.8 is the last version that defines it, released the same
 *   day, already without DHE suites, with ffdhe2048 and X25519MLKEM768.
 *
 * Names are kept as Mozilla writes them (IANA and OpenSSL suite names, OpenSSL group
 * names); `resolveProfile` ties each to the wire registry, and a unit test checks that every
 * IANA/OpenSSL pair is the same suite there.
 */
import { CIPHER_SUITES, suiteIdHex } from '../../wire/registry/cipher-suites.ts';
import { groupByName } from '../../wire/registry/groups.ts';
import type { ProtocolName } from '../../wire/registry/versions.ts';

export const PROFILE_NAMES = ['modern', 'intermediate', 'old'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

const GUIDELINES_URL = (version: string): string =>
  `https://ssl-config.mozilla.org/guidelines/${version}.json`;

/** `[IANA name, OpenSSL name]`, as `ciphers.iana` and `ciphers.openssl` list them. */
type SuitePair = readonly [iana: string, openssl: string];

// `ciphersuites` of all three profiles (TLS 1.3: OpenSSL uses the IANA names).
const TLS13_SUITES: readonly SuitePair[] = [
  ['TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
  ['TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384'],
  ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'],
];

// `ciphers` of intermediate (6.0), and the first six of old (5.8), in Mozilla's order.
const ECDHE_AEAD_SUITES: readonly SuitePair[] = [
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305'],
];

// The rest of `ciphers` of old (5.8), in Mozilla's order: the order matters for old, where
// the server chooses.
const OLD_EXTRA_SUITES: readonly SuitePair[] = [
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'ECDHE-ECDSA-AES256-SHA384'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'ECDHE-RSA-AES256-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-ECDSA-AES256-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA'],
  ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'],
  ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA'],
  ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA'],
];

// `tls_curves` of all three profiles (6.0, and 5.8 for old), OpenSSL names.
const TLS_CURVES = ['X25519MLKEM768', 'X25519', 'prime256v1', 'secp384r1'] as const;

// `certificate_curves` of all three profiles.
const CERTIFICATE_CURVES = ['prime256v1', 'secp384r1'] as const;

const ECDSA_SIGNATURES = ['ecdsa-with-SHA256', 'ecdsa-with-SHA384', 'ecdsa-with-SHA512'] as const;

/** Two years: `hsts_min_age` of all three profiles. */
const HSTS_TWO_YEARS = 63072000;

export type CertificateType = 'ecdsa' | 'rsa';

/** One configuration of the guidelines, as written there. */
export interface ProfileData {
  /** Guideline version this profile comes from. */
  readonly guidelines: string;
  /** `oldest_clients` */
  readonly oldestClients: readonly string[];
  /** `tls_versions`, in the report's names (the JSON writes TLS 1.0 as `TLSv1`). */
  readonly protocols: readonly ProtocolName[];
  /** `ciphersuites` (TLS 1.3). */
  readonly tls13Suites: readonly SuitePair[];
  /** `ciphers.iana` with `ciphers.openssl` (TLS 1.0–1.2), in Mozilla's order. */
  readonly tls12Suites: readonly SuitePair[];
  /** `tls_curves`, OpenSSL names, in Mozilla's order. */
  readonly groups: readonly string[];
  /** `ecdh_param_size`: the smallest ECDH group, in bits. */
  readonly ecdhMinBits: number;
  /** `dh_param_size`: the smallest finite-field DH prime; null where no DHE is expected. */
  readonly dhMinBits: number | null;
  readonly certificate: {
    /** `certificate_types` */
    readonly types: readonly CertificateType[];
    /** `rsa_key_size`: the smallest RSA modulus; null where RSA is not a listed type. */
    readonly rsaMinBits: number | null;
    /** `certificate_curves` (ECDSA keys), OpenSSL names. */
    readonly curves: readonly string[];
    /** `certificate_signatures`, OpenSSL long names. */
    readonly signatures: readonly string[];
    /** `maximum_certificate_lifespan`, days. */
    readonly maxLifetimeDays: number;
    /** `recommended_certificate_lifespan`, days. */
    readonly recommendedLifetimeDays: number;
  };
  /** `server_preferred_order`: true when the server's suite order should win. */
  readonly serverPreference: boolean;
  /** `hsts_min_age`, seconds. */
  readonly hstsMinAge: number;
  /** `ocsp_staple` */
  readonly ocspStapling: boolean;
}

export const MOZILLA_PROFILES = {
  modern: {
    guidelines: '6.0',
    oldestClients: [
      'Firefox 63',
      'Android 10.0',
      'Chrome 70',
      'Edge 75',
      'Java 11',
      'OpenSSL 1.1.1',
      'Opera 57',
      'Safari 12.1',
    ],
    protocols: ['TLSv1.3'],
    tls13Suites: TLS13_SUITES,
    tls12Suites: [],
    groups: TLS_CURVES,
    ecdhMinBits: 256,
    dhMinBits: null,
    certificate: {
      types: ['ecdsa'],
      rsaMinBits: null,
      curves: CERTIFICATE_CURVES,
      signatures: ECDSA_SIGNATURES,
      maxLifetimeDays: 90,
      recommendedLifetimeDays: 90,
    },
    serverPreference: false,
    hstsMinAge: HSTS_TWO_YEARS,
    ocspStapling: true,
  },
  intermediate: {
    guidelines: '6.0',
    oldestClients: [
      'Firefox 31.3.0',
      'Android 4.4.2',
      'Chrome 49',
      'Edge 15 on Windows 10',
      'IE 11 on Windows 10',
      'Java 8u161',
      'OpenSSL 1.0.1l',
      'Opera 20',
      'Safari 9',
    ],
    protocols: ['TLSv1.2', 'TLSv1.3'],
    tls13Suites: TLS13_SUITES,
    tls12Suites: ECDHE_AEAD_SUITES,
    groups: TLS_CURVES,
    ecdhMinBits: 256,
    dhMinBits: 2048,
    certificate: {
      types: ['ecdsa', 'rsa'],
      rsaMinBits: 2048,
      curves: CERTIFICATE_CURVES,
      signatures: ['sha256WithRSAEncryption', ...ECDSA_SIGNATURES],
      maxLifetimeDays: 366,
      recommendedLifetimeDays: 90,
    },
    serverPreference: false,
    hstsMinAge: HSTS_TWO_YEARS,
    ocspStapling: true,
  },
  old: {
    guidelines: '5.8',
    oldestClients: [
      'Firefox 1',
      'Android 2.3',
      'Chrome 1',
      'Edge 12',
      'IE8 on Windows XP',
      'Java 6',
      'OpenSSL 0.9.8',
      'Opera 5',
      'Safari 1',
    ],
    protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    tls13Suites: TLS13_SUITES,
    tls12Suites: [...ECDHE_AEAD_SUITES, ...OLD_EXTRA_SUITES],
    groups: TLS_CURVES,
    ecdhMinBits: 256,
    dhMinBits: 2048,
    certificate: {
      types: ['rsa'],
      rsaMinBits: 2048,
      curves: CERTIFICATE_CURVES,
      signatures: ['sha256WithRSAEncryption'],
      maxLifetimeDays: 366,
      recommendedLifetimeDays: 90,
    },
    serverPreference: true,
    hstsMinAge: HSTS_TWO_YEARS,
    ocspStapling: true,
  },
} as const satisfies Record<ProfileName, ProfileData>;

/** A profile suite tied to the registry: report id, IANA name, OpenSSL name, key exchange. */
export interface ProfileSuite {
  readonly id: string;
  readonly iana: string;
  readonly openssl: string;
  readonly kx: string;
}

/** A profile group tied to the registry: OpenSSL name (Mozilla's), registry name, codepoint. */
export interface ProfileGroup {
  readonly openssl: string;
  readonly name: string;
  readonly id: number;
}

/** A profile with every suite and group resolved against the wire registry. */
export interface MozillaProfile extends Omit<
  ProfileData,
  'tls13Suites' | 'tls12Suites' | 'groups'
> {
  readonly name: ProfileName;
  /** The guideline JSON this profile was taken from. */
  readonly source: string;
  readonly tls13Suites: readonly ProfileSuite[];
  readonly tls12Suites: readonly ProfileSuite[];
  readonly groups: readonly ProfileGroup[];
}

const suitesByIana = new Map(
  CIPHER_SUITES.filter((s) => s.minProtocol !== 'SSLv2').map((s) => [s.name, s]),
);

function resolveSuite([iana, openssl]: SuitePair): ProfileSuite {
  const suite = suitesByIana.get(iana);
  if (suite === undefined) throw new RangeError(`profile suite ${iana} is not in the registry`);
  return { id: suiteIdHex(suite.id), iana, openssl, kx: suite.kx };
}

// Mozilla writes OpenSSL's group names; the registry (and the report) writes IANA's.
const REGISTRY_GROUP_NAME: Readonly<Record<string, string>> = {
  X25519: 'x25519',
  X448: 'x448',
  prime256v1: 'secp256r1',
  'P-256': 'secp256r1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};

/** A group's codepoint from its registry (IANA) name or its OpenSSL name. */
export function groupIdByName(name: string): number | undefined {
  return groupByName(REGISTRY_GROUP_NAME[name] ?? name)?.id;
}

function resolveGroup(openssl: string): ProfileGroup {
  const info = groupByName(REGISTRY_GROUP_NAME[openssl] ?? openssl);
  if (info === undefined) throw new RangeError(`profile group ${openssl} is not in the registry`);
  return { openssl, name: info.name, id: info.id };
}

function resolveProfile(name: ProfileName): MozillaProfile {
  const data: ProfileData = MOZILLA_PROFILES[name];
  return {
    ...data,
    name,
    source: GUIDELINES_URL(data.guidelines),
    tls13Suites: data.tls13Suites.map(resolveSuite),
    tls12Suites: data.tls12Suites.map(resolveSuite),
    groups: data.groups.map(resolveGroup),
  };
}

const RESOLVED: Readonly<Record<ProfileName, MozillaProfile>> = {
  modern: resolveProfile('modern'),
  intermediate: resolveProfile('intermediate'),
  old: resolveProfile('old'),
};

/** The profile by name; RangeError for a name that is not one (a CLI typo, say). */
export function mozillaProfile(name: string): MozillaProfile {
  if (!isProfileName(name)) {
    throw new RangeError(`unknown profile ${name}: expected ${PROFILE_NAMES.join(', ')}`);
  }
  return RESOLVED[name];
}
