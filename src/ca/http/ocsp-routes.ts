/**
 * The OCSP responder over HTTP (RFC 6960 appendix A): POST with an
 * `application/ocsp-request` body, or GET with the request base64-encoded in the path,
 * which caches and proxies can keep. Whatever the bytes, the answer is an OCSP response
 * (a `malformedRequest` one for garbage): the authority never throws for bad input, and
 * an OCSP client expects an OCSP structure, not an HTTP error page.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CaHttpAuthority } from './port.ts';

/** RFC 6960 requests are a few hundred bytes; a nonce and several CertIDs stay far below. */
export const MAX_OCSP_REQUEST_BYTES = 16 * 1024;

const OCSP_RESPONSE_TYPE = 'application/ocsp-response';

export function registerOcspRoutes(app: FastifyInstance, ca: CaHttpAuthority): void {
  app.addContentTypeParser(
    'application/ocsp-request',
    { parseAs: 'buffer', bodyLimit: MAX_OCSP_REQUEST_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post('/ocsp', { bodyLimit: MAX_OCSP_REQUEST_BYTES }, async (request, reply) => {
    const body = request.body;
    const bytes = body instanceof Uint8Array ? body : new Uint8Array(0);
    const answer = await ca.ocsp(bytes);
    return send(reply, answer.der, false);
  });

  // The request travels base64 (standard alphabet, so it may hold '/') and URL-encoded.
  app.get('/ocsp/*', async (request, reply) => {
    const encoded = (request.params as { '*': string })['*'];
    const answer = await ca.ocsp(decodeGetRequest(encoded));
    return send(reply, answer.der, answer.status === 'good' || answer.status === 'revoked');
  });
}

/** The DER bytes of a GET request's path, or nothing when it is not base64 or too long. */
export function decodeGetRequest(encoded: string): Uint8Array {
  if (encoded.length > (MAX_OCSP_REQUEST_BYTES * 4) / 3 + 64) return new Uint8Array(0);
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return new Uint8Array(0);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return new Uint8Array(0);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function send(reply: FastifyReply, der: Uint8Array, cacheable: boolean): FastifyReply {
  reply.header('content-type', OCSP_RESPONSE_TYPE);
  // A definite answer for a GET may be kept a little while; errors and POSTs may not.
  reply.header('cache-control', cacheable ? 'public, max-age=60, no-transform' : 'no-store');
  return reply.send(Buffer.from(der));
}
