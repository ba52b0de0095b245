/**
 * `wiretight ca serve` as a library: one HTTPS listener carrying ACME, OCSP, the CRL, the
 * mTLS renewal endpoint, /metrics and /healthz, and optionally a plain-HTTP listener for
 * OCSP and the CRL (where relying parties such as `openssl verify -crl_download` fetch
 * them; both are signed, so HTTP loses nothing). The HTTPS listener presents a certificate
 * from the CA itself, renewed in place at two thirds of its lifetime so the service never
 * serves an expired one, and the CRL is refreshed on a timer as well as on revocation.
 */
import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import type { Server as HttpsServer } from 'node:https';
import fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../core/logger.ts';
import type { CertificateAuthority } from '../ca/authority.ts';
import { registerCaRoutes, registerRevocationRoutes } from '../ca/http/index.ts';
import type { Identifier } from '../ca/types.ts';
import { registerMetricsRoute } from '../metrics/route.ts';
import type { AcmeOptions } from './options.ts';
import { registerAcme } from './plugin.ts';
import { PROBLEM_URN_PREFIX } from './problems.ts';
import { ACME_PREFIX } from './urls.ts';
import type { AcmeStore } from './store.ts';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** The logger both the service and fastify write to: a pino instance satisfies it. */
export type ServiceLogger = Logger & FastifyBaseLogger;

export interface CaServiceOptions {
  readonly ca: CertificateAuthority;
  readonly acmeStore: AcmeStore;
  readonly listen: HostPort;
  /** A plain-HTTP listener for OCSP and the CRL only. */
  readonly httpListen?: HostPort;
  /** Names the HTTPS certificate carries besides the listen address (DNS names or IPs). */
  readonly names?: readonly string[];
  /** How clients reach the HTTPS listener; default `https://<listen host>:<port>`. */
  readonly publicUrl?: string;
  readonly registry: Registry;
  readonly logger: ServiceLogger;
  readonly acme?: Omit<AcmeOptions, 'ca' | 'store' | 'baseUrl' | 'registry' | 'logger'>;
  /** How often the CRL is checked for regeneration; the CA decides whether it is due. */
  readonly crlCheckSeconds?: number;
  /** Lifetime of the HTTPS certificate (default: the policy's default lifetime). */
  readonly servingLifetimeSeconds?: number;
  /** How often the HTTPS certificate is checked for renewal (default 60 s). */
  readonly servingCheckSeconds?: number;
}

export interface CaService {
  /** The HTTPS base URL; the ACME directory is `${url}/acme/directory`. */
  readonly url: string;
  readonly httpUrl: string | undefined;
  /** The HTTPS listener's current certificate chain (PEM) and its expiry. */
  servingCertificate(): { chainPem: string; notAfter: Date };
  close(): Promise<void>;
}

/** Request bodies above this are refused before parsing (each route sets its own lower cap). */
const MAX_BODY_BYTES = 256 * 1024;

export async function startCaService(options: CaServiceOptions): Promise<CaService> {
  const { ca, logger } = options;
  const identifiers = servingIdentifiers(options.listen.host, options.names ?? []);
  const issueServing = (): Promise<ServingCertificate> =>
    issueServingCertificate(ca, identifiers, options.servingLifetimeSeconds);
  let serving = await issueServing();

  const app = fastify({
    https: {
      key: serving.keyPem,
      cert: serving.chainPem,
      // Ask every client for a certificate but let none fail the handshake: ACME clients
      // have none, and only /renew insists (it reads socket.authorized).
      requestCert: true,
      rejectUnauthorized: false,
      ca: [ca.rootPem, ca.intermediatePem],
      minVersion: 'TLSv1.2',
    },
    loggerInstance: logger,
    logController: new OneLinePerRequest(),
    bodyLimit: MAX_BODY_BYTES,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    return503OnClosing: true,
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      const answer = unroutable(request.url, status);
      // fastify types this reply with the route generics of no route; the calls are plain.
      const plain = reply as unknown as SimpleReply;
      plain.code(status).type(answer.type).send(JSON.stringify(answer.body));
    },
  }) as unknown as FastifyInstance;
  // fastify types an HTTPS instance with the https server generic; the routes are written
  // against the default one and use nothing that differs between the two.

  // Known once the listener is bound (port 0 picks one); ACME builds its URLs from it.
  let publicUrl = options.publicUrl ?? urlOf('https', options.listen);
  registerCaRoutes(app, ca);
  registerMetricsRoute(app, options.registry);
  registerAcme(app, {
    ...options.acme,
    ca,
    store: options.acmeStore,
    baseUrl: () => publicUrl,
    registry: options.registry,
    logger,
  });
  app.get('/healthz', async () => {
    const crl = await ca.currentCrl();
    return {
      status: 'ok',
      servingCertificateNotAfter: serving.notAfter.toISOString(),
      crlNextUpdate: crl.nextUpdate.toISOString(),
    };
  });

  const httpApp = options.httpListen === undefined ? undefined : plainRevocationApp(ca, logger);
  await app.listen({ host: options.listen.host, port: options.listen.port });
  if (httpApp !== undefined && options.httpListen !== undefined) {
    await httpApp.listen({ host: options.httpListen.host, port: options.httpListen.port });
  }

  const timers = new Set<NodeJS.Timeout>();
  const every = (ms: number, fn: () => Promise<void>): void => {
    const t = setInterval(() => {
      fn().catch((error: unknown) =>
        logger.error({ err: error }, 'ca serve: background task failed'),
      );
    }, ms);
    t.unref();
    timers.add(t);
  };
  every((options.crlCheckSeconds ?? 300) * 1000, async () => {
    await ca.currentCrl();
  });
  // Checked every minute rather than one long timer: a laptop that slept past the renewal
  // point renews on wake, and a timer never exceeds setTimeout's 24.8-day limit.
  every((options.servingCheckSeconds ?? 60) * 1000, async () => {
    if (!renewalDue(serving)) return;
    serving = await issueServing();
    (app.server as unknown as HttpsServer).setSecureContext({
      key: serving.keyPem,
      cert: serving.chainPem,
      ca: [ca.rootPem, ca.intermediatePem],
    });
    logger.info(
      { notAfter: serving.notAfter.toISOString() },
      'ca serve: serving certificate renewed',
    );
  });

  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.listen.port;
  publicUrl = options.publicUrl ?? urlOf('https', { host: options.listen.host, port });
  const httpAddress = httpApp?.server.address();
  return {
    url: publicUrl,
    httpUrl:
      typeof httpAddress === 'object' && httpAddress !== null && options.httpListen !== undefined
        ? urlOf('http', { host: options.httpListen.host, port: httpAddress.port })
        : undefined,
    servingCertificate: () => ({ chainPem: serving.chainPem, notAfter: serving.notAfter }),
    close: async () => {
      for (const t of timers) clearInterval(t);
      await Promise.all([app.close(), httpApp?.close()]);
    },
  };
}

