// What to issue, from each way of asking: a request with a public key, a CSR, or the
// renewal of a certificate this CA issued. Each gathers a LeafSpec; issuance.ts checks and
// signs it the same way whichever door it came through.
import { type KeyObject, createPublicKey } from 'node:crypto';
import { bytesEqual } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { certificateParts } from '../pki/certificate-parts.ts';
import { integerMagnitude } from '../pki/der.ts';
import { parseCsr } from './csr.ts';
import { describeIdentifier, normalizeIdentifiers, sameIdentifiers } from './identifiers.ts';
import type { LeafSpec } from './issuance.ts';
import { describePublicKey, encodePublicKey } from './keys.ts';
import type { ProvisionerPolicy } from './policy.ts';
import { serialHex } from './serial.ts';
import type { CaStore } from './store.ts';
import type { CertificateRecord, CsrIssueOptions, Identifier, IssueRequest } from './types.ts';

export interface RenewOptions {
  /** A new key: the CSR's names must be the current certificate's. */
  readonly csr?: Uint8Array;
  readonly requestedBy?: string;
  readonly lifetimeSeconds?: number;
}

const names = (ids: readonly Identifier[]): string => ids.map(describeIdentifier).join(', ');

export function requestSpec(request: IssueRequest): LeafSpec {
  const publicKey = request.publicKey as KeyObject | undefined;
  if (publicKey?.type !== 'public') throw new TypeError('publicKey must be a public KeyObject');
  return {
    subjectKey: encodePublicKey(publicKey),
    key: describePublicKey(publicKey),
    identifiers: request.identifiers,
    commonName: request.commonName,
    usage: request.usage,
    lifetimeSeconds: request.lifetimeSeconds,
    provisioner: request.provisioner,
    requestedBy: request.requestedBy,
  };
}

/** The CSR's key and names; with expectedIdentifiers (ACME), exactly those names. */
export function csrSpec(csr: Uint8Array, options: CsrIssueOptions): LeafSpec {
  const parsed = parseCsr(csr);
  if (options.expectedIdentifiers !== undefined) {
    const expected = normalizeIdentifiers(options.expectedIdentifiers);
    if (!sameIdentifiers(parsed.identifiers, expected)) {
      throw new WiretightError(
        'WT_ERR_CA_CSR',
        `the CSR names ${names(parsed.identifiers)} but the request authorises ${names(expected)}`,
      );
    }
  }
  return {
    subjectKey: parsed.subjectKey,
    key: describePublicKey(parsed.publicKey),
    identifiers: parsed.identifiers,
    commonName: parsed.commonName,
    usage: options.usage,
    lifetimeSeconds: options.lifetimeSeconds,
    provisioner: options.provisioner,
    requestedBy: options.requestedBy,
  };
}

/** The store's record of `current` when this CA issued exactly these bytes; WT_ERR_CA_RENEW otherwise. */
async function issuedHere(store: CaStore, current: Uint8Array): Promise<CertificateRecord> {
  if (!(current instanceof Uint8Array)) throw new TypeError('current must be the DER certificate');
  let serial: string;
  try {
    serial = serialHex(integerMagnitude(certificateParts(current).serial));
  } catch (cause) {
    throw new WiretightError(
      'WT_ERR_CA_RENEW',
      'the certificate to renew is not a valid X.509 certificate',
      { cause },
    );
  }
  const record = await store.get(serial);
  if (record === undefined || !bytesEqual(record.der, current)) {
    throw new WiretightError('WT_ERR_CA_RENEW', `certificate ${serial} was not issued by this CA`);
  }
  return record;
}

/**
 * The renewal of `current`: same names and usage, same key unless a CSR (for the same
 * names) brings one, same lifetime unless asked otherwise (within today's policy).
 * WT_ERR_CA_RENEW (not ours, expired), WT_ERR_CA_REVOKED, WT_ERR_CA_CSR.
 */
export async function renewalSpec(
  store: CaStore,
  policy: ProvisionerPolicy,
  now: Date,
  current: Uint8Array,
  options: RenewOptions,
): Promise<LeafSpec> {
  const record = await issuedHere(store, current);
  if (record.status === 'revoked') {
    throw new WiretightError(
      'WT_ERR_CA_REVOKED',
      `certificate ${record.serial} is revoked and cannot be renewed`,
    );
  }
  if (record.notAfter <= now) {
    throw new WiretightError(
      'WT_ERR_CA_RENEW',
      `certificate ${record.serial} expired at ${record.notAfter.toISOString()}`,
    );
  }
  const parts = certificateParts(record.der);
  let subjectKey = { spki: parts.spki, keyBits: parts.publicKey };
  let publicKey = createPublicKey({ key: Buffer.from(parts.spki), format: 'der', type: 'spki' });
  if (options.csr !== undefined) {
    const parsed = parseCsr(options.csr);
    if (!sameIdentifiers(parsed.identifiers, record.identifiers)) {
      throw new WiretightError(
        'WT_ERR_CA_CSR',
        `the CSR names ${names(parsed.identifiers)}, not the certificate's ${names(record.identifiers)}`,
      );
    }
    subjectKey = parsed.subjectKey;
    publicKey = parsed.publicKey;
  }
  const previous = Math.round((record.notAfter.getTime() - record.issuedAt.getTime()) / 1000);
  return {
    subjectKey,
    key: describePublicKey(publicKey),
    identifiers: record.identifiers,
    commonName: record.commonName ?? undefined,
    usage: record.usage,
    lifetimeSeconds: options.lifetimeSeconds ?? Math.min(previous, policy.maxLifetimeSeconds),
    provisioner: 'renew',
    requestedBy: options.requestedBy ?? `renewal of ${record.serial}`,
  };
}
