import {
  type Endpoint,
  type EndOutcome,
  type ExchangeLimits,
  endOutcome,
  exchange,
} from './connection.ts';

/**
 * PostgreSQL's SSLRequest (protocol 3, section "SSL Session Encryption"): an 8-byte packet,
 * length 8 then the code 80877103. The server answers one byte before any TLS: `S` (go
 * ahead with TLS) or `N` (SSL is off). Anything else is not a PostgreSQL server.
 */
export const POSTGRES_SSL_REQUEST = new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export type PostgresSslOutcome =
  | { readonly kind: 'postgres'; readonly ssl: boolean }
  | { readonly kind: 'other'; readonly firstBytes: Uint8Array }
  | EndOutcome;

/** Asks whether the port is a PostgreSQL server and whether it would start TLS. */
export function postgresSslRequest(
  endpoint: Endpoint,
  limits: ExchangeLimits,
): Promise<PostgresSslOutcome> {
  return exchange(endpoint, POSTGRES_SSL_REQUEST, limits, async (reader) => {
    const chunk = await reader.read();
    if (!(chunk instanceof Uint8Array)) return endOutcome(chunk);
    // The answer is exactly one byte; a server that sends more before our next message is
    // not following the protocol (CVE-2021-23214 was about servers that did).
    if (chunk.length === 1 && (chunk[0] === 0x53 || chunk[0] === 0x4e)) {
      return { kind: 'postgres', ssl: chunk[0] === 0x53 };
    }
    return { kind: 'other', firstBytes: chunk.slice(0, 64) };
  });
}
