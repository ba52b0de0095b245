/**
 * The authorization resource (RFC 8555 §7.5, §7.5.2): POST-as-GET reads it, with its
 * challenges; {"status": "deactivated"} gives it up, which invalidates the orders using it.
 */
import { refreshOrdersOf } from '../lifecycle.ts';
import { AcmeProblem } from '../problems.ts';
import { authorizationResource } from '../resources.ts';
import { ownedAuthorization } from './owned.ts';
import { resumeStalled } from './resume.ts';
import { type Handler, idParam, json, signer } from './types.ts';

export const authorization: Handler = async (input) => {
  const { ctx, urls } = input;
  const account = signer(input);
  let authz = await ownedAuthorization(ctx, idParam(input), account);
  const payload = input.auth?.payload;
  if (payload !== undefined) {
    if (payload['status'] !== 'deactivated') {
      throw new AcmeProblem('malformed', 'an authorization can only be deactivated');
    }
    const moved = await ctx.store.updateAuthorization(authz.id, ['pending', 'valid'], {
      status: 'deactivated',
    });
    if (moved === undefined)
      throw new AcmeProblem('malformed', `the authorization is ${authz.status}`);
    authz = moved;
    await refreshOrdersOf(ctx, authz.id);
  }
  const challenges = await ctx.store.listChallenges(authz.id);
  await resumeStalled(ctx, challenges, authz, account);
  const processing = challenges.some((c) => c.status === 'processing');
  return json(
    200,
    authorizationResource(authz, challenges, urls, ctx.now()),
    processing ? { 'retry-after': '1' } : {},
  );
};
