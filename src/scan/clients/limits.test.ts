import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHex } from '../../core/bytes.ts';
import {
  type HelloOptions,
  buildClientHello,
  encodeClientHelloBody,
} from '../../wire/client-hello.ts';
import { brokenConstraint, brokenLimit } from './limits.ts';
import { type ClientConstraints, type LoadedProfile, loadProfile } from './profile.ts';
import type { Negotiated, ServerCertificate } from './server-answer.ts';

function client(hello: Partial<HelloOptions>, constraints?: ClientConstraints): LoadedProfile {
  const body = encodeClientHelloBody(
    buildClientHello({
      version: 0x0303,
      cipherSuites: [0x1301, 0xc02f, 0x009e, 0x0033, 0x002f],
      supportedGroups: [0x001d, 0x0017],
      signatureAlgorithms: [0x0804, 0x0403, 0x0401],
      random: new Uint8Array(32),
      ...hello,
    }),
  );
  return loadProfile(
    {
      id: 'test',
      name: 'Test',
      family: 'Test',
      hello: toHex(body),
      ...(constraints === undefined ? {} : { constraints }),
      source: { kind: 'recorded', how: 'test', program: 'test', recordedOn: '2026-01-01' },
    },
    0,
  );
}

const rsa = (bits: number, weak?: string): ServerCertificate => ({
  keyType: 'rsa',
  keyBits: bits,
  ...(weak === undefined ? {} : { weakSignatureHash: weak }),
});

const tls12: Negotiated = { version: 0x0303, suite: 0xc02f, group: 0x001d, certificate: rsa(2048) };
const dhe = (bits: number): Negotiated => ({
  version: 0x0303,
  suite: 0x009e,
  dhBits: bits,
  certificate: rsa(2048),
});

test('DH limits: below the minimum and above the maximum fail; the bounds themselves pass', () => {
  const c = { minDhBits: 1024, maxDhBits: 2048 };
  assert.equal(brokenConstraint(dhe(1023), c), 'DH 1023 bits, below the 1024 this client accepts');
  assert.equal(brokenConstraint(dhe(1024), c), undefined);
  assert.equal(brokenConstraint(dhe(2048), c), undefined);
  assert.equal(brokenConstraint(dhe(4096), c), 'DH 4096 bits, above the 2048 this client accepts');
  // No DHE, nothing to judge.
  assert.equal(brokenConstraint(tls12, c), undefined);
});

test('certificate key limits apply to the key type they name', () => {
  const c = { minRsaBits: 2048, maxRsaBits: 4096, minEcdsaBits: 256 };
  const at = (certificate: ServerCertificate) => brokenConstraint({ ...tls12, certificate }, c);
  assert.equal(at(rsa(1024)), 'RSA key 1024 bits, below its minimum 2048');
  assert.equal(at(rsa(8192)), 'RSA key 8192 bits, above its maximum 4096');
  assert.equal(at(rsa(4096)), undefined);
  assert.equal(
    at({ keyType: 'rsa-pss', keyBits: 1024 }),
    'RSA key 1024 bits, below its minimum 2048',
  );
  assert.equal(at({ keyType: 'ec', keyBits: 224 }), 'ECDSA key 224 bits, below its minimum 256');
  assert.equal(at({ keyType: 'ec', keyBits: 256 }), undefined);
  // An EC key is not held to RSA limits, nor an RSA key to EC ones.
  assert.equal(
    brokenConstraint(
      { ...tls12, certificate: { keyType: 'ec', keyBits: 256 } },
      { minRsaBits: 4096 },
    ),
    undefined,
  );
  assert.equal(
    brokenConstraint({ ...tls12, certificate: rsa(2048) }, { minEcdsaBits: 384 }),
    undefined,
  );
});

test('SHA-2 only: SHA-1 certificates and signatures fail, as do TLS 1.0 signed key exchanges', () => {
  const c = { requiresSha2: true };
  assert.equal(
    brokenConstraint({ ...tls12, certificate: rsa(2048, 'sha1') }, c),
    'certificate signed with SHA1, this client requires SHA-2',
  );
  assert.equal(
    brokenConstraint({ ...tls12, signatureScheme: 0x0201 }, c),
    'the server signs with rsa_pkcs1_sha1, this client requires SHA-2',
  );
  assert.equal(brokenConstraint({ ...tls12, signatureScheme: 0x0401 }, c), undefined);
  assert.equal(
    brokenConstraint({ version: 0x0301, suite: 0xc013, group: 0x0017 }, c),
    'the server signs with SHA-1 only (TLSv1.0), this client requires SHA-2',
  );
  // RSA key exchange signs nothing.
  assert.equal(brokenConstraint({ version: 0x0301, suite: 0x002f }, c), undefined);
  // Without the limit, SHA-1 passes.
  assert.equal(brokenConstraint({ ...tls12, certificate: rsa(2048, 'sha1') }, {}), undefined);
});

test("a server choice outside the hello's offer fails, whatever the limits", () => {
  const modern = client({ supportedVersions: [0x0304, 0x0303] });
  assert.equal(brokenLimit(tls12, modern), undefined);
  assert.equal(
    brokenLimit({ ...tls12, version: 0x0301 }, modern),
    'the server chose TLSv1.0, which this client does not offer',
  );
  assert.equal(
    brokenLimit({ ...tls12, suite: 0xc030 }, modern),
    'the server chose TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, which this client does not offer',
  );
  assert.equal(
    brokenLimit({ ...tls12, group: 0x0018 }, modern),
    'the server chose secp384r1, which this client does not offer',
  );
  assert.equal(
    brokenLimit({ ...tls12, signatureScheme: 0x0201 }, modern),
    'the server signs with rsa_pkcs1_sha1, which this client does not offer',
  );
  // Without supported_versions, anything from SSLv3 up to legacy_version is the client's.
  const legacy = client({ version: 0x0302 });
  assert.equal(brokenLimit({ version: 0x0301, suite: 0x002f }, legacy), undefined);
  assert.equal(
    brokenLimit({ version: 0x0303, suite: 0x002f }, legacy),
    'the server chose TLSv1.2, which this client does not offer',
  );
  // The hello's terms come before the limits.
  const limited = client({}, { minDhBits: 2048 });
  assert.equal(brokenLimit(dhe(1024), limited), 'DH 1024 bits, below the 2048 this client accepts');
  assert.equal(
    brokenLimit({ ...dhe(1024), suite: 0x0039 }, limited),
    'the server chose TLS_DHE_RSA_WITH_AES_256_CBC_SHA, which this client does not offer',
  );
});
