import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, constants, privateDecrypt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { ByteWriter } from '../core/bytes.ts';
import { parseAlert } from '../wire/alert.ts';
import { parseChangeCipherSpec } from '../wire/change-cipher-spec.ts';
import { parseRsaClientKeyExchange } from '../wire/client-key-exchange.ts';
import { HANDSHAKE_TYPE, HandshakeReassembler, encodeHandshake } from '../wire/handshake.ts';
import { CONTENT_TYPE, RecordDeframer, type TlsRecord } from '../wire/record.ts';
import { PREMASTER_VARIANTS, classifyPremasterBlock } from '../wire/rsa-premaster.ts';
import type { FollowUpPlan, ServerFlight } from './followup-exchange.ts';
import { flightOf } from './testdata/flights.ts';
import { GARBAGE_FINISHED, planRsaKeyExchange } from './rsa-key-exchange.ts';
import { selfSignedCertificate } from './testdata/peer.ts';

/** A self-signed RSA certificate (DER) and its key (PEM), made by the openssl CLI. */
function rsaCertificate(t: TestContext, bits: number): { der: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'wt-rsa-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', key, '-out', cert].concat([
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
    ]),
    { stdio: 'ignore' },
  );
  return { der: new X509Certificate(readFileSync(cert)).raw, key: readFileSync(key) };
}

/**
 * `der` with its key replaced by an RSA key of `bits` bits (a made-up modulus): OpenSSL no
 * longer generates keys below 512 bits, and only the public key matters here. The signature
 * no longer verifies, which nothing in the probe looks at.
 */
function withSmallRsaKey(der: Uint8Array, bits: number): Uint8Array {
  const cert = AsnConvert.parse(der, Certificate);
  const n = new Uint8Array(bits / 8 + 1).fill(0x5a);
  n[0] = 0;
  n[1] = 0xc1;
  const integer = (b: Uint8Array): number[] => [0x02, b.length, ...b];
  const body = [...integer(n), ...integer(Uint8Array.of(1, 0, 1))];
  cert.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey = new Uint8Array([
    0x30,
    body.length,
    ...body,
  ]).buffer;
  return new Uint8Array(AsnConvert.serialize(cert));
}

/** An RSA key-exchange flight: ServerHello, Certificate, [CertificateRequest], ServerHelloDone. */
function rsaFlight(
  der: Uint8Array,
  version: number,
  suite = 0x002f,
  request = false,
): ServerFlight {
  const base = flightOf({ legacyVersion: version, cipherSuite: suite });
  const list = new ByteWriter().vector(3, (w) => w.vectorOf(3, der)).finish();
  const extra = [encodeHandshake(HANDSHAKE_TYPE.certificate, list)];
  if (request)
    extra.push(encodeHandshake(HANDSHAKE_TYPE.certificate_request, Uint8Array.of(1, 1, 0, 0)));
  const [hello, done] = base.messages;
  assert.ok(hello !== undefined && done !== undefined);
  return {
    ...base,
    messages: [
      hello,
      ...extra.map((raw) => ({ type: raw[0] as number, body: raw.subarray(4), raw })),
      done,
    ],
  };
}

function records(plan: FollowUpPlan): TlsRecord[] {
  assert.ok('steps' in plan, JSON.stringify(plan));
  assert.equal(plan.steps.length, 1);
  const d = new RecordDeframer();
  d.push(plan.steps[0]?.bytes ?? new Uint8Array(0));
  const out: TlsRecord[] = [];
  for (let r = d.next(); r !== undefined; r = d.next()) out.push(r);
  return out;
}

