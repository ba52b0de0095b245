/**
 * Mounts the ACME server under /acme/ on a fastify instance. The routes are one table
 * (path, method, how the request is signed, handler); this file owns everything HTTP: the
 * application/jose+json body (capped before parsing), authentication, the headers every
 * reply carries (a fresh Replay-Nonce, even on errors; the directory link), problem
 * documents for every refusal — never a stack trace — and the request metrics.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { silentLogger } from '../core/logger.ts';
import { isWiretightError } from '../errors.ts';
import type { AcmeContext } from './context.ts';
import type { AcmeReply } from './handlers/types.ts';
import { authenticate } from './jws/authenticate.ts';
import { AccountKeyCache } from './jws/key-cache.ts';
import { LIMITS } from './limits.ts';
import { createAcmeMetrics } from './metrics.ts';
import { NonceStore } from './nonces.ts';
import { type AcmeOptions, checkOptions, resolveValidation } from './options.ts';
import { AcmeProblem, type ProblemDocument } from './problems.ts';
import { ROUTES, type Route } from './routes.ts';
import { ACME_PREFIX, AcmeUrls, RESOURCE_PATHS } from './urls.ts';
import { ValidationRunner } from './validations.ts';

/** Fastify's own refusals (before a handler runs), as ACME problems. */
const FASTIFY_ERRORS: Readonly<Record<string, { status: number; detail: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    detail: `the request body is over ${LIMITS.bodyBytes} bytes`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    detail: 'the request body must be application/jose+json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    detail: 'the Content-Length does not match the body',
  },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, detail: 'the request has no Content-Type' },
};

function problemOf(error: unknown, ctx: AcmeContext, request: FastifyRequest): AcmeProblem {
  if (error instanceof AcmeProblem) return error;
  const code = (error as Partial<FastifyError> | null)?.code;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (known !== undefined)
    return new AcmeProblem('malformed', known.detail, { status: known.status });
  const status = (error as Partial<FastifyError> | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AcmeProblem('malformed', 'the request is not valid HTTP for this resource', {
      status,
    });
  }
  ctx.logger.error(
    {
      err: isWiretightError(error) ? error.toJSON() : String(error),
      stack: error instanceof Error ? error.stack : undefined,
      method: request.method,
      url: request.url,
    },
    'acme: request failed',
  );
  return new AcmeProblem('serverInternal', 'the server could not complete the request');
}

function sendProblem(
  ctx: AcmeContext,
  endpoint: string,
  problem: AcmeProblem,
  reply: FastifyReply,
): FastifyReply {
  const doc: ProblemDocument = problem.document;
  ctx.metrics.problem(problem.problemType);
  ctx.metrics.request(endpoint, doc.status >= 500 ? 'error' : 'problem');
  return reply
    .code(doc.status)
    .headers(problem.headers)
    .type('application/problem+json')
    .send(JSON.stringify(doc));
}

function sendReply(
  ctx: AcmeContext,
  endpoint: string,
  result: AcmeReply,
  reply: FastifyReply,
): FastifyReply {
  ctx.metrics.request(endpoint, 'ok');
  reply.code(result.status).headers(result.headers ?? {});
  if (result.body === undefined) return reply.send();
  if (result.contentType !== undefined) return reply.type(result.contentType).send(result.body);
  return reply.type('application/json').send(JSON.stringify(result.body));
}

function parseBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) throw new AcmeProblem('malformed', 'the request has no body');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new AcmeProblem('malformed', 'the request body is not JSON');
  }
}

