/**
 * External account binding (RFC 8555 §7.3.4): the newAccount payload carries a JWS, MAC'd
 * with a key the operator handed out, whose payload is the new account's own JWK. It
 * proves the account's creator holds that key; the key id is recorded on the account.
 */
import { AcmeProblem } from '../problems.ts';
import type { AccountKey } from '../store.ts';
import { accountKeyFromJwk, thumbprint } from './account-key.ts';
import { EAB_ALGORITHMS, isEabAlgorithm } from './algorithms.ts';
import { parseFlattenedJws } from './flattened.ts';
import { decodePayload, verifySignature } from './verify-signature.ts';

const WHAT = 'externalAccountBinding';

/** The EAB key id when `binding` is a valid binding of `accountKey`; a problem otherwise. */
export async function verifyExternalAccountBinding(
  binding: unknown,
  accountKey: AccountKey,
  newAccountUrl: string,
  keys: ReadonlyMap<string, Uint8Array>,
): Promise<string> {
  const jws = parseFlattenedJws(binding, WHAT);
  const { alg, kid, url, nonce, jwk } = jws.header;
  if (!isEabAlgorithm(alg)) {
    throw new AcmeProblem('malformed', `the ${WHAT} must use ${EAB_ALGORITHMS.join(', ')}`);
  }
  if (nonce !== undefined || jwk !== undefined) {
    throw new AcmeProblem('malformed', `the ${WHAT} must not carry a nonce or a jwk`);
  }
  if (url !== newAccountUrl) {
    throw new AcmeProblem('unauthorized', `the ${WHAT}'s url is not ${newAccountUrl}`);
  }
  const secret = typeof kid === 'string' ? keys.get(kid) : undefined;
  if (typeof kid !== 'string' || secret === undefined) {
    throw new AcmeProblem('unauthorized', `the ${WHAT} names an unknown key id`);
  }
  const payload = decodePayload(
    await verifySignature(jws, secret, alg, WHAT, 'unauthorized'),
    WHAT,
  );
  const bound = accountKeyFromJwk(payload);
  if ((await thumbprint(bound)) !== (await thumbprint(accountKey))) {
    throw new AcmeProblem('unauthorized', `the ${WHAT} binds a different key than the request's`);
  }
  return kid;
}
