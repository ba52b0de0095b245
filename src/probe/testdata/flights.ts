// Server flights built through the real codec, for the tests of what probes send after
// them. Test-only (testdata/ is not built).
import { HANDSHAKE_TYPE, encodeHandshake } from '../../wire/handshake.ts';
import {
  type ServerHello,
  encodeServerHelloBody,
  parseServerHello,
  serverHelloFacts,
} from '../../wire/server-hello.ts';
import type { ServerFlight } from '../followup-exchange.ts';

/** A flight of ServerHello (with `over`) and ServerHelloDone. */
export function flightOf(over: Partial<ServerHello> = {}): ServerFlight {
  const body = encodeServerHelloBody({
    legacyVersion: 0x0302,
    random: new Uint8Array(32).fill(1),
    sessionId: new Uint8Array(0),
    cipherSuite: 0x002f,
    compressionMethod: 0,
    extensions: [],
    ...over,
  });
  const serverHello = parseServerHello(body);
  const hello = encodeHandshake(HANDSHAKE_TYPE.server_hello, body);
  const done = encodeHandshake(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0));
  return {
    serverHello,
    facts: serverHelloFacts(serverHello),
    messages: [
      { type: HANDSHAKE_TYPE.server_hello, body: hello.subarray(4), raw: hello },
      { type: HANDSHAKE_TYPE.server_hello_done, body: done.subarray(4), raw: done },
    ],
  };
}
