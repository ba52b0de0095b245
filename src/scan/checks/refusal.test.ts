import assert from 'node:assert/strict';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import type { HelloOutcome } from '../../probe/hello-exchange.ts';
import { parseAlert } from '../../wire/alert.ts';
import {
  type ServerHello,
  encodeServerHelloBody,
  parseServerHello,
  serverHelloFacts,
} from '../../wire/server-hello.ts';
import { describeRefusal } from './refusal.ts';

function hello(version: number): HelloOutcome {
  const sh: ServerHello = {
    legacyVersion: version,
    random: new Uint8Array(32),
    sessionId: new Uint8Array(0),
    cipherSuite: 0x002f,
    compressionMethod: 0,
    extensions: null,
  };
  const serverHello = parseServerHello(encodeServerHelloBody(sh));
  return {
    kind: 'hello',
    serverHello,
    facts: serverHelloFacts(serverHello),
    messages: [],
    protectedRecords: [],
  };
}

test('each outcome kind gets a short phrase', () => {
  assert.equal(
    describeRefusal({ kind: 'alert', alert: parseAlert(Uint8Array.of(2, 70)) }),
    'alert protocol_version',
  );
  assert.equal(describeRefusal({ kind: 'not-tls', firstBytes: Uint8Array.of(0x48) }), 'not TLS');
  assert.equal(describeRefusal({ kind: 'closed' }), 'closed');
  assert.equal(describeRefusal({ kind: 'reset' }), 'reset');
  assert.equal(describeRefusal({ kind: 'timeout' }), 'timeout');
  const err = new WiretightError('WT_ERR_WIRE_DECODE', 'bad bytes');
  assert.equal(describeRefusal({ kind: 'malformed', error: err }), 'malformed answer: bad bytes');
  const refused = new WiretightError('WT_ERR_PROBE_CONNECT', 'connection refused');
  assert.equal(describeRefusal({ kind: 'connect-failed', error: refused }), 'connection refused');
});

test('a hello of another version names the version it answered with', () => {
  assert.equal(describeRefusal(hello(0x0303), 0x0301), 'server answered with TLSv1.2');
  assert.equal(describeRefusal(hello(0x7f12), 0x0301), 'server answered with 0x7f12');
  assert.equal(
    describeRefusal(hello(0x0301), 0x0301),
    'server answered without the expected content',
  );
  assert.equal(describeRefusal(hello(0x0303)), 'server answered without the expected content');
});
