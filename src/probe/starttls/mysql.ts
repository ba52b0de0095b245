import { ByteReader } from '../../core/bytes.ts';
import { DecodeError } from '../../errors.ts';
import type { Conversation } from './conversation.ts';
import { printable } from './errors.ts';

// Capability flags (MySQL client/server protocol, "Capabilities Flags").
const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;
/** A greeting is under 200 bytes; the 16 MiB a packet length allows is not one. */
const MAX_GREETING_BYTES = 4096;
/** utf8mb3_general_ci: known to every MySQL and MariaDB since 4.1. */
const CHARSET_UTF8 = 33;

/** What the server's initial handshake packet (protocol 10) says, as far as TLS goes. */
export interface MysqlGreeting {
  readonly serverVersion: string;
  readonly capabilities: number;
}

/**
 * Parses the payload of the initial handshake packet: protocol 10, the NUL-terminated
 * version, the connection id, 8 bytes of scramble, a filler, the lower capability flags,
 * and (when present) the upper flags after charset and status.
 */
export function parseMysqlGreeting(payload: Uint8Array): MysqlGreeting {
  const reader = new ByteReader(payload, 'MysqlHandshakeV10');
  const protocol = reader.u8('protocol version');
  if (protocol !== 10) reader.fail(`protocol version ${protocol}, not 10`);
  const nul = payload.indexOf(0, 1);
  if (nul === -1) reader.fail('server version is not NUL-terminated');
  const serverVersion = Buffer.from(reader.bytes(nul - 1, 'server version')).toString('latin1');
  reader.bytes(1 + 4 + 8 + 1, 'connection id and scramble');
  const lower = reader.u8('capability flags') | (reader.u8('capability flags') << 8);
  if (reader.remaining < 5) return { serverVersion, capabilities: lower };
  reader.bytes(3, 'charset and status');
  const upper = reader.u8('capability flags') | (reader.u8('capability flags') << 8);
  return { serverVersion, capabilities: (lower | (upper << 16)) >>> 0 };
}

/**
 * The SSLRequest packet (sequence 1): a HandshakeResponse41 cut after its fixed part, so
 * the server starts TLS before any credentials are sent.
 */
export function mysqlSslRequest(serverCapabilities: number): Uint8Array {
  const wanted = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION;
  const flags = (wanted & (serverCapabilities | CLIENT_SSL | CLIENT_PROTOCOL_41)) >>> 0;
  const packet = new Uint8Array(4 + 32);
  const view = new DataView(packet.buffer);
  view.setUint8(0, 32); // payload length, 3 bytes little-endian
  view.setUint8(3, 1); // sequence id
  view.setUint32(4, flags, true);
  view.setUint32(8, 0x01000000, true); // max packet size: 16 MiB
  view.setUint8(12, CHARSET_UTF8);
  return packet; // 23 reserved zero bytes follow the charset
}

/**
 * MySQL and MariaDB: the server speaks first with its greeting; when it has CLIENT_SSL
 * the client answers with the SSLRequest and the TLS handshake follows at once (no reply
 * in between). No CLIENT_SSL means TLS is off. An error packet (0xff) instead of a
 * greeting (too many connections, host not allowed) is not about TLS.
 */
export async function mysqlDialogue(conversation: Conversation): Promise<void> {
  const header = await conversation.readBytes(4);
  const length =
    (header[0] as number) | ((header[1] as number) << 8) | ((header[2] as number) << 16);
  if (header[3] !== 0) throw conversation.violation(`greeting with sequence id ${header[3]}`);
  if (length < 1 || length > MAX_GREETING_BYTES) {
    throw conversation.violation(`a greeting of ${length} bytes (cap ${MAX_GREETING_BYTES})`);
  }
  const payload = await conversation.readBytes(length);
  if (payload[0] === 0xff) {
    throw conversation.violation(
      `it answered with an error instead of a greeting: ${printable(Buffer.from(payload.subarray(3)).toString('utf8'), 80)}`,
    );
  }
  let greeting: MysqlGreeting;
  try {
    greeting = parseMysqlGreeting(payload);
  } catch (err) {
    if (err instanceof DecodeError) throw conversation.violation(err.message);
    throw err;
  }
  if ((greeting.capabilities & CLIENT_SSL) === 0) {
    throw conversation.refused(
      `MySQL/MariaDB ${printable(greeting.serverVersion, 60)} without TLS (its greeting lacks CLIENT_SSL)`,
    );
  }
  conversation.write(mysqlSslRequest(greeting.capabilities));
}
