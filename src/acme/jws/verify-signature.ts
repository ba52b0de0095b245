/**
 * Checks a flattened JWS's signature with jose and decodes its payload as ACME reads it:
 * an empty payload is POST-as-GET (RFC 8555 §6.3), anything else must be a JSON object.
 */
import { type CryptoKey, flattenedVerify } from 'jose';
import { AcmeProblem, type ProblemType } from '../problems.ts';
import { type FlattenedJws, parseJsonObject } from './flattened.ts';

/** The payload bytes when the signature verifies with `key` under `alg`; `failure` otherwise. */
export async function verifySignature(
  jws: FlattenedJws,
  key: CryptoKey | Uint8Array,
  alg: string,
  what: string,
  failure: ProblemType = 'malformed',
): Promise<Uint8Array> {
  try {
    const { payload } = await flattenedVerify(
      { protected: jws.protected, payload: jws.payload, signature: jws.signature },
      key,
      { algorithms: [alg] },
    );
    return payload;
  } catch {
    throw new AcmeProblem(failure, `the ${what}'s signature does not verify`);
  }
}

/** Undefined for POST-as-GET (empty payload), else the payload's JSON object. */
export function decodePayload(
  bytes: Uint8Array,
  what: string,
): Record<string, unknown> | undefined {
  if (bytes.length === 0) return undefined;
  const value = parseJsonObject(Buffer.from(bytes).toString('utf8'));
  if (value === undefined)
    throw new AcmeProblem('malformed', `the ${what}'s payload is not a JSON object`);
  return value;
}