interface ServingCertificate {
  readonly keyPem: string;
  readonly chainPem: string;
  /** When it was signed: notBefore is set back by the clock-skew margin. */
  readonly issuedAt: Date;
  readonly notAfter: Date;
}

async function issueServingCertificate(
  ca: CertificateAuthority,
  identifiers: readonly Identifier[],
  lifetimeSeconds: number | undefined,
): Promise<ServingCertificate> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await ca.issue({
    publicKey,
    identifiers,
    usage: 'server',
    provisioner: 'library',
    requestedBy: 'ca serve (its own HTTPS certificate)',
    ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
  });
  return {
    keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    chainPem: issued.chainPem,
    issuedAt: issued.record.issuedAt,
    notAfter: issued.record.notAfter,
  };
}

function renewalDue(cert: ServingCertificate, now = Date.now()): boolean {
  const lifetime = cert.notAfter.getTime() - cert.issuedAt.getTime();
  return now >= cert.issuedAt.getTime() + (lifetime * 2) / 3;
}

/**
 * The names of the HTTPS certificate: the listen address unless it is a wildcard
 * address, then the extra names. A wildcard address with no names has nothing a client
 * could verify, so it is refused.
 */
export function servingIdentifiers(listenHost: string, names: readonly string[]): Identifier[] {
  const all = [listenHost, ...names].filter((n) => n !== '0.0.0.0' && n !== '::' && n !== '');
  if (all.length === 0) {
    throw new RangeError('listening on a wildcard address needs --name with the name clients use');
  }
  const unique = [...new Set(all.map((n) => n.toLowerCase()))];
  return unique.map((value) => ({ type: isIP(value) === 0 ? 'dns' : 'ip', value }));
}

function plainRevocationApp(ca: CertificateAuthority, logger: ServiceLogger): FastifyInstance {
  const app = fastify({
    loggerInstance: logger,
    logController: new OneLinePerRequest(),
    bodyLimit: MAX_BODY_BYTES,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  }) as unknown as FastifyInstance;
  registerRevocationRoutes(app, ca);
  return app;
}

/** One line per request, after the answer: enough to follow a client without the noise. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      method: request.method,
      url: request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      remote: request.ip,
    };
    if (error) request.log.error({ ...fields, err: error.message }, 'request failed');
    else request.log.info(fields, 'request');
  }
}

/**
 * Requests fastify's router refuses before any route sees them (a URL that is not valid
 * percent-encoding, a path segment over the length cap): under /acme/ they get an ACME
 * problem document, as every other ACME refusal does; elsewhere a plain JSON error.
 */
interface SimpleReply {
  code(status: number): { type(contentType: string): { send(body: string): unknown } };
}

function unroutable(url: string, status: number): { type: string; body: unknown } {
  const detail = 'the request URL cannot be routed';
  return url.startsWith(`${ACME_PREFIX}/`)
    ? {
        type: 'application/problem+json',
        body: { type: `${PROBLEM_URN_PREFIX}malformed`, detail, status },
      }
    : { type: 'application/json', body: { error: detail, status } };
}

function urlOf(scheme: 'http' | 'https', at: HostPort): string {
  const host = isIP(at.host) === 6 ? `[${at.host}]` : at.host;
  return `${scheme}://${host}:${at.port}`;
}
