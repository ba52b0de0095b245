import assert from 'node:assert/strict';
import test from 'node:test';
import {
  ALL_SIGNATURE_SCHEMES,
  SIGNATURE_SCHEMES,
  signatureSchemeName,
} from './signature-schemes.ts';

test('names by id, hex for unknown codepoints', () => {
  assert.equal(signatureSchemeName(0x0403), 'ecdsa_secp256r1_sha256');
  assert.equal(signatureSchemeName(0x0804), 'rsa_pss_rsae_sha256');
  assert.equal(signatureSchemeName(0x0807), 'ed25519');
  assert.equal(signatureSchemeName(0x0a0a), '0x0a0a');
});

test('ids and names are unique', () => {
  assert.equal(new Set(SIGNATURE_SCHEMES.map((s) => s.id)).size, SIGNATURE_SCHEMES.length);
  assert.equal(new Set(SIGNATURE_SCHEMES.map((s) => s.name)).size, SIGNATURE_SCHEMES.length);
});

test('the offered list holds every registered scheme exactly once', () => {
  assert.deepEqual(
    [...ALL_SIGNATURE_SCHEMES].sort((a, b) => a - b),
    SIGNATURE_SCHEMES.map((s) => s.id).sort((a, b) => a - b),
  );
});
