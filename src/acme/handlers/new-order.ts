/**
 * newOrder (RFC 8555 §7.4): checks the identifiers against the CA's policy, reuses the
 * account's still-valid authorizations (as Let's Encrypt does) and creates the others with
 * the challenges that apply, all in one store transaction.
 */
import { randomBytes } from 'node:crypto';
import type { Identifier } from '../../ca/types.ts';
import { offeredChallenges } from '../challenges/index.ts';
import type { AcmeContext } from '../context.ts';
import { authorizationTarget, parseOrderIdentifiers } from '../identifiers.ts';
import { LIFETIMES_MS, LIMITS } from '../limits.ts';
import { AcmeProblem } from '../problems.ts';
import { checkReplaces } from '../replaces.ts';
import { orderResource } from '../resources.ts';
import type { AccountRecord, NewAuthorization, OrderRecord } from '../store.ts';
import { checkPolicy } from './policy-check.ts';
import { type Handler, json, payloadOf, signer } from './types.ts';

const newId = (): string => randomBytes(16).toString('base64url');

async function authorizationFor(
  ctx: AcmeContext,
  account: AccountRecord,
  identifier: Identifier,
  expires: Date,
): Promise<{ id: string; fresh?: NewAuthorization; valid: boolean }> {
  const target = authorizationTarget(identifier);
  const now = ctx.now();
  const reusable = await ctx.store.findValidAuthorization(
    account.id,
    target.identifier,
    target.wildcard,
    new Date(now + LIFETIMES_MS.reuseMargin),
  );
  if (reusable !== undefined) return { id: reusable.id, valid: true };
  const id = newId();
  const authorization = {
    id,
    accountId: account.id,
    identifier: target.identifier,
    wildcard: target.wildcard,
    status: 'pending' as const,
    expires,
    createdAt: new Date(now),
  };
  const challenges = offeredChallenges(target).map((type) => ({
    id: newId(),
    authorizationId: id,
    type,
    token: randomBytes(32).toString('base64url'),
    status: 'pending' as const,
    validated: null,
    error: null,
  }));
  return { id, fresh: { authorization, challenges }, valid: false };
}

export const newOrder: Handler = async (input) => {
  const { ctx, urls } = input;
  const account = signer(input);
  const payload = payloadOf(input);
  const identifiers = parseOrderIdentifiers(payload['identifiers']);
  if (payload['notBefore'] !== undefined || payload['notAfter'] !== undefined) {
    throw new AcmeProblem(
      'malformed',
      'notBefore and notAfter are not supported: the CA policy sets the validity',
    );
  }
  const now = ctx.now();
  if ((await ctx.store.countOpenOrders(account.id, new Date(now))) >= LIMITS.openOrdersPerAccount) {
    throw new AcmeProblem(
      'rateLimited',
      `at most ${LIMITS.openOrdersPerAccount} pending or ready orders per account`,
      {
        headers: { 'retry-after': '60' },
      },
    );
  }
  checkPolicy(ctx.ca, identifiers);
  const replaces =
    payload['replaces'] === undefined
      ? null
      : await checkReplaces(ctx, account, payload['replaces'], identifiers);
  const expires = new Date(now + LIFETIMES_MS.order);
  const parts = [];
  for (const identifier of identifiers)
    parts.push(await authorizationFor(ctx, account, identifier, expires));
  const order: OrderRecord = {
    id: newId(),
    accountId: account.id,
    status: parts.every((p) => p.valid) ? 'ready' : 'pending',
    identifiers,
    authorizationIds: parts.map((p) => p.id),
    expires,
    createdAt: new Date(now),
    certificateSerial: null,
    error: null,
    replaces,
  };
  await ctx.store.createOrder(
    order,
    parts.flatMap((p) => (p.fresh === undefined ? [] : [p.fresh])),
  );
  ctx.metrics.orderEntered(order.status);
  return json(201, orderResource(order, urls), { location: urls.order(order.id) });
};
