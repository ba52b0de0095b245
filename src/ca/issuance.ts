// One leaf, from a subject key and what it should say to a stored, signed certificate:
// the policy's checks in a fixed order (usage, key, names, lifetime), then sign, then store.
// Shared by issue(), issueFromCsr() and renew(), which differ only in where the key and
// the names come from.
import { WiretightError } from '../errors.ts';
import type { Issuer } from './certificate-builder.ts';
import { pem } from './der-writer.ts';
import type { EncodedPublicKey, PublicKeyDescription } from './keys.ts';
import { MAX_NAME_ATTRIBUTE } from './names.ts';
import {
  type ProvisionerPolicy,
  checkIdentifiers,
  checkKey,
  checkUsage,
  lifetimeFor,
} from './policy.ts';
import type { LeafProfile } from './profiles.ts';
import { type RandomSource, randomSerial, serialHex } from './serial.ts';
import type { CaStore } from './store.ts';
import {
  CERTIFICATE_USAGES,
  type CertificateRecord,
  type CertificateUsage,
  type Identifier,
  type IssuedCertificate,
  type Provisioner,
} from './types.ts';

const PROVISIONERS: readonly Provisioner[] = ['cli', 'acme', 'renew', 'library'];
/** An audit field, not a document. */
const MAX_REQUESTED_BY = 1024;

export interface IssueContext {
  readonly policy: ProvisionerPolicy;
  readonly profile: LeafProfile;
  readonly issuer: Issuer;
  readonly intermediatePem: string;
  readonly store: CaStore;
  readonly now: Date;
  readonly random: RandomSource;
}

export interface LeafSpec {
  readonly subjectKey: EncodedPublicKey;
  readonly key: PublicKeyDescription;
  readonly identifiers: readonly Identifier[];
  readonly commonName?: string | undefined;
  readonly usage: CertificateUsage;
  readonly lifetimeSeconds?: number | undefined;
  readonly provisioner: Provisioner;
  readonly requestedBy?: string | undefined;
}

function checkArguments(spec: LeafSpec): void {
  if (!(CERTIFICATE_USAGES as readonly string[]).includes(spec.usage)) {
    throw new TypeError(`usage must be one of ${CERTIFICATE_USAGES.join(', ')}`);
  }
  if (!PROVISIONERS.includes(spec.provisioner)) {
    throw new TypeError(`provisioner must be one of ${PROVISIONERS.join(', ')}`);
  }
  if (
    spec.requestedBy !== undefined &&
    (typeof spec.requestedBy !== 'string' || spec.requestedBy.length > MAX_REQUESTED_BY)
  ) {
    throw new TypeError(`requestedBy must be a string of at most ${MAX_REQUESTED_BY} characters`);
  }
}

/** The CN: the one asked for, which must be one of the names, else the first short DNS name. */
function commonNameFor(
  identifiers: readonly Identifier[],
  asked: string | undefined,
): string | undefined {
  if (asked === undefined) {
    return identifiers.find((id) => id.type === 'dns' && id.value.length <= MAX_NAME_ATTRIBUTE)
      ?.value;
  }
  const named = identifiers.find((id) => id.type !== 'uri' && id.value === asked.toLowerCase());
  if (named === undefined || named.value.length > MAX_NAME_ATTRIBUTE) {
    throw new WiretightError(
      'WT_ERR_CA_POLICY',
      `commonName "${asked.slice(0, 80)}" is not one of the certificate's DNS names or IP addresses (or is longer than ${MAX_NAME_ATTRIBUTE})`,
    );
  }
  return named.value;
}

/** Checks, signs and stores one leaf. WT_ERR_CA_POLICY for what the policy refuses. */
export async function issueLeaf(ctx: IssueContext, spec: LeafSpec): Promise<IssuedCertificate> {
  checkArguments(spec);
  checkUsage(ctx.policy, spec.usage);
  checkKey(ctx.policy, spec.key);
  const identifiers = checkIdentifiers(ctx.policy, spec.identifiers);
  const lifetimeSeconds = lifetimeFor(ctx.policy, spec.lifetimeSeconds);
  const commonName = commonNameFor(identifiers, spec.commonName);
  const serial = randomSerial(ctx.random);
  const built = ctx.profile.build({
    serial,
    now: ctx.now,
    lifetimeSeconds,
    subjectKey: spec.subjectKey,
    identifiers,
    ...(commonName === undefined ? {} : { commonName }),
    usage: spec.usage,
    rsa: spec.key.type === 'rsa',
  });
  if (built.notAfter > ctx.issuer.notAfter) {
    throw new WiretightError(
      'WT_ERR_CA_POLICY',
      `the certificate would outlive the intermediate (until ${ctx.issuer.notAfter.toISOString()}): ask for a shorter lifetime`,
    );
  }
  const record: CertificateRecord = {
    serial: serialHex(serial),
    commonName: commonName ?? null,
    identifiers,
    usage: spec.usage,
    keyAlgorithm: spec.key.name,
    notBefore: built.notBefore,
    notAfter: built.notAfter,
    issuedAt: ctx.now,
    provisioner: spec.provisioner,
    requestedBy: spec.requestedBy ?? null,
    der: built.der,
    status: 'valid',
    revokedAt: null,
    revocationReason: null,
  };
  await ctx.store.insert(record);
  const certificatePem = pem('CERTIFICATE', built.der);
  return { record, certificatePem, chainPem: certificatePem + ctx.intermediatePem };
}
