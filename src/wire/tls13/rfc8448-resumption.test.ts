// The resumption half of RFC 8448: §3's client Finished, application and resumption
// secrets and NewSessionTicket, then §4's resumed 0-RTT handshake (binder, early traffic
// keys, sealed early data, the server's flight with early_data, EndOfEarlyData, Finished).
import assert from 'node:assert/strict';
import test from 'node:test';
import { concatBytes, fromHex, toHex } from '../../core/bytes.ts';
import { parseClientHello } from '../client-hello.ts';
import { HANDSHAKE_TYPE } from '../handshake.ts';
import { CONTENT_TYPE, type TlsRecord } from '../record.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';
import { deriveApplicationSecrets, resumptionMasterSecret } from './application-key-schedule.ts';
import { Tls13ClientSession } from './client-session.ts';
import { clientFinished, endOfEarlyData } from './client-flight.ts';
import { deriveHandshakeSecrets, trafficKeys } from './key-schedule.ts';
import { encodeNewSessionTicket, parseNewSessionTicket } from './new-session-ticket.ts';
import { decodeOfferedPsks } from './pre-shared-key.ts';
import { offerPsk } from './psk-client-hello.ts';
import {
  binderKey,
  clientEarlyTrafficSecret,
  deriveHandshakeSecretsFrom,
  earlySecretFromPsk,
  pskBinder,
  zeroEarlySecret,
} from './psk-key-schedule.ts';
import { HandshakeDecryptor } from './record-protection.ts';
import { RecordSealer } from './record-sealer.ts';
import { transcriptHash } from './transcript.ts';
import { RFC8448 } from './testdata/rfc8448.ts';
import { RFC8448_RESUMPTION as R } from './testdata/rfc8448-resumption.ts';

const SUITE = 0x1301;
const first = R.firstHandshake;
const hex = fromHex;

function record(h: string): TlsRecord {
  const bytes = fromHex(h);
  return { type: bytes[0]!, version: (bytes[1]! << 8) | bytes[2]!, fragment: bytes.subarray(5) };
}

/** §3's flight messages after the ServerHello, through the server's Finished. */
const firstFlight = [
  RFC8448.encryptedExtensions,
  RFC8448.certificate,
  RFC8448.certificateVerify,
  RFC8448.serverFinished,
].map(hex);

function firstSession(): Tls13ClientSession {
  return new Tls13ClientSession({
    suite: SUITE,
    clientHello: hex(RFC8448.clientHello),
    serverHello: hex(RFC8448.serverHello),
    sharedSecret: hex(RFC8448.sharedSecret),
    compatibilityCcs: false,
  });
}

test('§3: a given zero early secret gives the same handshake secrets as a full handshake', () => {
  const hellos = [hex(RFC8448.clientHello), hex(RFC8448.serverHello)] as const;
  const full = deriveHandshakeSecrets(SUITE, hex(RFC8448.sharedSecret), hellos);
  const from = deriveHandshakeSecretsFrom(
    SUITE,
    zeroEarlySecret(SUITE),
    hex(RFC8448.sharedSecret),
    hellos,
  );
  assert.deepEqual(from, full);
});

test('§3: master, application and resumption secrets', () => {
  const hs = deriveHandshakeSecrets(SUITE, hex(RFC8448.sharedSecret), [
    hex(RFC8448.clientHello),
    hex(RFC8448.serverHello),
  ]);
  const transcript = [hex(RFC8448.clientHello), hex(RFC8448.serverHello), ...firstFlight];
  const app = deriveApplicationSecrets(
    SUITE,
    hs.handshakeSecret,
    transcriptHash('sha256', transcript),
  );
  assert.equal(toHex(app.masterSecret), first.masterSecret);
  assert.equal(toHex(app.clientApplicationTrafficSecret), first.clientApplicationTrafficSecret);
  assert.equal(toHex(app.serverApplicationTrafficSecret), first.serverApplicationTrafficSecret);
  const keys = trafficKeys(SUITE, app.serverApplicationTrafficSecret);
  assert.equal(toHex(keys.key), first.serverApplicationKey);
  assert.equal(toHex(keys.iv), first.serverApplicationIv);
  const finished = clientFinished(
    SUITE,
    hs.clientHandshakeTrafficSecret,
    transcriptHash('sha256', transcript),
  );
  assert.equal(toHex(finished), first.clientFinished);
  const rms = resumptionMasterSecret(
    SUITE,
    app.masterSecret,
    transcriptHash('sha256', [...transcript, finished]),
  );
  assert.equal(toHex(rms), first.resumptionMasterSecret);
});

