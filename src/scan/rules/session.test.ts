import assert from 'node:assert/strict';
import test from 'node:test';
import type { RenegotiationFacts, SessionFacts } from '../session-facts.ts';
import { sessionFindings } from './session.ts';

const facts = (clientRenegotiation: RenegotiationFacts): SessionFacts => ({
  negotiated: { version: 'TLSv1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  ocspStapling: { stapled: false },
  resumption: {
    legacyVersion: 'TLSv1.2',
    sessionId: true,
    ticket: true,
    tls13Ticket: null,
    why: {},
  },
  clientRenegotiation,
});

test('an accepted client renegotiation is vuln.client-renegotiation, with the version', () => {
  const [found, ...rest] = sessionFindings(facts({ result: 'accepted', version: 'TLSv1.1' }));
  assert.equal(rest.length, 0);
  assert.equal(found?.id, 'vuln.client-renegotiation');
  assert.equal(found?.severity, 'medium');
  assert.match(found?.evidence ?? '', /TLSv1\.1/);
  assert.deepEqual(found?.details, { protocol: 'TLSv1.1' });
});

test('refused, not applicable, or unknown: no finding', () => {
  for (const r of [
    { result: 'refused', version: 'TLSv1.2', reason: 'no_renegotiation alert' },
    { result: 'not-applicable', reason: 'TLS 1.3 has no renegotiation' },
    { result: 'error', version: 'TLSv1.2', reason: 'no answer' },
  ] as const) {
    assert.deepEqual(sessionFindings(facts(r)), [], r.result);
  }
});
