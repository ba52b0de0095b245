import { refreshOrder } from '../lifecycle.ts';
import { orderResource } from '../resources.ts';
import { ownedOrder } from './owned.ts';
import { type Handler, idParam, json, signer } from './types.ts';

/** POST-as-GET of an order (RFC 8555 §7.1.3), brought up to date first. */
export const order: Handler = async (input) => {
  const { ctx, urls } = input;
  const { order: current } = await refreshOrder(
    ctx,
    await ownedOrder(ctx, idParam(input), signer(input)),
  );
  return json(
    200,
    orderResource(current, urls),
    current.status === 'processing' ? { 'retry-after': '1' } : {},
  );
};
