import { type Dialer, defaultDialer } from '../connection.ts';
import { Conversation } from './conversation.ts';
import { STARTTLS_PROTOCOLS, type StarttlsProtocol } from './protocols.ts';

/**
 * A Dialer that connects with `base`, runs `protocol`'s cleartext dialogue up to "start
 * TLS now", and resolves with the socket ready for the ClientHello. Every probe of a scan
 * goes through it, so the dialogue is the protocol's shortest (one to three round trips)
 * and runs under the probe's own deadline (`signal`).
 *
 * Rejects with StarttlsRefusedError (WT_ERR_STARTTLS_REFUSED, with `plaintext`) when the
 * server will not start TLS, WT_ERR_STARTTLS_PROTOCOL when it breaks the protocol, and the
 * probe codes (closed, reset, timeout, aborted, connect) otherwise; the socket is then
 * closed.
 */
export function starttlsDialer(protocol: StarttlsProtocol, base: Dialer = defaultDialer): Dialer {
  const entry = STARTTLS_PROTOCOLS[protocol];
  if (entry === undefined) throw new TypeError(`unknown STARTTLS protocol: ${String(protocol)}`);
  return async (endpoint, signal) => {
    const socket = await base(endpoint, signal);
    const conversation = new Conversation(socket, signal, {
      name: entry.name,
      plaintext: entry.plaintext,
      where: endpoint.address.includes(':')
        ? `[${endpoint.address}]:${endpoint.port}`
        : `${endpoint.address}:${endpoint.port}`,
    });
    try {
      await entry.dialogue(conversation, endpoint);
      return conversation.release();
    } catch (err) {
      conversation.abandon();
      throw err;
    }
  };
}
