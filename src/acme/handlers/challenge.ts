/**
 * The challenge resource (RFC 8555 §7.5.1): a POST with a payload ({}) asks the server to
 * validate; the reply waits for the validation (up to validation.waitMs) so it usually
 * shows the result. POST-as-GET only reads.
 */
import { authorizationStatus } from '../state.ts';
import { challengeResource } from '../resources.ts';
import { ownedChallenge } from './owned.ts';
import { resumeStalled } from './resume.ts';
import { type Handler, idParam, json, signer } from './types.ts';

export const challenge: Handler = async (input) => {
  const { ctx, urls } = input;
  const account = signer(input);
  const id = idParam(input);
  const { challenge: found, authorization } = await ownedChallenge(ctx, id, account);
  const siblings = await ctx.store.listChallenges(authorization.id);
  await resumeStalled(ctx, siblings, authorization, account);
  const triggered = input.auth?.payload !== undefined;
  const open = authorizationStatus(authorization, ctx.now()) === 'pending';
  // One attempt per authorization at a time: a second challenge waits for the first's verdict.
  const busy = siblings.some((c) => c.status === 'processing');
  if (triggered && open && !busy && found.status === 'pending') {
    await ctx.validations.start(found, authorization, account);
  }
  await ctx.validations.wait(id, ctx.validation.waitMs);
  const current = (await ctx.store.getChallenge(id)) ?? found;
  return json(200, challengeResource(current, urls), {
    link: `<${urls.authz(authorization.id)}>;rel="up"`,
    ...(current.status === 'processing' ? { 'retry-after': '1' } : {}),
  });
};
