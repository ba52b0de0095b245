/**
 * The account resource (RFC 8555 §7.3.2, §7.3.6): POST-as-GET reads it, a payload may
 * replace the contacts or deactivate the account for good.
 */
import { parseContacts } from '../contact.ts';
import { LIMITS } from '../limits.ts';
import { AcmeProblem } from '../problems.ts';
import { accountResource } from '../resources.ts';
import type { AccountRecord } from '../store.ts';
import { type Handler, type HandlerInput, idParam, json, signer } from './types.ts';

function ownAccount(input: HandlerInput): AccountRecord {
  const account = signer(input);
  if (idParam(input) !== account.id) {
    throw new AcmeProblem('unauthorized', 'the request is signed by another account');
  }
  return account;
}

export const account: Handler = async (input) => {
  const { ctx, urls } = input;
  const current = ownAccount(input);
  const payload = input.auth?.payload;
  if (payload === undefined) return json(200, accountResource(current, urls));
  const status = payload['status'];
  if (status !== undefined && status !== 'valid' && status !== 'deactivated') {
    throw new AcmeProblem('malformed', 'an account can only be deactivated');
  }
  const changes = {
    ...(status === 'deactivated' ? { status: 'deactivated' as const } : {}),
    ...(payload['contact'] === undefined ? {} : { contact: parseContacts(payload['contact']) }),
  };
  const updated =
    Object.keys(changes).length === 0
      ? current
      : await ctx.store.updateAccount(current.id, changes);
  if (updated === undefined) throw new AcmeProblem('accountDoesNotExist', 'the account is gone');
  if (status === 'deactivated')
    ctx.logger.info({ account: current.id }, 'acme: account deactivated');
  return json(200, accountResource(updated, urls));
};

/** RFC 8555 §7.1.2.1: the account's orders that are not invalid, newest first. */
export const accountOrders: Handler = async (input) => {
  const current = ownAccount(input);
  const ids = await input.ctx.store.listOrderIds(current.id, LIMITS.listedOrders);
  return json(200, { orders: ids.map((id) => input.urls.order(id)) });
};
