/**
 * The one table of ACME problem types (RFC 8555 §6.7, RFC 9773 §7.4) this server sends,
 * each with the HTTP status it usually travels with. Handlers throw an AcmeProblem; the
 * plugin turns it into an `application/problem+json` response, so every refusal is typed
 * and no handler writes status codes or type URNs by hand.
 */
import { WiretightError } from '../errors.ts';
import type { Identifier } from '../ca/types.ts';

export const PROBLEM_TYPES = {
  accountDoesNotExist: 400,
  alreadyReplaced: 409,
  alreadyRevoked: 400,
  badCSR: 400,
  badNonce: 400,
  badPublicKey: 400,
  badRevocationReason: 400,
  badSignatureAlgorithm: 400,
  connection: 400,
  dns: 400,
  externalAccountRequired: 400,
  incorrectResponse: 400,
  invalidContact: 400,
  malformed: 400,
  orderNotReady: 403,
  rateLimited: 429,
  rejectedIdentifier: 400,
  serverInternal: 500,
  tls: 400,
  unauthorized: 403,
  unsupportedContact: 400,
  unsupportedIdentifier: 400,
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export const PROBLEM_URN_PREFIX = 'urn:ietf:params:acme:error:';

/** The JSON body of a problem (RFC 7807), as sent and as stored on orders and challenges. */
export interface ProblemDocument {
  readonly type: string;
  readonly detail: string;
  readonly status: number;
  readonly identifier?: Identifier;
  readonly subproblems?: readonly ProblemDocument[];
  /** badSignatureAlgorithm: the algorithms the server accepts (RFC 8555 §6.2). */
  readonly algorithms?: readonly string[];
}

export interface ProblemOptions {
  /** An HTTP status other than the type's usual one (malformed is 404, 405, 409, 413, 415…). */
  readonly status?: number;
  readonly identifier?: Identifier;
  readonly subproblems?: readonly ProblemDocument[];
  readonly algorithms?: readonly string[];
  /** Extra response headers, e.g. the Location of the account a key already belongs to. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Builds the document of a problem type; the status comes from the table unless overridden. */
export function problemDocument(
  type: ProblemType,
  detail: string,
  options: ProblemOptions = {},
): ProblemDocument {
  return {
    type: `${PROBLEM_URN_PREFIX}${type}`,
    detail,
    status: options.status ?? PROBLEM_TYPES[type],
    ...(options.identifier === undefined ? {} : { identifier: options.identifier }),
    ...(options.subproblems === undefined ? {} : { subproblems: options.subproblems }),
    ...(options.algorithms === undefined ? {} : { algorithms: options.algorithms }),
  };
}

/** A refused ACME request: the plugin answers it with its problem document. */
export class AcmeProblem extends WiretightError {
  readonly problemType: ProblemType;
  readonly document: ProblemDocument;
  readonly headers: Readonly<Record<string, string>>;

  constructor(type: ProblemType, detail: string, options: ProblemOptions = {}) {
    super('WT_ERR_ACME_REQUEST', `${type}: ${detail}`);
    this.name = 'AcmeProblem';
    this.problemType = type;
    this.document = problemDocument(type, detail, options);
    this.headers = options.headers ?? {};
  }
}

/** The short type name of a problem URN of ours (for metrics labels), or 'other'. */
export function shortProblemType(urn: string): ProblemType | 'other' {
  const short = urn.startsWith(PROBLEM_URN_PREFIX) ? urn.slice(PROBLEM_URN_PREFIX.length) : '';
  return Object.hasOwn(PROBLEM_TYPES, short) ? (short as ProblemType) : 'other';
}
