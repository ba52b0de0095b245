/**
 * Loading an order, authorization or challenge by its URL id for the signing account: an
 * unknown id is 404, another account's object is unauthorized.
 */
import { AcmeProblem } from '../problems.ts';
import type { AccountRecord, AuthorizationRecord, ChallengeRecord, OrderRecord } from '../store.ts';
import type { AcmeContext } from '../context.ts';

function owned<T extends { readonly accountId: string }>(
  found: T | undefined,
  account: AccountRecord,
  what: string,
): T {
  if (found === undefined) throw new AcmeProblem('malformed', `no such ${what}`, { status: 404 });
  if (found.accountId !== account.id) {
    throw new AcmeProblem('unauthorized', `the ${what} belongs to another account`);
  }
  return found;
}

export async function ownedOrder(
  ctx: AcmeContext,
  id: string,
  account: AccountRecord,
): Promise<OrderRecord> {
  return owned(await ctx.store.getOrder(id), account, 'order');
}

export async function ownedAuthorization(
  ctx: AcmeContext,
  id: string,
  account: AccountRecord,
): Promise<AuthorizationRecord> {
  return owned(await ctx.store.getAuthorization(id), account, 'authorization');
}

export async function ownedChallenge(
  ctx: AcmeContext,
  id: string,
  account: AccountRecord,
): Promise<{ challenge: ChallengeRecord; authorization: AuthorizationRecord }> {
  const challenge = await ctx.store.getChallenge(id);
  if (challenge === undefined)
    throw new AcmeProblem('malformed', 'no such challenge', { status: 404 });
  const authorization = await ownedAuthorization(ctx, challenge.authorizationId, account);
  return { challenge, authorization };
}
