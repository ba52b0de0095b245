/**
 * finalize (RFC 8555 §7.4): a ready order's CSR goes to the CA, which checks that it names
 * exactly the order's identifiers, and signs at once. A refused CSR leaves the order
 * ready, so the client can send a corrected one; only a failure of the CA itself makes
 * the order invalid.
 */
import { isWiretightError } from '../../errors.ts';
import type { AcmeContext } from '../context.ts';
import { decodeBase64url } from '../jws/flattened.ts';
import { moveOrder, refreshOrder } from '../lifecycle.ts';
import { LIMITS } from '../limits.ts';
import { AcmeProblem, problemDocument } from '../problems.ts';
import { orderResource } from '../resources.ts';
import type { OrderRecord } from '../store.ts';
import { ownedOrder } from './owned.ts';
import { checkPolicy } from './policy-check.ts';
import { type Handler, idParam, json, payloadOf, signer } from './types.ts';

function csrOf(payload: Record<string, unknown>): Uint8Array {
  const text = payload['csr'];
  if (typeof text !== 'string') throw new AcmeProblem('malformed', 'finalize needs a csr');
  const der = decodeBase64url(text);
  if (der === undefined || der.length === 0)
    throw new AcmeProblem('badCSR', 'the csr is not base64url');
  if (der.length > LIMITS.csrBytes)
    throw new AcmeProblem('badCSR', `the csr is over ${LIMITS.csrBytes} bytes`);
  return der;
}

/** The client's view of a CA refusal; undefined when the CA failed rather than refused. */
function refusal(ctx: AcmeContext, order: OrderRecord, error: unknown): AcmeProblem | undefined {
  if (!isWiretightError(error)) return undefined;
  if (error.code === 'WT_ERR_CA_CSR') return new AcmeProblem('badCSR', error.message);
  if (error.code !== 'WT_ERR_CA_POLICY') return undefined;
  // The identifiers were allowed when the order was made; a refusal now is the CSR's key
  // or the lifetime, unless the policy changed since.
  try {
    checkPolicy(ctx.ca, order.identifiers);
  } catch (problem) {
    return problem as AcmeProblem;
  }
  return new AcmeProblem('badCSR', error.message);
}

export const finalize: Handler = async (input) => {
  const { ctx, urls } = input;
  const account = signer(input);
  const csr = csrOf(payloadOf(input));
  const { order } = await refreshOrder(ctx, await ownedOrder(ctx, idParam(input), account));
  if (order.status !== 'ready')
    throw new AcmeProblem('orderNotReady', `the order is ${order.status}, not ready`);
  const processing = await moveOrder(ctx, order, ['ready'], { status: 'processing' });
  if (processing === undefined)
    throw new AcmeProblem('orderNotReady', 'the order is being finalized already');
  let serial: string;
  try {
    const issued = await ctx.ca.issueFromCsr(csr, {
      usage: ctx.issuance.usage,
      provisioner: 'acme',
      requestedBy: urls.account(account.id),
      expectedIdentifiers: order.identifiers,
      ...(ctx.issuance.lifetimeSeconds === undefined
        ? {}
        : { lifetimeSeconds: ctx.issuance.lifetimeSeconds }),
    });
    serial = issued.record.serial;
  } catch (error) {
    const problem = refusal(ctx, order, error);
    if (problem !== undefined) {
      await moveOrder(ctx, processing, ['processing'], { status: 'ready' });
      throw problem;
    }
    ctx.logger.error({ err: String(error), order: order.id }, 'acme: issuance failed');
    await moveOrder(ctx, processing, ['processing'], {
      status: 'invalid',
      error: problemDocument('serverInternal', 'the CA could not issue the certificate'),
    });
    throw new AcmeProblem('serverInternal', 'the CA could not issue the certificate');
  }
  const valid = await moveOrder(ctx, processing, ['processing'], {
    status: 'valid',
    certificateSerial: serial,
  });
  ctx.logger.info({ order: order.id, account: account.id, serial }, 'acme: certificate issued');
  const shown = valid ?? (await ctx.store.getOrder(order.id)) ?? processing;
  return json(200, orderResource(shown, urls), { location: urls.order(order.id) });
};
