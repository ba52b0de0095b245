/**
 * keyChange (RFC 8555 §7.3.5): the account's key is replaced by the inner JWS's key; from
 * then on only the new key signs for the account. A key held by another account is a
 * conflict (409) naming that account.
 */
import { verifyKeyChange } from '../jws/key-change.ts';
import { AcmeProblem } from '../problems.ts';
import { accountResource } from '../resources.ts';
import { type Handler, json, payloadOf, signer } from './types.ts';

export const keyChange: Handler = async (input) => {
  const { ctx, urls } = input;
  const current = signer(input);
  const next = await verifyKeyChange(
    payloadOf(input),
    input.url,
    current,
    urls.account(current.id),
  );
  if (next.thumbprint === current.thumbprint) {
    throw new AcmeProblem('malformed', 'the new key is the account key already');
  }
  const result = await ctx.store.changeAccountKey(current.id, next.key, next.thumbprint);
  if (!result.changed) {
    throw new AcmeProblem('malformed', 'the new key belongs to another account', {
      status: 409,
      headers: { location: urls.account(result.holderId) },
    });
  }
  ctx.logger.info({ account: current.id }, 'acme: account key changed');
  return json(200, accountResource(result.account, urls));
};
