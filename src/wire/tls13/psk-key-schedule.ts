import { createHash } from 'node:crypto';
import { HANDSHAKE_TYPE } from '../handshake.ts';
import { DecodeError } from '../../errors.ts';
import {
  type HandshakeSecrets,
  deriveSecret,
  finishedVerifyData,
  hkdfExtract,
} from './key-schedule.ts';
import { tls13Suite } from './suites.ts';
import { handshakeMessageType, transcriptHash } from './transcript.ts';

/**
 * The early stage of the TLS 1.3 key schedule with a PSK (RFC 8446 §7.1): the early
 * secret from the PSK, the binder key and the binder that proves the client holds the
 * PSK (§4.2.11.2), the client early traffic secret that protects 0-RTT data, and the
 * handshake secrets that follow from that early secret.
 */

function emptyHash(suiteId: number): Uint8Array {
  return new Uint8Array(createHash(tls13Suite(suiteId).hash).digest());
}

/** Early Secret = HKDF-Extract(0, PSK). */
export function earlySecretFromPsk(suiteId: number, psk: Uint8Array): Uint8Array {
  const suite = tls13Suite(suiteId);
  if (psk.length === 0) throw new RangeError('a PSK cannot be empty');
  return hkdfExtract(suite.hash, new Uint8Array(suite.hashLength), psk);
}

/** binder_key: "res binder" for resumption tickets, "ext binder" for external PSKs. */
export function binderKey(
  suiteId: number,
  earlySecret: Uint8Array,
  kind: 'resumption' | 'external' = 'resumption',
): Uint8Array {
  const label = kind === 'resumption' ? 'res binder' : 'ext binder';
  return deriveSecret(tls13Suite(suiteId).hash, earlySecret, label, emptyHash(suiteId));
}

/**
 * A PSK binder: computed like Finished.verify_data, with the binder key as base key,
 * over Transcript-Hash(ClientHello truncated before the binders).
 */
export function pskBinder(
  suiteId: number,
  binderKeyValue: Uint8Array,
  truncatedHelloHash: Uint8Array,
): Uint8Array {
  return finishedVerifyData(suiteId, binderKeyValue, truncatedHelloHash);
}

/** client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello). */
export function clientEarlyTrafficSecret(
  suiteId: number,
  earlySecret: Uint8Array,
  clientHello: Uint8Array,
): Uint8Array {
  const { hash } = tls13Suite(suiteId);
  return deriveSecret(hash, earlySecret, 'c e traffic', transcriptHash(hash, [clientHello]));
}

/**
 * The handshake traffic secrets of a handshake whose early secret is given (from a PSK,
 * or the all-zero one of a full handshake), for [ClientHello, ServerHello] each whole
 * with its header. A HelloRetryRequest turns 0-RTT down, so it has no place here.
 */
export function deriveHandshakeSecretsFrom(
  suiteId: number,
  earlySecret: Uint8Array,
  sharedSecret: Uint8Array,
  helloMessages: readonly [Uint8Array, Uint8Array],
): HandshakeSecrets {
  const { hash } = tls13Suite(suiteId);
  const expected = [HANDSHAKE_TYPE.client_hello, HANDSHAKE_TYPE.server_hello];
  helloMessages.forEach((message, i) => {
    const type = handshakeMessageType(message, `Transcript[${i}]`);
    if (type !== expected[i]) {
      throw new DecodeError(`Transcript[${i}]`, 0, `expected type ${expected[i]}, got ${type}`);
    }
  });
  const derived = deriveSecret(hash, earlySecret, 'derived', emptyHash(suiteId));
  const handshakeSecret = hkdfExtract(hash, derived, sharedSecret);
  const th = transcriptHash(hash, helloMessages);
  return {
    suite: suiteId,
    earlySecret,
    handshakeSecret,
    transcriptHash: th,
    clientHandshakeTrafficSecret: deriveSecret(hash, handshakeSecret, 'c hs traffic', th),
    serverHandshakeTrafficSecret: deriveSecret(hash, handshakeSecret, 's hs traffic', th),
  };
}

/** The early secret of a handshake without a PSK: HKDF-Extract(0, 0). */
export function zeroEarlySecret(suiteId: number): Uint8Array {
  const { hash, hashLength } = tls13Suite(suiteId);
  const zeros = new Uint8Array(hashLength);
  return hkdfExtract(hash, zeros, zeros);
}