test('§3: the NewSessionTicket parses, encodes back byte for byte, and allows 1024 bytes', () => {
  const message = hex(first.newSessionTicket);
  assert.equal(message[0], HANDSHAKE_TYPE.new_session_ticket);
  const nst = parseNewSessionTicket(message.subarray(4));
  assert.equal(nst.lifetimeSec, first.ticketLifetime);
  assert.equal(nst.ageAdd, first.ticketAgeAdd);
  assert.equal(toHex(nst.nonce), '0000');
  assert.equal(nst.ticket.length, 0xb2);
  assert.equal(nst.maxEarlyDataSize, first.maxEarlyDataSize);
  assert.equal(toHex(encodeNewSessionTicket(nst)), first.newSessionTicket.slice(8));
});

test('§3: the client session answers the flight with the published Finished and ticket PSK', () => {
  const session = firstSession();
  assert.equal(session.handshakeDone, false);
  const received = session.receive(record(RFC8448.serverFlightRecord));
  assert.equal(session.handshakeDone, true);
  assert.equal(session.earlyDataAccepted, false);
  assert.ok(received.send);
  // One record under the client handshake keys, holding exactly the client Finished.
  const opened = new HandshakeDecryptor(SUITE, hex(RFC8448.clientHandshakeTrafficSecret)).open(
    record(toHex(received.send)),
  );
  assert.equal(opened.contentType, CONTENT_TYPE.handshake);
  assert.equal(toHex(opened.content), first.clientFinished);
  const nst = parseNewSessionTicket(hex(first.newSessionTicket).subarray(4));
  const ticket = session.resumptionTicket(nst);
  assert.equal(toHex(ticket.psk), first.resumptionPsk);
  assert.equal(ticket.suite, SUITE);
});

test('§3: with middlebox compatibility the flight starts with a change_cipher_spec record', () => {
  const session = new Tls13ClientSession({
    suite: SUITE,
    clientHello: hex(RFC8448.clientHello),
    serverHello: hex(RFC8448.serverHello),
    sharedSecret: hex(RFC8448.sharedSecret),
  });
  const send = session.receive(record(RFC8448.serverFlightRecord)).send!;
  assert.equal(toHex(send.subarray(0, 6)), '140303000101');
  assert.equal(send[6], CONTENT_TYPE.application_data);
});

test('§3: tickets cannot be turned into PSKs before the handshake is done', () => {
  const nst = parseNewSessionTicket(hex(first.newSessionTicket).subarray(4));
  assert.throws(() => firstSession().resumptionTicket(nst), TypeError);
});

test('§4: the early secret, binder key and binder', () => {
  const early = earlySecretFromPsk(SUITE, hex(first.resumptionPsk));
  assert.equal(toHex(early), R.earlySecret);
  const key = binderKey(SUITE, early);
  assert.equal(toHex(key), R.binderKey);
  assert.equal(toHex(pskBinder(SUITE, key, hex(R.truncatedHelloHash))), R.binder);
  // The truncated hello is everything before the binders list (2 + 1 + 32 bytes).
  const hello = hex(R.clientHello);
  const truncated = hello.subarray(0, hello.length - 35);
  assert.equal(toHex(transcriptHash('sha256', [truncated])), R.truncatedHelloHash);
});

