import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DecodeError } from '../../errors.ts';
import { TLS13_IV_LENGTH, tls13Suite } from './suites.ts';
import type { Tls13Hash } from './suites.ts';
import { HANDSHAKE_TYPE } from '../handshake.ts';
import { handshakeMessageType, isHelloRetryRequest, transcriptHash } from './transcript.ts';

/**
 * The client's half of the TLS 1.3 key schedule (RFC 8446 §7.1) up to the handshake
 * traffic secrets, without PSK: HKDF-Extract, HKDF-Expand-Label, Derive-Secret, and the
 * record key and IV of a traffic secret.
 */

export function hkdfExtract(hash: Tls13Hash, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(hash, salt).update(ikm).digest());
}

/** HKDF-Expand (RFC 5869 §2.3). */
export function hkdfExpand(
  hash: Tls13Hash,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  const hashLength = createHash(hash).digest().length;
  if (!Number.isInteger(length) || length < 0 || length > 255 * hashLength) {
    throw new RangeError(`HKDF-Expand length ${length} out of range 0..${255 * hashLength}`);
  }
  const out = new Uint8Array(length);
  let block: Uint8Array = new Uint8Array(0);
  for (let at = 0, counter = 1; at < length; counter++) {
    block = createHmac(hash, prk)
      .update(block)
      .update(info)
      .update(Uint8Array.of(counter))
      .digest();
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/** HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix. */
export function hkdfExpandLabel(
  hash: Tls13Hash,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1');
  if (fullLabel.length > 255 || context.length > 255 || length > 0xffff) {
    throw new RangeError('HKDF-Expand-Label label, context or length too long');
  }
  const info = new Uint8Array(2 + 1 + fullLabel.length + 1 + context.length);
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = fullLabel.length;
  info.set(fullLabel, 3);
  info[3 + fullLabel.length] = context.length;
  info.set(context, 4 + fullLabel.length);
  return hkdfExpand(hash, secret, info, length);
}

/** Derive-Secret(Secret, Label, Messages), given the transcript hash of Messages. */
export function deriveSecret(
  hash: Tls13Hash,
  secret: Uint8Array,
  label: string,
  transcript: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcript, transcript.length);
}

export interface HandshakeSecrets {
  readonly suite: number;
  readonly earlySecret: Uint8Array;
  readonly handshakeSecret: Uint8Array;
  /** Transcript-Hash(ClientHello..ServerHello), HelloRetryRequest rule applied. */
  readonly transcriptHash: Uint8Array;
  readonly clientHandshakeTrafficSecret: Uint8Array;
  readonly serverHandshakeTrafficSecret: Uint8Array;
}

/**
 * The handshake traffic secrets from the (EC)DHE/KEM shared secret and the hello messages,
 * each whole with its 4-byte header: [ClientHello, ServerHello] or
 * [ClientHello1, HelloRetryRequest, ClientHello2, ServerHello].
 */
export function deriveHandshakeSecrets(
  suiteId: number,
  sharedSecret: Uint8Array,
  helloMessages: readonly Uint8Array[],
): HandshakeSecrets {
  const suite = tls13Suite(suiteId);
  checkHelloMessages(helloMessages);
  const zeros = new Uint8Array(suite.hashLength);
  const emptyHash = new Uint8Array(createHash(suite.hash).digest());
  const earlySecret = hkdfExtract(suite.hash, zeros, zeros);
  const derived = deriveSecret(suite.hash, earlySecret, 'derived', emptyHash);
  const handshakeSecret = hkdfExtract(suite.hash, derived, sharedSecret);
  const th = transcriptHash(suite.hash, helloMessages);
  return {
    suite: suiteId,
    earlySecret,
    handshakeSecret,
    transcriptHash: th,
    clientHandshakeTrafficSecret: deriveSecret(suite.hash, handshakeSecret, 'c hs traffic', th),
    serverHandshakeTrafficSecret: deriveSecret(suite.hash, handshakeSecret, 's hs traffic', th),
  };
}

function checkHelloMessages(messages: readonly Uint8Array[]): void {
  const { client_hello: clientHello, server_hello: serverHello } = HANDSHAKE_TYPE;
  const expected =
    messages.length === 2
      ? [clientHello, serverHello]
      : messages.length === 4
        ? [clientHello, serverHello, clientHello, serverHello]
        : undefined;
  if (expected === undefined) {
    throw new TypeError(
      `expected [ClientHello, ServerHello] or [ClientHello1, HelloRetryRequest, ClientHello2, ServerHello], got ${messages.length} message(s)`,
    );
  }
  messages.forEach((message, i) => {
    const path = `Transcript[${i}]`;
    const type = handshakeMessageType(message, path);
    if (type !== expected[i]) {
      throw new DecodeError(path, 0, `expected handshake type ${expected[i]}, got ${type}`);
    }
    const retry = isHelloRetryRequest(message);
    if (type === serverHello && retry !== (messages.length === 4 && i === 1)) {
      throw new DecodeError(
        path,
        6,
        retry
          ? 'a HelloRetryRequest where the ServerHello belongs'
          : 'expected a HelloRetryRequest',
      );
    }
  });
}

/** The record protection key and IV of a traffic secret (RFC 8446 §7.3). */
export function trafficKeys(
  suiteId: number,
  trafficSecret: Uint8Array,
): { key: Uint8Array; iv: Uint8Array } {
  const suite = tls13Suite(suiteId);
  return {
    key: hkdfExpandLabel(suite.hash, trafficSecret, 'key', new Uint8Array(0), suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, trafficSecret, 'iv', new Uint8Array(0), TLS13_IV_LENGTH),
  };
}

/** Finished.verify_data for a base key (a handshake traffic secret) and transcript hash (§4.4.4). */
export function finishedVerifyData(
  suiteId: number,
  baseKey: Uint8Array,
  transcript: Uint8Array,
): Uint8Array {
  const suite = tls13Suite(suiteId);
  const finishedKey = hkdfExpandLabel(
    suite.hash,
    baseKey,
    'finished',
    new Uint8Array(0),
    suite.hashLength,
  );
  return new Uint8Array(createHmac(suite.hash, finishedKey).update(transcript).digest());
}

/**
 * Whether the server's Finished is genuine: `messages` are the handshake messages from the
 * first ClientHello up to and including CertificateVerify, `verifyData` the Finished body.
 */
export function verifyServerFinished(
  suiteId: number,
  serverHandshakeTrafficSecret: Uint8Array,
  messages: readonly Uint8Array[],
  verifyData: Uint8Array,
): boolean {
  const suite = tls13Suite(suiteId);
  const expected = finishedVerifyData(
    suiteId,
    serverHandshakeTrafficSecret,
    transcriptHash(suite.hash, messages),
  );
  return expected.length === verifyData.length && timingSafeEqual(expected, verifyData);
}
