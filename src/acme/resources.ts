/**
 * The JSON objects of RFC 8555 §7.1 as clients see them, rendered from stored records.
 * Times are RFC 3339; optional fields are left out rather than sent as null.
 */
import { authorizationStatus } from './state.ts';
import type { AccountRecord, AuthorizationRecord, ChallengeRecord, OrderRecord } from './store.ts';
import type { AcmeUrls } from './urls.ts';

export function accountResource(account: AccountRecord, urls: AcmeUrls): Record<string, unknown> {
  return {
    status: account.status,
    contact: account.contact,
    termsOfServiceAgreed: account.termsOfServiceAgreed,
    orders: urls.accountOrders(account.id),
    createdAt: account.createdAt.toISOString(),
  };
}

export function orderResource(order: OrderRecord, urls: AcmeUrls): Record<string, unknown> {
  return {
    status: order.status,
    expires: order.expires.toISOString(),
    identifiers: order.identifiers,
    authorizations: order.authorizationIds.map((id) => urls.authz(id)),
    finalize: urls.finalize(order.id),
    ...(order.certificateSerial === null
      ? {}
      : { certificate: urls.certificate(order.certificateSerial) }),
    ...(order.error === null ? {} : { error: order.error }),
    ...(order.replaces === null ? {} : { replaces: order.replaces }),
  };
}

export function challengeResource(
  challenge: ChallengeRecord,
  urls: AcmeUrls,
): Record<string, unknown> {
  return {
    type: challenge.type,
    url: urls.challenge(challenge.id),
    status: challenge.status,
    token: challenge.token,
    ...(challenge.validated === null ? {} : { validated: challenge.validated.toISOString() }),
    ...(challenge.error === null ? {} : { error: challenge.error }),
  };
}

export function authorizationResource(
  authz: AuthorizationRecord,
  challenges: readonly ChallengeRecord[],
  urls: AcmeUrls,
  now: number,
): Record<string, unknown> {
  const status = authorizationStatus(authz, now);
  // RFC 8555 §7.1.4: a valid authorization lists the challenge that validated it, an
  // invalid one the challenges that were tried; the others list what can be tried.
  const shown =
    status === 'valid'
      ? challenges.filter((c) => c.status === 'valid')
      : status === 'invalid'
        ? challenges.filter((c) => c.status !== 'pending')
        : challenges;
  return {
    identifier: authz.identifier,
    status,
    expires: authz.expires.toISOString(),
    challenges: shown.map((c) => challengeResource(c, urls)),
    ...(authz.wildcard ? { wildcard: true } : {}),
  };
}