test('each block is encrypted to the certificate key, then CCS and a garbage Finished follow', (t) => {
  const { der, key } = rsaCertificate(t, 1024);
  for (const variant of PREMASTER_VARIANTS) {
    const [keyExchange, ccs, finished, ...more] = records(
      planRsaKeyExchange(variant, rsaFlight(der, 0x0303), 0x0303),
    );
    assert.equal(more.length, 0);
    assert.equal(keyExchange?.type, CONTENT_TYPE.handshake);
    assert.equal(keyExchange?.version, 0x0303);
    const [message] = new HandshakeReassembler().push(keyExchange?.fragment ?? new Uint8Array(0));
    assert.equal(message?.type, HANDSHAKE_TYPE.client_key_exchange);
    const encrypted = parseRsaClientKeyExchange(message?.body ?? new Uint8Array(0), 0x0303);
    assert.equal(encrypted.length, 128);
    const block = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, encrypted);
    assert.equal(classifyPremasterBlock(new Uint8Array(block), 0x0303), variant);
    assert.equal(ccs?.type, CONTENT_TYPE.change_cipher_spec);
    parseChangeCipherSpec(ccs?.fragment ?? new Uint8Array(0));
    assert.equal(finished?.type, CONTENT_TYPE.handshake);
    assert.deepEqual(finished?.fragment, GARBAGE_FINISHED);
  }
});

test('the premaster carries the ClientHello version, not the negotiated one', (t) => {
  const { der, key } = rsaCertificate(t, 1024);
  const [keyExchange] = records(planRsaKeyExchange('valid', rsaFlight(der, 0x0301), 0x0303));
  const [message] = new HandshakeReassembler().push(keyExchange?.fragment ?? new Uint8Array(0));
  const encrypted = parseRsaClientKeyExchange(message?.body ?? new Uint8Array(0), 0x0301);
  const block = new Uint8Array(
    privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, encrypted),
  );
  assert.deepEqual([...block.subarray(-48, -46)], [0x03, 0x03]);
});

test('a requested certificate: an empty Certificate (TLS) or a no_certificate warning (SSLv3)', (t) => {
  const { der } = rsaCertificate(t, 1024);
  const [tls] = records(planRsaKeyExchange('valid', rsaFlight(der, 0x0303, 0x002f, true), 0x0303));
  const messages = new HandshakeReassembler().push(tls?.fragment ?? new Uint8Array(0));
  assert.deepEqual(
    messages.map((m) => [m.type, m.body.length]),
    [
      [HANDSHAKE_TYPE.certificate, 3],
      [HANDSHAKE_TYPE.client_key_exchange, 130],
    ],
  );
  const [warning, ssl3] = records(
    planRsaKeyExchange('valid', rsaFlight(der, 0x0300, 0x002f, true), 0x0300),
  );
  assert.equal(warning?.type, CONTENT_TYPE.alert);
  assert.deepEqual(parseAlert(warning?.fragment ?? new Uint8Array(0)), {
    level: 'warning',
    description: 41,
    name: 'no_certificate',
  });
  const [bare] = new HandshakeReassembler().push(ssl3?.fragment ?? new Uint8Array(0));
  assert.equal(bare?.body.length, 128, 'SSLv3 sends the encrypted premaster without a length');
});

test('declined: no plain RSA suite, no certificate, a non-RSA key, a key too small', (t) => {
  const { der } = rsaCertificate(t, 1024);
  const ec = new X509Certificate(selfSignedCertificate(t, 'localhost').cert).raw;
  const small = withSmallRsaKey(der, 384);
  const cases: [ServerFlight, RegExp][] = [
    [rsaFlight(der, 0x0303, 0xc02f), /TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, not a plain RSA/],
    [rsaFlight(der, 0x0303, 0x0003), /EXPORT.*not a plain RSA/],
    [flightOf({ legacyVersion: 0x0303 }), /no Certificate/],
    [rsaFlight(ec, 0x0303), /ec key, not an RSA encryption key/],
    [rsaFlight(small, 0x0303), /384 bits is too small/],
    [rsaFlight(Uint8Array.of(0x30, 0x03, 1, 2, 3), 0x0303), /cannot be read/],
  ];
  for (const [flight, why] of cases) {
    const plan = planRsaKeyExchange('valid', flight, 0x0303);
    assert.ok('declined' in plan, why.source);
    assert.match(plan.declined, why);
  }
});
