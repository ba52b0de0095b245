// Probe outcomes built through the real codec, for the pure check tests: a check must see
// exactly what the probe would have handed it. Test-only (testdata/ is not built).
import type { HelloOutcome } from '../../../probe/hello-exchange.ts';
import { parseAlert } from '../../../wire/alert.ts';
import { encodeServerSupportedVersion } from '../../../wire/extensions/supported-versions.ts';
import { HANDSHAKE_TYPE, type HandshakeMessage, encodeHandshake } from '../../../wire/handshake.ts';
import { EXTENSION_TYPES as X } from '../../../wire/registry/extension-types.ts';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  type ServerHello,
  encodeServerHelloBody,
  parseServerHello,
  serverHelloFacts,
} from '../../../wire/server-hello.ts';

export function message(type: number, body: Uint8Array): HandshakeMessage {
  const raw = encodeHandshake(type, body);
  return { type, body: raw.subarray(4), raw };
}

/** A real ServerHello, through the codec, followed by the given flight. */
export function helloOutcome(sh: ServerHello, flight: HandshakeMessage[] = []): HelloOutcome {
  const body = encodeServerHelloBody(sh);
  const serverHello = parseServerHello(body);
  return {
    kind: 'hello',
    serverHello,
    facts: serverHelloFacts(serverHello),
    messages: [message(HANDSHAKE_TYPE.server_hello, body), ...flight],
    protectedRecords: [],
  };
}

/** A TLS ≤ 1.2 ServerHello choosing `suite`, with optional extensions. */
export function legacyServerHello(
  version: number,
  suite: number,
  extensions: ServerHello['extensions'] = [],
): ServerHello {
  return {
    legacyVersion: version,
    random: new Uint8Array(32).fill(5),
    sessionId: new Uint8Array(0),
    cipherSuite: suite,
    compressionMethod: 0,
    extensions,
  };
}

/** A TLS 1.3 HelloRetryRequest naming `suite` and asking for a share of `group`. */
export function helloRetry(suite: number, group = 0x001d): ServerHello {
  return {
    legacyVersion: 0x0303,
    random: HELLO_RETRY_REQUEST_RANDOM,
    sessionId: new Uint8Array(32),
    cipherSuite: suite,
    compressionMethod: 0,
    extensions: [
      { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
      { type: X.key_share, data: Uint8Array.of(group >> 8, group & 0xff) },
    ],
  };
}

export function alertOutcome(description: number): HelloOutcome {
  return { kind: 'alert', alert: parseAlert(Uint8Array.of(2, description)) };
}

export const handshakeFailure: HelloOutcome = alertOutcome(40);
