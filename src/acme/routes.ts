/**
 * The ACME resources as one table: path, methods, how a request is signed, the handler,
 * and the endpoint label of the request metrics. The plugin registers exactly these.
 */
import { account, accountOrders } from './handlers/account.ts';
import { authorization } from './handlers/authorization.ts';
import { certificate } from './handlers/certificate.ts';
import { challenge } from './handlers/challenge.ts';
import { directory } from './handlers/directory.ts';
import { finalize } from './handlers/finalize.ts';
import { keyChange } from './handlers/key-change.ts';
import { newAccount } from './handlers/new-account.ts';
import { newNonce } from './handlers/new-nonce.ts';
import { newOrder } from './handlers/new-order.ts';
import { order } from './handlers/order.ts';
import { renewalInfo } from './handlers/renewal-info.ts';
import { revokeCert } from './handlers/revoke-cert.ts';
import type { Handler } from './handlers/types.ts';
import type { KeyMode } from './jws/authenticate.ts';
import { RESOURCE_PATHS } from './urls.ts';

export interface Route {
  /** The endpoint label of wiretight_acme_requests_total. */
  readonly endpoint: string;
  readonly methods: readonly ('GET' | 'HEAD' | 'POST')[];
  readonly path: string;
  /** 'none': an unauthenticated GET; otherwise a JWS POST signed as the mode says. */
  readonly auth: KeyMode | 'none';
  readonly handler: Handler;
}

const P = RESOURCE_PATHS;

export const ROUTES: readonly Route[] = [
  { endpoint: 'directory', methods: ['GET'], path: P.directory, auth: 'none', handler: directory },
  {
    endpoint: 'new-nonce',
    methods: ['GET', 'HEAD'],
    path: P.newNonce,
    auth: 'none',
    handler: newNonce,
  },
  {
    endpoint: 'new-account',
    methods: ['POST'],
    path: P.newAccount,
    auth: 'jwk',
    handler: newAccount,
  },
  {
    endpoint: 'account',
    methods: ['POST'],
    path: `${P.account}/:id`,
    auth: 'kid',
    handler: account,
  },
  {
    endpoint: 'account-orders',
    methods: ['POST'],
    path: `${P.account}/:id/orders`,
    auth: 'kid',
    handler: accountOrders,
  },
  { endpoint: 'key-change', methods: ['POST'], path: P.keyChange, auth: 'kid', handler: keyChange },
  { endpoint: 'new-order', methods: ['POST'], path: P.newOrder, auth: 'kid', handler: newOrder },
  { endpoint: 'order', methods: ['POST'], path: `${P.order}/:id`, auth: 'kid', handler: order },
  {
    endpoint: 'finalize',
    methods: ['POST'],
    path: `${P.order}/:id/finalize`,
    auth: 'kid',
    handler: finalize,
  },
  {
    endpoint: 'authz',
    methods: ['POST'],
    path: `${P.authz}/:id`,
    auth: 'kid',
    handler: authorization,
  },
  {
    endpoint: 'challenge',
    methods: ['POST'],
    path: `${P.challenge}/:id`,
    auth: 'kid',
    handler: challenge,
  },
  {
    endpoint: 'certificate',
    methods: ['POST'],
    path: `${P.certificate}/:id`,
    auth: 'kid',
    handler: certificate,
  },
  {
    endpoint: 'revoke-cert',
    methods: ['POST'],
    path: P.revokeCert,
    auth: 'jwk-or-kid',
    handler: revokeCert,
  },
  {
    endpoint: 'renewal-info',
    methods: ['GET'],
    path: `${P.renewalInfo}/:certId`,
    auth: 'none',
    handler: renewalInfo,
  },
];
