// Pinned hello material for the client-simulation tests: a check's jobs must not depend on
// node:crypto's randomness. Test-only (testdata/ is not built).
import assert from 'node:assert/strict';
import type { ClientKeyShare } from '../../../wire/tls13/key-exchange.ts';
import type { HelloMaterial } from '../replay.ts';

/** key_exchange lengths of real shares, so a pinned hello has the length a real one has. */
const SHARE_LENGTHS: ReadonlyMap<number, number> = new Map([
  [0x0017, 65],
  [0x0018, 97],
  [0x0019, 133],
  [0x001d, 32],
  [0x001e, 56],
]);

/**
 * A share whose public half is the group's low byte repeated. It has no private half:
 * asking it for a shared secret fails the test (only tests that decrypt need real keys).
 */
export function pinnedShare(group: number): ClientKeyShare {
  return {
    group,
    publicKey: new Uint8Array(SHARE_LENGTHS.get(group) ?? 32).fill(group & 0xff),
    sharedSecret: () => assert.fail(`a pinned ${group} share was asked to decrypt`),
  };
}

/** Randoms of sevens and pinned shares. */
export const PINNED_MATERIAL: HelloMaterial = {
  random: (n) => new Uint8Array(n).fill(7),
  keyShare: pinnedShare,
};
