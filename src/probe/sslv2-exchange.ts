import { ByteQueue } from '../core/bytes.ts';
import { isWiretightError } from '../errors.ts';
import { parseAlert, type Alert } from '../wire/alert.ts';
import { parseSslv2ServerHello, sslv2RecordLength, type Sslv2ServerHello } from '../wire/sslv2.ts';
import {
  type ChunkReader,
  type Endpoint,
  type EndOutcome,
  type ExchangeLimits,
  endOutcome,
  exchange,
} from './connection.ts';

export type Sslv2Outcome =
  | { readonly kind: 'sslv2-hello'; readonly serverHello: Sslv2ServerHello }
  /** The server answered in TLS framing: it does not speak SSLv2 (an alert, or a TLS hello). */
  | { readonly kind: 'tls-answer'; readonly alert?: Alert }
  | EndOutcome;

/** Sends an SSLv2 CLIENT-HELLO and reads the first record of the answer. */
export function sslv2Exchange(
  endpoint: Endpoint,
  hello: Uint8Array,
  limits: ExchangeLimits,
): Promise<Sslv2Outcome> {
  return exchange(endpoint, hello, limits, readSslv2Answer);
}

async function readSslv2Answer(reader: ChunkReader): Promise<Sslv2Outcome> {
  // Only the first record matters, but it may arrive a byte at a time: a queue, not a
  // concatenation per chunk.
  const buffer = new ByteQueue();
  for (;;) {
    const chunk = await reader.read();
    if (!(chunk instanceof Uint8Array)) return endOutcome(chunk);
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
}
