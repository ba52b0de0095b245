import { ByteQueue } from '../core/bytes.ts';
import { isWiretightError, type WiretightError } from '../errors.ts';
import { parseAlert, type Alert } from '../wire/alert.ts';
import { parseSslv2ServerHello, sslv2RecordLength, type Sslv2ServerHello } from '../wire/sslv2.ts';
import {
  ChunkReader,
  DEFAULT_MAX_BYTES,
  type Endpoint,
  type ExchangeLimits,
  deadlineSignal,
  dialOutcome,
} from './connection.ts';

export type Sslv2Outcome =
  | { readonly kind: 'sslv2-hello'; readonly serverHello: Sslv2ServerHello }
  /** The server answered in TLS framing: it does not speak SSLv2 (an alert, or a TLS hello). */
  | { readonly kind: 'tls-answer'; readonly alert?: Alert }
  | { readonly kind: 'closed' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'malformed'; readonly error: WiretightError }
  | { readonly kind: 'connect-failed'; readonly error: WiretightError };

/** Sends an SSLv2 CLIENT-HELLO and reads the first record of the answer. */
export async function sslv2Exchange(
  endpoint: Endpoint,
  hello: Uint8Array,
  limits: ExchangeLimits,
): Promise<Sslv2Outcome> {
  const signal = deadlineSignal(limits);
  const socket = await dialOutcome(endpoint, limits, signal);
  if (!('write' in socket)) return socket;
  const reader = new ChunkReader(socket, signal, limits.maxBytes || DEFAULT_MAX_BYTES);
  try {
    reader.write(hello);
    // Only the first record matters, but it may arrive a byte at a time: a queue, not a
    // concatenation per chunk.
    const buffer = new ByteQueue();
    for (;;) {
      const chunk = await reader.read();
      if (!(chunk instanceof Uint8Array)) {
        if (isWiretightError(chunk)) return { kind: 'malformed', error: chunk };
        if (chunk === 'aborted' || chunk === 'timeout') return { kind: 'timeout' };
        return { kind: chunk };
      }
      buffer.push(chunk);
      if (buffer.length === 0) continue;
      const b0 = buffer.peek(1)[0] as number;
      if (b0 >= 20 && b0 <= 24) {
        // TLS framing: an alert (the usual refusal) or a TLS ServerHello to a v2-compatible hello.
        if (b0 !== 21) return { kind: 'tls-answer' };
        if (buffer.length < 7) continue;
        return { kind: 'tls-answer', alert: parseAlert(buffer.peek(7).subarray(5, 7)) };
      }
      const framing = sslv2RecordLength(buffer.peek(3));
      if (framing === undefined) continue;
      if (buffer.length < framing.header + framing.length) continue;
      try {
        const body = buffer.peek(framing.header + framing.length).subarray(framing.header);
        return { kind: 'sslv2-hello', serverHello: parseSslv2ServerHello(body) };
      } catch (err) {
        if (isWiretightError(err)) return { kind: 'malformed', error: err };
        throw err;
      }
    }
  } finally {
    reader.close();
  }
}
