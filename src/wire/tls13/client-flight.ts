import { ByteWriter } from '../../core/bytes.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../handshake.ts';
import { finishedVerifyData } from './key-schedule.ts';

/**
 * The handshake messages of the client's second flight (RFC 8446 §4.4, §4.5), each whole
 * with its header, ready for the transcript and for sealing: an empty Certificate when the
 * server asked for one (a scanner has none to give), EndOfEarlyData after accepted 0-RTT,
 * and Finished.
 */

/** Certificate with the request's context and no certificate_list entries (§4.4.2). */
export function emptyClientCertificate(requestContext: Uint8Array): Uint8Array {
  const body = new ByteWriter(4 + requestContext.length)
    .vectorOf(1, requestContext)
    .u24(0)
    .finish();
  return encodeHandshake(HANDSHAKE_TYPE.certificate, body);
}

/** EndOfEarlyData: an empty message, sealed under the client early traffic secret (§4.5). */
export function endOfEarlyData(): Uint8Array {
  return encodeHandshake(HANDSHAKE_TYPE.end_of_early_data, new Uint8Array(0));
}

/**
 * The client's Finished: verify_data over Transcript-Hash(ClientHello..last message
 * before it), keyed by the client handshake traffic secret.
 */
export function clientFinished(
  suiteId: number,
  clientHandshakeTrafficSecret: Uint8Array,
  transcript: Uint8Array,
): Uint8Array {
  return encodeHandshake(
    HANDSHAKE_TYPE.finished,
    finishedVerifyData(suiteId, clientHandshakeTrafficSecret, transcript),
  );
}
