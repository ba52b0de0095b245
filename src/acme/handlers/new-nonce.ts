import type { Handler } from './types.ts';

/** RFC 8555 §7.2: the Replay-Nonce header (added to every reply) is the answer. */
export const newNonce: Handler = async ({ method }) => ({
  status: method === 'HEAD' ? 200 : 204,
  headers: { 'cache-control': 'no-store' },
});
