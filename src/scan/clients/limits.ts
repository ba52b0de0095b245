import { cipherSuite } from '../../wire/registry/cipher-suites.ts';
import { groupName } from '../../wire/registry/groups.ts';
import { signatureSchemeName } from '../../wire/registry/signature-schemes.ts';
import { protocolName } from '../../wire/registry/versions.ts';
import type { ClientConstraints, LoadedProfile } from './profile.ts';
import type { Negotiated } from './server-answer.ts';

/**
 * Why a client would abort a handshake the server was willing to make: the server chose
 * something the hello did not offer (every client checks that), or broke a limit the
 * client is known to enforce (its constraints, as SSL Labs describes them: DH prime size,
 * RSA and ECDSA certificate key sizes, SHA-2 signatures). Undefined when it would connect.
 */
export function brokenLimit(n: Negotiated, loaded: LoadedProfile): string | undefined {
  return notOffered(n, loaded) ?? brokenConstraint(n, loaded.profile.constraints ?? {});
}

function versionLabel(version: number): string {
  return protocolName(version) ?? `0x${version.toString(16).padStart(4, '0')}`;
}

function suiteLabel(id: number): string {
  return cipherSuite(id)?.name ?? `0x${id.toString(16).padStart(4, '0')}`;
}

/** The hello's own terms: version, suite, curve and signature scheme must be ones it offered. */
function notOffered(n: Negotiated, { hello, offers }: LoadedProfile): string | undefined {
  const versionOk =
    offers.versions === undefined
      ? n.version >= 0x0300 && n.version <= hello.legacyVersion
      : offers.versions.includes(n.version);
  if (!versionOk) {
    return `the server chose ${versionLabel(n.version)}, which this client does not offer`;
  }
  if (!offers.suites.includes(n.suite)) {
    return `the server chose ${suiteLabel(n.suite)}, which this client does not offer`;
  }
  if (n.group !== undefined && offers.groups !== undefined && !offers.groups.includes(n.group)) {
    return `the server chose ${groupName(n.group)}, which this client does not offer`;
  }
  // Before TLS 1.2 the signature algorithm follows from the suite, not the extension.
  if (
    n.signatureScheme !== undefined &&
    n.version >= 0x0303 &&
    offers.signatureSchemes !== undefined &&
    !offers.signatureSchemes.includes(n.signatureScheme)
  ) {
    return `the server signs with ${signatureSchemeName(n.signatureScheme)}, which this client does not offer`;
  }
  return undefined;
}

/** TLS ≤ 1.2 SignatureScheme values carry the hash in their first byte: 1 MD5, 2 SHA-1. */
function schemeHash(scheme: number): 'md5' | 'sha1' | undefined {
  const hash = scheme >> 8;
  return hash === 1 ? 'md5' : hash === 2 ? 'sha1' : undefined;
}

/** Key exchanges signed by the server: before TLS 1.2 those signatures are MD5/SHA-1. */
function signsKeyExchange(suite: number): boolean {
  const kx = cipherSuite(suite)?.kx;
  return kx === 'DHE' || kx === 'ECDHE';
}

function sha2Failure(n: Negotiated): string | undefined {
  const certHash = n.certificate?.weakSignatureHash;
  if (certHash !== undefined) {
    return `certificate signed with ${certHash.toUpperCase()}, this client requires SHA-2`;
  }
  const scheme = n.signatureScheme;
  const hash = scheme === undefined ? undefined : schemeHash(scheme);
  if (scheme !== undefined && hash !== undefined) {
    return `the server signs with ${signatureSchemeName(scheme)}, this client requires SHA-2`;
  }
  if (n.version < 0x0303 && signsKeyExchange(n.suite)) {
    return `the server signs with SHA-1 only (${versionLabel(n.version)}), this client requires SHA-2`;
  }
  return undefined;
}

/** The first constraint the server breaks, in the order DH, RSA, ECDSA, SHA-2. */
export function brokenConstraint(n: Negotiated, c: ClientConstraints): string | undefined {
  const dh = n.dhBits;
  if (dh !== undefined && c.minDhBits !== undefined && dh < c.minDhBits) {
    return `DH ${dh} bits, below the ${c.minDhBits} this client accepts`;
  }
  if (dh !== undefined && c.maxDhBits !== undefined && dh > c.maxDhBits) {
    return `DH ${dh} bits, above the ${c.maxDhBits} this client accepts`;
  }
  const key = n.certificate;
  const bits = key?.keyBits ?? null;
  const rsa = key?.keyType === 'rsa' || key?.keyType === 'rsa-pss';
  if (rsa && bits !== null && c.minRsaBits !== undefined && bits < c.minRsaBits) {
    return `RSA key ${bits} bits, below its minimum ${c.minRsaBits}`;
  }
  if (rsa && bits !== null && c.maxRsaBits !== undefined && bits > c.maxRsaBits) {
    return `RSA key ${bits} bits, above its maximum ${c.maxRsaBits}`;
  }
  if (
    key?.keyType === 'ec' &&
    bits !== null &&
    c.minEcdsaBits !== undefined &&
    bits < c.minEcdsaBits
  ) {
    return `ECDSA key ${bits} bits, below its minimum ${c.minEcdsaBits}`;
  }
  return c.requiresSha2 === true ? sha2Failure(n) : undefined;
}
