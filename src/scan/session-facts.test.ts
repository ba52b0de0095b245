import assert from 'node:assert/strict';
import test from 'node:test';
import { WiretightError } from '../errors.ts';
import type { HandshakeFacts, HandshakeOutcome } from '../probe/full-handshake.ts';
import {
  MAX_OCSP_RESPONSE_BYTES,
  type SessionProbeOutcomes,
  concludeSessionFacts,
  legacyVersion,
} from './session-facts.ts';

const TLS13: HandshakeFacts = {
  version: 'TLSv1.3',
  suite: 'TLS_AES_128_GCM_SHA256',
  opensslSuite: 'TLS_AES_128_GCM_SHA256',
  ephemeral: { type: 'ECDH', name: 'X25519', size: 253 },
  alpn: 'h2',
  sessionReused: false,
};

const established = (
  facts: Partial<HandshakeFacts> = {},
  ocspResponse: Uint8Array | null = null,
): HandshakeOutcome => ({ kind: 'established', facts: { ...TLS13, ...facts }, ocspResponse });

const outcomes = (o: Partial<SessionProbeOutcomes>): SessionProbeOutcomes => ({
  versions: ['TLSv1.2', 'TLSv1.3'],
  handshake: established(),
  sessionId: { kind: 'resumed' },
  ticket: { kind: 'resumed' },
  tls13Ticket: { kind: 'resumed' },
  renegotiation: { kind: 'refused', reason: 'no_renegotiation alert (no renegotiation)' },
  ...o,
});

test('a modern server: negotiated facts by registry names, everything resumes, renegotiation refused', () => {
  assert.deepEqual(concludeSessionFacts(outcomes({})), {
    negotiated: {
      version: 'TLSv1.3',
      suite: 'TLS_AES_128_GCM_SHA256',
      suiteId: '0x1301',
      group: 'x25519',
      groupBits: 253,
      alpn: 'h2',
    },
    ocspStapling: { stapled: false },
    resumption: {
      legacyVersion: 'TLSv1.2',
      sessionId: true,
      ticket: true,
      tls13Ticket: true,
      why: {},
    },
    clientRenegotiation: {
      result: 'refused',
      version: 'TLSv1.2',
      reason: 'no_renegotiation alert (no renegotiation)',
    },
  });
});

test('group names: OpenSSL aliases mapped, hybrids kept, TLS 1.3 DH named by size, TLS 1.2 DHE unnamed', () => {
  const group = (facts: Partial<HandshakeFacts>) => {
    const n = concludeSessionFacts(outcomes({ handshake: established(facts) })).negotiated;
    return [n.group, n.groupBits];
  };
  assert.deepEqual(group({ ephemeral: { type: 'ECDH', name: 'prime256v1', size: 256 } }), [
    'secp256r1',
    256,
  ]);
  assert.deepEqual(group({ ephemeral: { type: 'TLSGroup', name: 'X25519MLKEM768' } }), [
    'X25519MLKEM768',
    undefined,
  ]);
  assert.deepEqual(group({ ephemeral: { type: 'DH', size: 2048 } }), ['ffdhe2048', 2048]);
  assert.deepEqual(group({ version: 'TLSv1.2', ephemeral: { type: 'DH', size: 1024 } }), [
    undefined,
    1024,
  ]);
  // static RSA key exchange: no ephemeral key at all
  const rsaHandshake: HandshakeOutcome = {
    kind: 'established',
    facts: {
      version: 'TLSv1.2',
      suite: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
      opensslSuite: 'AES128-GCM-SHA256',
      alpn: 'h2',
      sessionReused: false,
    },
    ocspResponse: null,
  };
  const rsa = concludeSessionFacts(outcomes({ handshake: rsaHandshake })).negotiated;
  assert.deepEqual(rsa, {
    version: 'TLSv1.2',
    suite: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
    suiteId: '0x009c',
    alpn: 'h2',
  });
});

