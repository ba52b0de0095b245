/**
 * What a challenge validator is given and what it concludes. A failed validation is data
 * (an outcome carrying the problem to show the client), not an exception: the server said
 * no, the connection failed, the record was wrong.
 */
import type { Identifier } from '../../ca/types.ts';
import type { ProblemDocument } from '../problems.ts';

export interface ValidationTarget {
  /** The authorization's identifier (a wildcard's base domain). */
  readonly identifier: Identifier;
  readonly token: string;
  /** token "." base64url(SHA-256 thumbprint of the account key), RFC 8555 §8.1. */
  readonly keyAuthorization: string;
}

export interface ValidationSettings {
  readonly http01Port: number;
  readonly tlsAlpn01Port: number;
  /** 'HOST:PORT' of the DNS server to ask (dns-01 TXT, and A/AAAA of names); system default otherwise. */
  readonly dnsResolver?: string;
  /** Testing only: connect here instead of the identifier's address. */
  readonly connectHost?: string;
  readonly timeoutMs: number;
}

export type ValidationOutcome =
  { readonly valid: true } | { readonly valid: false; readonly problem: ProblemDocument };

export type Validator = (
  target: ValidationTarget,
  settings: ValidationSettings,
  signal: AbortSignal,
) => Promise<ValidationOutcome>;

export const VALID: ValidationOutcome = { valid: true };
