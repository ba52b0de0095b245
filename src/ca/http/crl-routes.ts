/**
 * The CRL distribution point and the CA's public certificates. The CRL is served as DER
 * (`application/pkix-crl`, what CDP consumers fetch) with its number as ETag and its
 * nextUpdate as Expires, so a poller re-downloads only when a new CRL exists.
 */
import type { FastifyInstance } from 'fastify';
import type { CaHttpAuthority } from './port.ts';

export function registerCrlRoutes(app: FastifyInstance, ca: CaHttpAuthority): void {
  app.get('/crl', async (request, reply) => {
    const crl = await ca.currentCrl();
    const etag = `"crl-${crl.number.toString(16)}"`;
    reply
      .header('etag', etag)
      .header('last-modified', crl.thisUpdate.toUTCString())
      .header('expires', crl.nextUpdate.toUTCString())
      .header('cache-control', 'public, no-transform, must-revalidate');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('content-type', 'application/pkix-crl').send(Buffer.from(crl.der));
  });

  app.get('/root.pem', async (_request, reply) =>
    reply.header('content-type', 'application/x-pem-file').send(ca.rootPem),
  );
  app.get('/intermediate.pem', async (_request, reply) =>
    reply.header('content-type', 'application/x-pem-file').send(ca.intermediatePem),
  );
}
