/**
 * Certificate download (RFC 8555 §7.4.2): the leaf and the intermediate, PEM, for the
 * account that ordered it.
 */
import { AcmeProblem } from '../problems.ts';
import { type Handler, idParam, signer } from './types.ts';

const SERIAL = /^[0-9a-f]{2,64}$/;

export const certificate: Handler = async (input) => {
  const { ctx } = input;
  const account = signer(input);
  const serial = idParam(input);
  const order = SERIAL.test(serial) ? await ctx.store.findOrderByCertificate(serial) : undefined;
  const record = order === undefined ? undefined : await ctx.ca.get(serial);
  if (order === undefined || record === undefined) {
    throw new AcmeProblem('malformed', 'no such certificate', { status: 404 });
  }
  if (order.accountId !== account.id) {
    throw new AcmeProblem('unauthorized', 'the certificate belongs to another account');
  }
  const leaf = toPem(record.der);
  const intermediate = ctx.ca.intermediatePem.endsWith('\n')
    ? ctx.ca.intermediatePem
    : `${ctx.ca.intermediatePem}\n`;
  return {
    status: 200,
    body: `${leaf}${intermediate}`,
    contentType: 'application/pem-certificate-chain',
  };
};

export function toPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
