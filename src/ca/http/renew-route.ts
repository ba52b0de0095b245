/**
 * The mTLS renewal endpoint: a service proves who it is with the certificate it holds
 * (verified by the TLS layer against this CA) and gets a fresh one for the same identity,
 * so renewal needs no token, password or ACME account. An optional CSR in the body
 * (`application/pkcs10`, DER or PEM) renews onto a new key; without one the current key is
 * kept.
 */
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WiretightError, type ErrorCode } from '../../errors.ts';
import { pemBlocks } from '../../pki/pem.ts';
import type { CaHttpAuthority } from './port.ts';

export const MAX_RENEW_CSR_BYTES = 64 * 1024;

/** How each refusal maps to HTTP: the requester's fault, or not allowed. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  WT_ERR_CA_RENEW: 403,
  WT_ERR_CA_REVOKED: 403,
  WT_ERR_CA_POLICY: 403,
  WT_ERR_CA_NOT_FOUND: 403,
  WT_ERR_CA_CSR: 400,
  WT_ERR_PKI_DECODE: 400,
};

export function registerRenewRoute(app: FastifyInstance, ca: CaHttpAuthority): void {
  for (const type of ['application/pkcs10', 'application/x-pem-file']) {
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: MAX_RENEW_CSR_BYTES },
      (_request, body, done) => done(null, body),
    );
  }

  app.post('/renew', { bodyLimit: MAX_RENEW_CSR_BYTES }, async (request, reply) => {
    const socket = request.raw.socket as Partial<TLSSocket>;
    const presented = socket.getPeerCertificate?.();
    if (presented === undefined || presented.raw === undefined) {
      return refuse(reply, 'WT_ERR_CA_RENEW', 'no client certificate was presented');
    }
    if (socket.authorized !== true) {
      const why = String(socket.authorizationError ?? 'not verified');
      return refuse(
        reply,
        'WT_ERR_CA_RENEW',
        `the client certificate does not verify against this CA: ${why}`,
      );
    }
    try {
      const csr = csrFromBody(request.body, request.headers['content-type']);
      const renewed = await ca.renew(
        new Uint8Array(presented.raw),
        csr === undefined ? { requestedBy: 'mtls' } : { csr, requestedBy: 'mtls' },
      );
      return reply
        .header('content-type', 'application/pem-certificate-chain')
        .header('cache-control', 'no-store')
        .send(renewed.chainPem);
    } catch (error) {
      if (error instanceof WiretightError && STATUS_BY_CODE[error.code] !== undefined) {
        return refuse(reply, error.code, error.message);
      }
      throw error;
    }
  });
}

function csrFromBody(body: unknown, contentType: string | undefined): Uint8Array | undefined {
  if (!(body instanceof Uint8Array) || body.length === 0) return undefined;
  if (contentType?.startsWith('application/pkcs10') === true) return new Uint8Array(body);
  const request = pemBlocks(Buffer.from(body).toString('latin1')).find(
    (block) => block.label === 'CERTIFICATE REQUEST' || block.label === 'NEW CERTIFICATE REQUEST',
  );
  if (request === undefined) {
    throw new WiretightError('WT_ERR_CA_CSR', 'the body holds no PEM CERTIFICATE REQUEST');
  }
  return request.der;
}

function refuse(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply
    .code(STATUS_BY_CODE[code] ?? 400)
    .header('cache-control', 'no-store')
    .send({ error: { code, message } });
}
