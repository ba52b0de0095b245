import { type Handler, json } from './types.ts';

/** RFC 8555 §7.1.1, with RFC 9773's renewalInfo. */
export const directory: Handler = async ({ ctx, urls }) =>
  json(200, {
    newNonce: urls.of('newNonce'),
    newAccount: urls.of('newAccount'),
    newOrder: urls.of('newOrder'),
    revokeCert: urls.of('revokeCert'),
    keyChange: urls.of('keyChange'),
    renewalInfo: urls.of('renewalInfo'),
    meta: {
      externalAccountRequired: ctx.eab?.required === true,
      ...(ctx.termsOfService === undefined ? {} : { termsOfService: ctx.termsOfService }),
    },
  });
