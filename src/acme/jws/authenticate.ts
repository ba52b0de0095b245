/**
 * Authenticates one ACME POST (RFC 8555 §6.2-6.5): the flattened JWS, an account-key
 * algorithm, the exact request URL, a nonce this server issued and nobody used, and the
 * signing key — the request's own `jwk` (newAccount, revokeCert) or the stored key of the
 * account its `kid` names. The order of the checks follows Boulder: cheap header checks
 * first, the nonce before the signature, so a replay is reported as badNonce.
 */
import { AcmeProblem } from '../problems.ts';
import type { AccountKey, AccountRecord } from '../store.ts';
import type { NonceStore } from '../nonces.ts';
import { accountKeyFromJwk, algorithmFits, importAccountKey } from './account-key.ts';
import type { AccountKeyCache } from './key-cache.ts';
import {
  ACCOUNT_ALGORITHM_NAMES,
  type AccountAlgorithm,
  isAccountAlgorithm,
} from './algorithms.ts';
import { type FlattenedJws, type JwsHeader, parseFlattenedJws } from './flattened.ts';
import { decodePayload, verifySignature } from './verify-signature.ts';

/** How a resource identifies the signer: by embedded key, by account URL, or either. */
export type KeyMode = 'jwk' | 'kid' | 'jwk-or-kid';

export interface AuthenticatedRequest {
  readonly jws: FlattenedJws;
  readonly header: JwsHeader;
  readonly alg: AccountAlgorithm;
  /** The JSON payload; undefined for POST-as-GET. */
  readonly payload: Record<string, unknown> | undefined;
  /** The signing key (the jwk, or the kid account's key). */
  readonly key: AccountKey;
  /** The account, when the request was signed by kid. */
  readonly account?: AccountRecord;
}

export interface AuthenticationContext {
  /** The URL the client must have signed: the server's base URL and the request path. */
  readonly url: string;
  readonly nonces: NonceStore;
  /** Account URLs are this prefix followed by the account id. */
  readonly accountUrlPrefix: string;
  readonly findAccount: (id: string) => Promise<AccountRecord | undefined>;
  /** Imported keys of accounts (kid requests); jwk requests import their key each time. */
  readonly keyCache: AccountKeyCache;
}

function checkAlgorithm(alg: string): AccountAlgorithm {
  if (isAccountAlgorithm(alg)) return alg;
  throw new AcmeProblem(
    'badSignatureAlgorithm',
    `alg "${alg.slice(0, 20)}" is not accepted for account keys`,
    { algorithms: ACCOUNT_ALGORITHM_NAMES },
  );
}

async function accountOf(kid: unknown, context: AuthenticationContext): Promise<AccountRecord> {
  if (typeof kid !== 'string' || !kid.startsWith(context.accountUrlPrefix)) {
    throw new AcmeProblem('malformed', 'kid is not an account URL of this server');
  }
  const account = await context.findAccount(kid.slice(context.accountUrlPrefix.length));
  if (account === undefined) {
    throw new AcmeProblem('accountDoesNotExist', 'no account has this kid');
  }
  if (account.status !== 'valid') {
    throw new AcmeProblem('unauthorized', `the account is ${account.status}`);
  }
  return account;
}

export async function authenticate(
  body: unknown,
  mode: KeyMode,
  context: AuthenticationContext,
): Promise<AuthenticatedRequest> {
  const jws = parseFlattenedJws(body, 'request');
  const { header } = jws;
  const alg = checkAlgorithm(header.alg);
  const byJwk = header.jwk !== undefined;
  if (!byJwk && header.kid === undefined) {
    throw new AcmeProblem('malformed', 'the protected header needs jwk or kid');
  }
  if (mode === 'jwk' && !byJwk) {
    throw new AcmeProblem('malformed', 'this resource is requested with jwk, not kid');
  }
  if (mode === 'kid' && byJwk) {
    throw new AcmeProblem('malformed', 'this resource is requested with kid, not jwk');
  }
  if (typeof header.url !== 'string' || header.url !== context.url) {
    throw new AcmeProblem('unauthorized', `the protected header's url is not ${context.url}`);
  }
  if (typeof header.nonce !== 'string' || !context.nonces.consume(header.nonce)) {
    throw new AcmeProblem('badNonce', 'the nonce is unknown, used or expired');
  }
  const account = byJwk ? undefined : await accountOf(header.kid, context);
  const key = account?.key ?? accountKeyFromJwk(header.jwk);
  if (!algorithmFits(alg, key)) {
    throw new AcmeProblem('malformed', `alg ${alg} does not fit a ${key['kty']} key`);
  }
  const cryptoKey =
    account === undefined
      ? await importAccountKey(key, alg)
      : await context.keyCache.get(key, account.thumbprint, alg);
  const payloadBytes = await verifySignature(jws, cryptoKey, alg, 'request');
  const payload = decodePayload(payloadBytes, 'request');
  return { jws, header, alg, payload, key, ...(account === undefined ? {} : { account }) };
}