async function serve(
  ctx: AcmeContext,
  route: Route,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const baseUrl = ctx.baseUrl();
  const urls = new AcmeUrls(baseUrl);
  const url = `${baseUrl}${request.url}`;
  try {
    if (request.method !== 'POST' && route.auth !== 'none') {
      throw new AcmeProblem('malformed', 'this resource is read with POST-as-GET', {
        status: 405,
        headers: { allow: 'POST' },
      });
    }
    const auth =
      route.auth === 'none'
        ? undefined
        : await authenticate(parseBody(request.body), route.auth, {
            url,
            nonces: ctx.nonces,
            accountUrlPrefix: urls.account(''),
            findAccount: (id) => ctx.store.getAccount(id),
            keyCache: ctx.keyCache,
          });
    const params = (request.params ?? {}) as Record<string, string>;
    const result = await route.handler({ ctx, urls, url, params, method: request.method, auth });
    return sendReply(ctx, route.endpoint, result, reply);
  } catch (error) {
    return sendProblem(ctx, route.endpoint, problemOf(error, ctx, request), reply);
  }
}

/** Headers of every ACME reply: a nonce to sign the next request with, and the directory. */
function addCommonHeaders(ctx: AcmeContext, request: FastifyRequest, reply: FastifyReply): void {
  const directoryUrl = new AcmeUrls(ctx.baseUrl()).of('directory');
  const isDirectory = request.url === `${ACME_PREFIX}${RESOURCE_PATHS.directory}`;
  const isRenewalInfo = request.url.startsWith(`${ACME_PREFIX}${RESOURCE_PATHS.renewalInfo}/`);
  if (!(request.method === 'GET' && (isDirectory || isRenewalInfo))) {
    reply.header('replay-nonce', ctx.nonces.issue());
    reply.header('cache-control', 'no-store');
  }
  if (!isDirectory) {
    const link = reply.getHeader('link');
    const index = `<${directoryUrl}>;rel="index"`;
    reply.header('link', link === undefined ? index : [String(link), index]);
  }
}

export interface AcmeServer {
  /** The context the routes share (for tests and the service's health checks). */
  readonly context: AcmeContext;
}

/**
 * Registers the ACME routes under /acme/ in their own fastify scope (their body parser,
 * error and not-found handlers do not touch the service's other routes). Running
 * validations are stopped when the fastify instance closes.
 */
export function registerAcme(app: FastifyInstance, options: AcmeOptions): AcmeServer {
  checkOptions(options);
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const { store } = options;
  const metrics = createAcmeMetrics(
    options.registry,
    () => store.countOrders(new Date(now())),
    logger,
  );
  const validation = resolveValidation(options.validation);
  const validations = new ValidationRunner({ store, metrics, now, logger, settings: validation });
  const context: AcmeContext = {
    ca: options.ca,
    store,
    nonces: new NonceStore({ now }),
    keyCache: new AccountKeyCache(),
    metrics,
    logger,
    now,
    baseUrl: options.baseUrl,
    eab: options.eab,
    termsOfService: options.termsOfService,
    validation,
    validations,
    issuance: {
      usage: options.issuanceUsage ?? 'server',
      lifetimeSeconds: options.certificateLifetimeSeconds,
    },
  };
  app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        'application/jose+json',
        { parseAs: 'buffer', bodyLimit: LIMITS.bodyBytes },
        (_request, body, done) => done(null, body),
      );
      scope.addHook('onSend', async (request, reply, payload) => {
        addCommonHeaders(context, request, reply);
        return payload;
      });
      scope.addHook('onClose', async () => validations.close());
      scope.setErrorHandler((error, request, reply) => {
        const endpoint =
          (request.routeOptions.config as { endpoint?: string }).endpoint ?? 'unknown';
        return sendProblem(context, endpoint, problemOf(error, context, request), reply);
      });
      scope.setNotFoundHandler((_request, reply) =>
        sendProblem(
          context,
          'unknown',
          new AcmeProblem('malformed', 'no such resource', { status: 404 }),
          reply,
        ),
      );
      for (const route of ROUTES) {
        const methods = route.auth === 'none' ? route.methods : (['POST', 'GET'] as const);
        scope.route({
          method: [...methods],
          url: route.path,
          exposeHeadRoute: false,
          config: { endpoint: route.endpoint },
          handler: (request, reply) => serve(context, route, request, reply),
        });
      }
    },
    { prefix: ACME_PREFIX },
  );
  return { context };
}
