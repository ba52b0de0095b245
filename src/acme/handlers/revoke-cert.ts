/**
 * revokeCert (RFC 8555 §7.6). Allowed to the account that ordered the certificate, to an
 * account holding valid authorizations for all its identifiers, or to whoever signs with
 * the certificate's own key (jwk form, e.g. after the account key is lost).
 */
import { isWiretightError } from '../../errors.ts';
import { REVOCATION_REASONS, type RevocationReason } from '../../ca/types.ts';
import { bytesEqual } from '../../core/bytes.ts';
import { certificateParts } from '../../pki/certificate-parts.ts';
import { serialHex } from '../certificates.ts';
import type { AcmeContext } from '../context.ts';
import { authorizationTarget } from '../identifiers.ts';
import { accountKeyFromCertificate, thumbprint } from '../jws/account-key.ts';
import { decodeBase64url } from '../jws/flattened.ts';
import { LIMITS } from '../limits.ts';
import { AcmeProblem } from '../problems.ts';
import type { AccountRecord } from '../store.ts';
import type { CertificateRecord } from '../../ca/types.ts';
import { type Handler, json, payloadOf } from './types.ts';

/**
 * The reasons a subscriber may give (Let's Encrypt's set): the others are the CA's to
 * decide (cACompromise, aACompromise), cannot be undone through ACME (certificateHold),
 * or only make sense in a delta CRL (removeFromCRL).
 */
export const ACME_REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
] as const satisfies readonly RevocationReason[];

function reasonOf(raw: unknown): RevocationReason {
  if (raw === undefined) return 'unspecified';
  const reason = ACME_REVOCATION_REASONS.find((name) => REVOCATION_REASONS[name] === raw);
  if (reason === undefined) {
    const allowed = ACME_REVOCATION_REASONS.map((n) => REVOCATION_REASONS[n]).join(', ');
    throw new AcmeProblem('badRevocationReason', `reason must be one of ${allowed}`);
  }
  return reason;
}

async function certificateOf(ctx: AcmeContext, raw: unknown): Promise<CertificateRecord> {
  const der = typeof raw === 'string' ? decodeBase64url(raw) : undefined;
  if (der === undefined || der.length === 0 || der.length > LIMITS.certificateBytes) {
    throw new AcmeProblem('malformed', 'certificate must be base64url DER');
  }
  let serial: string;
  try {
    serial = serialHex(certificateParts(der).serial);
  } catch {
    throw new AcmeProblem('malformed', 'certificate is not an X.509 certificate');
  }
  const record = await ctx.ca.get(serial);
  // The serial alone could be borrowed from another certificate: the bytes must match.
  if (record === undefined || !bytesEqual(record.der, der)) {
    throw new AcmeProblem('malformed', 'this CA did not issue the certificate', { status: 404 });
  }
  return record;
}

async function authorizedAccount(
  ctx: AcmeContext,
  account: AccountRecord,
  record: CertificateRecord,
): Promise<boolean> {
  const order = await ctx.store.findOrderByCertificate(record.serial);
  if (order?.accountId === account.id) return true;
  const at = new Date(ctx.now());
  for (const identifier of record.identifiers) {
    if (identifier.type === 'uri') return false;
    const target = authorizationTarget(identifier);
    const held = await ctx.store.findValidAuthorization(
      account.id,
      target.identifier,
      target.wildcard,
      at,
    );
    if (held === undefined) return false;
  }
  return record.identifiers.length > 0;
}

export const revokeCert: Handler = async (input) => {
  const { ctx, urls } = input;
  const payload = payloadOf(input);
  const record = await certificateOf(ctx, payload['certificate']);
  const reason = reasonOf(payload['reason']);
  const account = input.auth?.account;
  let requestedBy: string;
  if (account !== undefined) {
    if (!(await authorizedAccount(ctx, account, record))) {
      throw new AcmeProblem(
        'unauthorized',
        'the account neither ordered the certificate nor holds authorizations for its identifiers',
      );
    }
    requestedBy = urls.account(account.id);
  } else {
    const certKey = accountKeyFromCertificate(record.der);
    const key = input.auth?.key;
    if (
      certKey === undefined ||
      key === undefined ||
      (await thumbprint(certKey)) !== (await thumbprint(key))
    ) {
      throw new AcmeProblem('unauthorized', "the request is not signed by the certificate's key");
    }
    requestedBy = 'acme: certificate key';
  }
  if (record.status === 'revoked')
    throw new AcmeProblem('alreadyRevoked', 'the certificate is revoked already');
  try {
    await ctx.ca.revoke(record.serial, reason, requestedBy);
  } catch (error) {
    if (isWiretightError(error) && error.code === 'WT_ERR_CA_REVOKED') {
      throw new AcmeProblem('alreadyRevoked', 'the certificate is revoked already');
    }
    throw error;
  }
  ctx.logger.info({ serial: record.serial, reason, by: requestedBy }, 'acme: certificate revoked');
  return json(200, undefined);
};
