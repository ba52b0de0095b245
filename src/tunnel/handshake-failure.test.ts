import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handshakeFailure } from './handshake-failure.ts';

const err = (code: string) => Object.assign(new TypeError(code), { code });

test('the verification verdict explains a reset better than the reset', () => {
  assert.deepEqual(handshakeFailure(err('ECONNRESET'), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), {
    reason: 'untrusted-certificate',
    detail: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  });
  assert.deepEqual(handshakeFailure(err('ECONNRESET'), null), {
    reason: 'reset',
    detail: 'ECONNRESET',
  });
  assert.equal(
    handshakeFailure(undefined, Object.assign(new TypeError('x'), { code: 'CERT_HAS_EXPIRED' }))
      .reason,
    'expired-certificate',
  );
});

test('OpenSSL codes map to stable words; unknown ones keep their code as detail', () => {
  assert.equal(
    handshakeFailure(err('ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE')).reason,
    'no-client-certificate',
  );
  assert.equal(handshakeFailure(err('ERR_TLS_HANDSHAKE_TIMEOUT')).reason, 'handshake-timeout');
  assert.equal(handshakeFailure(err('ERR_SSL_HTTP_REQUEST')).reason, 'not-tls');
  assert.deepEqual(handshakeFailure(err('ERR_SOMETHING_NEW')), {
    reason: 'handshake-failed',
    detail: 'ERR_SOMETHING_NEW',
  });
  // a prototype key is not a table entry
  assert.equal(handshakeFailure(err('toString')).reason, 'handshake-failed');
});