test('a stapled OCSP response is kept in base64, unless it is over the cap', () => {
  const der = new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x00]);
  assert.deepEqual(
    concludeSessionFacts(outcomes({ handshake: established({}, der) })).ocspStapling,
    { stapled: true, responseBase64: 'MAMKAQA=', responseBytes: 5 },
  );
  const huge = new Uint8Array(MAX_OCSP_RESPONSE_BYTES + 1);
  assert.deepEqual(
    concludeSessionFacts(outcomes({ handshake: established({}, huge) })).ocspStapling,
    { stapled: true, responseBytes: MAX_OCSP_RESPONSE_BYTES + 1 },
  );
});

test('a failed default handshake: no negotiated facts, stapling unknown, and why', () => {
  const facts = concludeSessionFacts(
    outcomes({ handshake: { kind: 'tls-error', reason: 'handshake_failure alert (x)' } }),
  );
  assert.deepEqual(facts.negotiated, {
    version: null,
    suite: null,
    error: 'the handshake failed: handshake_failure alert (x)',
  });
  assert.deepEqual(facts.ocspStapling, { stapled: null });
});

test('resumption: no session, a full handshake, and failures say why', () => {
  const facts = concludeSessionFacts(
    outcomes({
      sessionId: { kind: 'no-session', reason: 'the server sent no session ID' },
      ticket: { kind: 'not-resumed' },
      tls13Ticket: { kind: 'timeout', stage: 'resume' },
    }),
  ).resumption;
  assert.deepEqual(facts, {
    legacyVersion: 'TLSv1.2',
    sessionId: false,
    ticket: false,
    tls13Ticket: null,
    why: {
      sessionId: 'the server sent no session ID',
      ticket: 'the server ran a full handshake for the offered session',
      tls13Ticket: 'resuming connection: no complete handshake within the timeout',
    },
  });
  const refused = concludeSessionFacts(
    outcomes({
      sessionId: {
        kind: 'connect-failed',
        stage: 'first',
        error: new WiretightError('WT_ERR_PROBE_CONNECT', 'cannot connect to 127.0.0.1:1'),
      },
    }),
  ).resumption;
  assert.equal(refused.sessionId, null);
  assert.equal(refused.why.sessionId, 'first connection: cannot connect to 127.0.0.1:1');
});

test('the best version below TLS 1.3 that node:tls speaks is the one used', () => {
  assert.equal(legacyVersion(['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.3']), 'TLSv1.1');
  assert.equal(legacyVersion(['SSLv2', 'SSLv3', 'TLSv1.3']), undefined);
});

test('renegotiation: accepted, no answer, local failure, TLS 1.3 only, SSLv3 only, nothing', () => {
  const renegotiation = (o: Partial<SessionProbeOutcomes>) =>
    concludeSessionFacts(outcomes(o)).clientRenegotiation;
  assert.deepEqual(renegotiation({ renegotiation: { kind: 'accepted' } }), {
    result: 'accepted',
    version: 'TLSv1.2',
  });
  assert.deepEqual(renegotiation({ renegotiation: { kind: 'no-answer' } }), {
    result: 'error',
    version: 'TLSv1.2',
    reason: 'no answer to the renegotiation hello within the timeout',
  });
  assert.deepEqual(renegotiation({ renegotiation: { kind: 'reset' } }), {
    result: 'error',
    version: 'TLSv1.2',
    reason: 'the server reset the connection during the handshake',
  });
  assert.deepEqual(renegotiation({ versions: ['TLSv1.3'], renegotiation: undefined }), {
    result: 'not-applicable',
    reason: 'TLS 1.3 has no renegotiation',
  });
  assert.equal(
    renegotiation({ versions: ['SSLv3', 'TLSv1.3'], renegotiation: undefined }).result,
    'error',
  );
  assert.equal(renegotiation({ versions: [], renegotiation: undefined }).result, 'not-applicable');
});

test('the facts are plain JSON', () => {
  const facts = concludeSessionFacts(
    outcomes({ handshake: established({}, new Uint8Array([1, 2, 3])) }),
  );
  assert.deepEqual(JSON.parse(JSON.stringify(facts)), facts);
});
