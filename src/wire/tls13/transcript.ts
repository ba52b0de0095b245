import { createHash } from 'node:crypto';
import { ByteReader, bytesEqual } from '../../core/bytes.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../handshake.ts';
import { HELLO_RETRY_REQUEST_RANDOM } from '../server-hello.ts';
import type { Tls13Hash } from './suites.ts';

/**
 * The handshake transcript hash (RFC 8446 §4.4.1), including the HelloRetryRequest rule:
 * when the second message is a HelloRetryRequest, the first ClientHello is replaced by the
 * synthetic message_hash message `254 || 00 00 Hash.length || Hash(ClientHello1)`.
 */

/**
 * Checks that `message` is one whole handshake message (4-byte header whose u24 length
 * matches) and returns its type.
 */
export function handshakeMessageType(message: Uint8Array, path = 'Handshake'): number {
  const r = new ByteReader(message, path);
  const type = r.u8('msg_type');
  r.vector(3, 'body');
  r.expectEnd();
  return type;
}

/** True when `message` (header included) is a ServerHello carrying the HelloRetryRequest random. */
export function isHelloRetryRequest(message: Uint8Array): boolean {
  if (message[0] !== HANDSHAKE_TYPE.server_hello || message.length < 4 + 2 + 32) return false;
  return bytesEqual(message.subarray(6, 38), HELLO_RETRY_REQUEST_RANDOM);
}

/** The synthetic message_hash message that stands for ClientHello1 after a HelloRetryRequest. */
export function messageHashMessage(hash: Tls13Hash, clientHello1: Uint8Array): Uint8Array {
  const digest = new Uint8Array(createHash(hash).update(clientHello1).digest());
  return encodeHandshake(HANDSHAKE_TYPE.message_hash, digest);
}

/** Transcript-Hash(messages), each message a whole handshake message with its header. */
export function transcriptHash(hash: Tls13Hash, messages: readonly Uint8Array[]): Uint8Array {
  const h = createHash(hash);
  messages.forEach((message, i) => {
    const second = messages[1];
    if (i === 0 && second !== undefined && isHelloRetryRequest(second)) {
      h.update(messageHashMessage(hash, message));
    } else {
      h.update(message);
    }
  });
  return new Uint8Array(h.digest());
}
