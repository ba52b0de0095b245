/**
 * newAccount (RFC 8555 §7.3): an account per key. The same key again returns the existing
 * account (200); onlyReturnExisting only looks it up; an external account binding is
 * checked when given and demanded when the server requires one.
 */
import { randomBytes } from 'node:crypto';
import { parseContacts } from '../contact.ts';
import { verifyExternalAccountBinding } from '../jws/external-account-binding.ts';
import { thumbprint } from '../jws/account-key.ts';
import { AcmeProblem } from '../problems.ts';
import { accountResource } from '../resources.ts';
import type { AccountRecord } from '../store.ts';
import { type Handler, type HandlerInput, json, payloadOf } from './types.ts';

function existing(input: HandlerInput, account: AccountRecord): ReturnType<typeof json> {
  if (account.status !== 'valid')
    throw new AcmeProblem('unauthorized', `the account is ${account.status}`);
  return json(200, accountResource(account, input.urls), {
    location: input.urls.account(account.id),
  });
}

export const newAccount: Handler = async (input) => {
  const { ctx, urls } = input;
  const payload = payloadOf(input);
  const key = input.auth?.key;
  if (key === undefined) throw new AcmeProblem('malformed', 'newAccount is signed with jwk');
  const print = await thumbprint(key);
  const found = await ctx.store.findAccountByThumbprint(print);
  if (found !== undefined) return existing(input, found);
  if (payload['onlyReturnExisting'] === true) {
    throw new AcmeProblem('accountDoesNotExist', 'no account has this key');
  }
  const contact = payload['contact'] === undefined ? [] : parseContacts(payload['contact']);
  const agreed = payload['termsOfServiceAgreed'] === true;
  if (ctx.termsOfService !== undefined && !agreed) {
    throw new AcmeProblem('malformed', `agree to the terms of service (${ctx.termsOfService})`);
  }
  const binding = payload['externalAccountBinding'];
  let externalAccountKeyId: string | null = null;
  if (binding !== undefined) {
    if (ctx.eab === undefined) {
      throw new AcmeProblem('malformed', 'this server has no external account binding keys');
    }
    externalAccountKeyId = await verifyExternalAccountBinding(
      binding,
      key,
      urls.of('newAccount'),
      ctx.eab.keys,
    );
  } else if (ctx.eab?.required === true) {
    throw new AcmeProblem('externalAccountRequired', 'new accounts need an externalAccountBinding');
  }
  const { account, created } = await ctx.store.createAccount({
    id: randomBytes(12).toString('base64url'),
    key,
    thumbprint: print,
    status: 'valid',
    contact,
    termsOfServiceAgreed: agreed,
    externalAccountKeyId,
    createdAt: new Date(ctx.now()),
  });
  if (!created) return existing(input, account);
  ctx.logger.info({ account: account.id, eab: externalAccountKeyId }, 'acme: account created');
  return json(201, accountResource(account, urls), { location: urls.account(account.id) });
};