test('§4: offering the ticket rebuilds the published ClientHello, binder included', () => {
  const published = parseClientHello(hex(R.clientHello).subarray(4));
  const extensions = published.extensions!;
  const psk = extensions.at(-1)!;
  assert.equal(psk.type, X.pre_shared_key);
  const offered = decodeOfferedPsks(psk.data);
  assert.equal(offered.identities[0]?.obfuscatedTicketAge, R.obfuscatedTicketAge);

  const nst = parseNewSessionTicket(hex(first.newSessionTicket).subarray(4));
  const built = offerPsk(
    { ...published, extensions: extensions.slice(0, -1) },
    {
      suite: SUITE,
      psk: hex(first.resumptionPsk),
      identity: nst.ticket,
      obfuscatedTicketAge: R.obfuscatedTicketAge,
    },
  );
  assert.equal(toHex(built.message), R.clientHello);
  assert.equal(toHex(built.binder), R.binder);
  assert.equal(toHex(built.earlySecret), R.earlySecret);
});

test('§4: early traffic keys seal the published early data and EndOfEarlyData records', () => {
  const secret = clientEarlyTrafficSecret(SUITE, hex(R.earlySecret), hex(R.clientHello));
  assert.equal(toHex(secret), R.clientEarlyTrafficSecret);
  const keys = trafficKeys(SUITE, secret);
  assert.equal(toHex(keys.key), R.clientEarlyKey);
  assert.equal(toHex(keys.iv), R.clientEarlyIv);
  const sealer = new RecordSealer(SUITE, secret);
  assert.equal(
    toHex(sealer.seal(CONTENT_TYPE.application_data, hex(R.earlyData))),
    R.earlyDataRecord,
  );
  assert.equal(
    toHex(sealer.seal(CONTENT_TYPE.handshake, endOfEarlyData())),
    R.endOfEarlyDataRecord,
  );
  assert.equal(sealer.sequence, 2n);
});

test('§4: the resumed session reads early_data in EncryptedExtensions and sends the published flight', () => {
  const early = hex(R.earlySecret);
  const hs = deriveHandshakeSecretsFrom(SUITE, early, hex(R.sharedSecret), [
    hex(R.clientHello),
    hex(R.serverHello),
  ]);
  assert.equal(toHex(hs.handshakeSecret), R.handshakeSecret);
  assert.equal(toHex(hs.clientHandshakeTrafficSecret), R.clientHandshakeTrafficSecret);
  assert.equal(toHex(hs.serverHandshakeTrafficSecret), R.serverHandshakeTrafficSecret);
  const clientKeys = trafficKeys(SUITE, hs.clientHandshakeTrafficSecret);
  assert.equal(toHex(clientKeys.key), R.clientHandshakeKey);
  assert.equal(toHex(clientKeys.iv), R.clientHandshakeIv);

  const earlySealer = new RecordSealer(
    SUITE,
    clientEarlyTrafficSecret(SUITE, early, hex(R.clientHello)),
  );
  earlySealer.seal(CONTENT_TYPE.application_data, hex(R.earlyData));
  const session = new Tls13ClientSession({
    suite: SUITE,
    clientHello: hex(R.clientHello),
    serverHello: hex(R.serverHello),
    sharedSecret: hex(R.sharedSecret),
    earlySecret: early,
    earlySealer,
    compatibilityCcs: false,
  });
  const received = session.receive(record(R.serverFlightRecord));
  assert.equal(session.earlyDataAccepted, true);
  assert.deepEqual(session.flight.messages.map(toHex), [R.encryptedExtensions, R.serverFinished]);
  assert.equal(
    toHex(received.send!),
    toHex(concatBytes([hex(R.endOfEarlyDataRecord), hex(R.clientFinishedRecord)])),
  );
});
