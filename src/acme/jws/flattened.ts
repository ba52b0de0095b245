/**
 * Reads an ACME request body as a JWS in the flattened JSON serialization (RFC 8555 §6.2),
 * the only form ACME allows: exactly `protected`, `payload` and `signature`, no
 * unprotected header, no general serialization. Only the shape is checked here; what the
 * header must hold depends on the caller (a request, an EAB, a key change's inner JWS).
 */
import { AcmeProblem } from '../problems.ts';

export interface JwsHeader {
  readonly alg: string;
  readonly nonce?: unknown;
  readonly url?: unknown;
  readonly jwk?: unknown;
  readonly kid?: unknown;
}

export interface FlattenedJws {
  readonly protected: string;
  readonly payload: string;
  readonly signature: string;
  readonly header: JwsHeader;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url (no padding, no other characters) to bytes; undefined when not. */
export function decodeBase64url(text: string): Buffer | undefined {
  return BASE64URL.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64url') : undefined;
}

/** Parses JSON that must be an object; undefined when it is not. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `what` names the JWS in details: "request", "externalAccountBinding", "inner JWS". */
export function parseFlattenedJws(value: unknown, what: string): FlattenedJws {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AcmeProblem('malformed', `the ${what} is not a JWS object`);
  }
  const fields = value as Record<string, unknown>;
  if ('signatures' in fields) {
    throw new AcmeProblem('malformed', `the ${what} must use the flattened JWS serialization`);
  }
  if ('header' in fields) {
    throw new AcmeProblem('malformed', `the ${what} must not have an unprotected header`);
  }
  const { protected: protectedB64, payload, signature } = fields;
  if (
    typeof protectedB64 !== 'string' ||
    typeof payload !== 'string' ||
    typeof signature !== 'string'
  ) {
    throw new AcmeProblem('malformed', `the ${what} needs string protected, payload and signature`);
  }
  const headerBytes = decodeBase64url(protectedB64);
  const header =
    headerBytes === undefined ? undefined : parseJsonObject(headerBytes.toString('utf8'));
  if (header === undefined) {
    throw new AcmeProblem('malformed', `the ${what}'s protected header is not base64url JSON`);
  }
  if (typeof header['alg'] !== 'string') {
    throw new AcmeProblem('malformed', `the ${what}'s protected header has no alg`);
  }
  if (header['jwk'] !== undefined && header['kid'] !== undefined) {
    throw new AcmeProblem('malformed', `the ${what} names both jwk and kid`);
  }
  return {
    protected: protectedB64,
    payload,
    signature,
    header: header as unknown as JwsHeader,
  };
}
