/**
 * The shape every ACME handler has: it gets the authenticated request (or nothing, for
 * the unauthenticated GETs) and returns a reply; refusals are thrown AcmeProblems. The
 * plugin owns HTTP: headers common to all replies, problem documents, metrics.
 */
import type { AccountRecord } from '../store.ts';
import type { AcmeContext } from '../context.ts';
import type { AuthenticatedRequest } from '../jws/authenticate.ts';
import { AcmeProblem } from '../problems.ts';
import type { AcmeUrls } from '../urls.ts';

export interface AcmeReply {
  readonly status: number;
  /** JSON unless `contentType` says otherwise (then a string). */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HandlerInput {
  readonly ctx: AcmeContext;
  readonly urls: AcmeUrls;
  /** The URL the request was made to, as the client signed it. */
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly method: string;
  /** Present for POST resources. */
  readonly auth: AuthenticatedRequest | undefined;
}

export type Handler = (input: HandlerInput) => Promise<AcmeReply>;

/** The signing account of a kid request (the route's key mode guarantees there is one). */
export function signer(input: HandlerInput): AccountRecord {
  const account = input.auth?.account;
  if (account === undefined)
    throw new AcmeProblem('malformed', 'this request must be signed by kid');
  return account;
}

/** The payload of a request that must not be POST-as-GET. */
export function payloadOf(input: HandlerInput): Record<string, unknown> {
  const payload = input.auth?.payload;
  if (payload === undefined)
    throw new AcmeProblem('malformed', 'this request needs a JSON payload');
  return payload;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A path id of the shape ours have; anything else cannot name a resource. */
export function idParam(input: HandlerInput, name = 'id'): string {
  const id = input.params[name];
  if (id === undefined || !ID.test(id))
    throw new AcmeProblem('malformed', 'no such resource', { status: 404 });
  return id;
}

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): AcmeReply => ({
  status,
  body,
  headers,
});
