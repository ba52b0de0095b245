// End to end against the RFC 8448 §3 trace: x25519 share from the published private key,
// key schedule, record decryption, and the parsed server flight.
import type { TlsRecord } from '../record.ts';
import assert from 'node:assert/strict';
import test from 'node:test';
import { concatBytes, fromHex, toHex } from '../../core/bytes.ts';
import { HandshakeDecryptor, Tls13ServerFlight, verifyServerFinished } from './index.ts';
import { deriveHandshakeSecrets, trafficKeys } from './key-schedule.ts';
import { generateKeyShare } from './key-exchange.ts';
import { RFC8448 } from './testdata/rfc8448.ts';

const clientHello = fromHex(RFC8448.clientHello);
const serverHello = fromHex(RFC8448.serverHello);

function flightRecord(): TlsRecord {
  const bytes = fromHex(RFC8448.serverFlightRecord);
  return {
    type: bytes[0]!,
    version: (bytes[1]! << 8) | bytes[2]!,
    fragment: bytes.subarray(5),
  };
}

test('the x25519 share from the RFC private key matches the trace', () => {
  const share = generateKeyShare(0x001d, { privateKey: fromHex(RFC8448.clientPrivateKey) });
  assert.equal(share.group, 0x001d);
  assert.equal(toHex(share.publicKey), RFC8448.clientPublicKey);
  assert.equal(toHex(share.sharedSecret(fromHex(RFC8448.serverPublicKey))), RFC8448.sharedSecret);
});

test('the key schedule reproduces every published secret, key and IV', () => {
  const s = deriveHandshakeSecrets(0x1301, fromHex(RFC8448.sharedSecret), [
    clientHello,
    serverHello,
  ]);
  assert.equal(toHex(s.earlySecret), RFC8448.earlySecret);
  assert.equal(toHex(s.handshakeSecret), RFC8448.handshakeSecret);
  assert.equal(toHex(s.transcriptHash), RFC8448.helloTranscriptHash);
  assert.equal(toHex(s.clientHandshakeTrafficSecret), RFC8448.clientHandshakeTrafficSecret);
  assert.equal(toHex(s.serverHandshakeTrafficSecret), RFC8448.serverHandshakeTrafficSecret);
  const server = trafficKeys(0x1301, s.serverHandshakeTrafficSecret);
  assert.equal(toHex(server.key), RFC8448.serverHandshakeKey);
  assert.equal(toHex(server.iv), RFC8448.serverHandshakeIv);
  const client = trafficKeys(0x1301, s.clientHandshakeTrafficSecret);
  assert.equal(toHex(client.key), RFC8448.clientHandshakeKey);
  assert.equal(toHex(client.iv), RFC8448.clientHandshakeIv);
});

test('the encrypted server flight decrypts to the published plaintext and parses', () => {
  const decryptor = new HandshakeDecryptor(0x1301, fromHex(RFC8448.serverHandshakeTrafficSecret));
  const opened = decryptor.open(flightRecord());
  assert.equal(opened.contentType, 22);
  const expected =
    RFC8448.encryptedExtensions +
    RFC8448.certificate +
    RFC8448.certificateVerify +
    RFC8448.serverFinished;
  assert.equal(toHex(opened.content), expected);
  assert.equal(decryptor.sequence, 1n);

  const flight = new Tls13ServerFlight();
  flight.push(opened.content);
  assert.equal(flight.done, true);
  const r = flight.result();
  assert.deepEqual(
    r.encryptedExtensions?.extensions.map((e) => e.type),
    [10, 28, 0],
  );
  assert.equal(r.encryptedExtensions?.alpn, undefined);
  assert.equal(r.certificateRequest, undefined);
  assert.equal(r.certificate?.context.length, 0);
  assert.equal(r.certificate?.entries.length, 1);
  const der = r.certificate?.entries[0]?.der;
  assert.ok(der);
  assert.equal(toHex(der), RFC8448.certificate.slice(2 * (4 + 1 + 3 + 3), -4));
  assert.equal(r.certificateVerify?.scheme, 0x0804);
  assert.equal(r.certificateVerify?.signature.length, 128);
  assert.equal(toHex(r.finished!.verifyData), RFC8448.serverFinished.slice(8));
  assert.equal(r.messages.length, 4);
  assert.equal(toHex(concatBytes(r.messages)), expected);

  const beforeFinished = [clientHello, serverHello, ...r.messages.slice(0, 3)];
  assert.equal(
    verifyServerFinished(
      0x1301,
      fromHex(RFC8448.serverHandshakeTrafficSecret),
      beforeFinished,
      r.finished!.verifyData,
    ),
    true,
  );
  assert.equal(
    verifyServerFinished(
      0x1301,
      fromHex(RFC8448.clientHandshakeTrafficSecret),
      beforeFinished,
      r.finished!.verifyData,
    ),
    false,
  );
});

test('the flight parses the same when fed one byte at a time', () => {
  const content = fromHex(
    RFC8448.encryptedExtensions +
      RFC8448.certificate +
      RFC8448.certificateVerify +
      RFC8448.serverFinished,
  );
  const flight = new Tls13ServerFlight();
  for (let i = 0; i < content.length; i++) {
    assert.equal(flight.done, false);
    flight.push(content.subarray(i, i + 1));
  }
  assert.equal(flight.done, true);
  assert.equal(flight.result().certificate?.entries.length, 1);
});

test('a tampered byte anywhere in the record fails with WT_ERR_WIRE_DECRYPT', () => {
  const record = flightRecord();
  for (const at of [0, 100, record.fragment.length - 1]) {
    const fragment = record.fragment.slice();
    fragment[at]! ^= 0x01;
    const decryptor = new HandshakeDecryptor(0x1301, fromHex(RFC8448.serverHandshakeTrafficSecret));
    assert.throws(() => decryptor.open({ ...record, fragment }), {
      code: 'WT_ERR_WIRE_DECRYPT',
    });
    assert.equal(decryptor.sequence, 0n);
  }
  // The header is authenticated too.
  const decryptor = new HandshakeDecryptor(0x1301, fromHex(RFC8448.serverHandshakeTrafficSecret));
  assert.throws(() => decryptor.open({ ...record, version: 0x0301 }), {
    code: 'WT_ERR_WIRE_DECRYPT',
  });
});

test('the wrong sequence number fails authentication', () => {
  const decryptor = new HandshakeDecryptor(0x1301, fromHex(RFC8448.serverHandshakeTrafficSecret));
  decryptor.open(flightRecord());
  assert.throws(() => decryptor.open(flightRecord()), { code: 'WT_ERR_WIRE_DECRYPT' });
});
