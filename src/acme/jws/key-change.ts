/**
 * The inner JWS of a keyChange (RFC 8555 §7.3.5): signed by the new key (embedded as
 * `jwk`), for the same URL as the outer request, with the payload {account, oldKey}. The
 * outer JWS, signed by the current key, has been authenticated already.
 */
import { AcmeProblem } from '../problems.ts';
import type { AccountKey, AccountRecord } from '../store.ts';
import { accountKeyFromJwk, algorithmFits, importAccountKey, thumbprint } from './account-key.ts';
import { ACCOUNT_ALGORITHM_NAMES, isAccountAlgorithm } from './algorithms.ts';
import { parseFlattenedJws } from './flattened.ts';
import { decodePayload, verifySignature } from './verify-signature.ts';

const WHAT = 'inner JWS';

export interface NewAccountKey {
  readonly key: AccountKey;
  readonly thumbprint: string;
}

export async function verifyKeyChange(
  inner: unknown,
  outerUrl: string,
  account: AccountRecord,
  accountUrl: string,
): Promise<NewAccountKey> {
  const jws = parseFlattenedJws(inner, WHAT);
  const { alg, url, jwk } = jws.header;
  if (!isAccountAlgorithm(alg)) {
    throw new AcmeProblem('badSignatureAlgorithm', `the ${WHAT}'s alg is not accepted`, {
      algorithms: ACCOUNT_ALGORITHM_NAMES,
    });
  }
  if (jwk === undefined) throw new AcmeProblem('malformed', `the ${WHAT} must carry the new jwk`);
  if (url !== outerUrl) {
    throw new AcmeProblem('malformed', `the ${WHAT}'s url differs from the outer JWS's`);
  }
  const key = accountKeyFromJwk(jwk);
  if (!algorithmFits(alg, key)) {
    throw new AcmeProblem('malformed', `alg ${alg} does not fit a ${key['kty']} key`);
  }
  const bytes = await verifySignature(jws, await importAccountKey(key, alg), alg, WHAT);
  const payload = decodePayload(bytes, WHAT);
  if (payload?.['account'] !== accountUrl) {
    throw new AcmeProblem('malformed', `the ${WHAT}'s account is not the signing account`);
  }
  const oldKey = accountKeyFromJwk(payload['oldKey']);
  if ((await thumbprint(oldKey)) !== account.thumbprint) {
    throw new AcmeProblem('unauthorized', `the ${WHAT}'s oldKey is not the account's key`);
  }
  return { key, thumbprint: await thumbprint(key) };
}
