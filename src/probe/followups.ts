import { changeCipherSpecRecord } from '../wire/change-cipher-spec.ts';
import { HEARTBEAT_MESSAGE_TYPE, encodeHeartbeatMessage } from '../wire/heartbeat.ts';
import { CONTENT_TYPE, encodeRecords } from '../wire/record.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import type { PremasterVariant } from '../wire/rsa-premaster.ts';
import type { FollowUpPlan, ServerFlight } from './followup-exchange.ts';
import { planRsaKeyExchange } from './rsa-key-exchange.ts';

/** What to send after a server's flight; the bytes are computed from the flight itself. */
export type FollowUp =
  /**
   * A cleartext heartbeat request whose payload_length claims `claimedLength` bytes while the
   * record carries only `payload` (the classic Heartbleed test), sent only when the server
   * echoed the heartbeat extension.
   */
  | {
      readonly kind: 'heartbeat-request';
      readonly payload: Uint8Array;
      readonly claimedLength: number;
    }
  /**
   * A ChangeCipherSpec before any key exchange (CVE-2014-0224); if the server stays silent,
   * then a record that only a server which switched keys would try (and fail) to decrypt.
   */
  | { readonly kind: 'early-ccs' }
  /** An RSA ClientKeyExchange with premaster block `variant`, a CCS and a garbage Finished (ROBOT). */
  | { readonly kind: 'rsa-premaster'; readonly variant: PremasterVariant };

/**
 * The record sent after an early CCS. 96 bytes fit any suite's IV, MAC and padding, so a
 * server that switched keys fails on the MAC (bad_record_mac) rather than on the length.
 */
export const POST_CCS_GARBAGE = new Uint8Array(96).fill(0x5a);

/** The steps of `followUp` for this flight, or why it cannot be sent. */
export function planFollowUp(
  followUp: FollowUp,
  flight: ServerFlight,
  clientVersion: number,
): FollowUpPlan {
  const version = flight.facts.version;
  switch (followUp.kind) {
    case 'heartbeat-request':
      return planHeartbeat(followUp.payload, followUp.claimedLength, flight);
    case 'early-ccs':
      return {
        steps: [
          { bytes: changeCipherSpecRecord(version) },
          { bytes: encodeRecords(CONTENT_TYPE.alert, version, POST_CCS_GARBAGE) },
        ],
      };
    case 'rsa-premaster':
      return planRsaKeyExchange(followUp.variant, flight, clientVersion);
  }
}

function planHeartbeat(
  payload: Uint8Array,
  claimedLength: number,
  flight: ServerFlight,
): FollowUpPlan {
  if (!flight.facts.extensionTypes.includes(X.heartbeat)) {
    return { declined: 'the server did not acknowledge the heartbeat extension' };
  }
  const request = encodeHeartbeatMessage({
    type: HEARTBEAT_MESSAGE_TYPE.heartbeat_request,
    payloadLength: claimedLength,
    payload,
    padding: new Uint8Array(0),
  });
  return {
    steps: [
      {
        bytes: encodeRecords(CONTENT_TYPE.heartbeat, flight.facts.version, request),
        stopAtFirstRecord: true,
      },
    ],
  };
}
