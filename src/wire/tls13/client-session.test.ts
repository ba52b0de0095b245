// The client session against the scripted server of testdata/fake-server.ts, in memory:
// a full handshake, tickets, resumption with and without 0-RTT, and hostile
// post-handshake input.
import assert from 'node:assert/strict';
import test from 'node:test';
import { ByteWriter, concatBytes, fromHex } from '../../core/bytes.ts';
import { WiretightError } from '../../errors.ts';
import { buildClientHello, encodeClientHello } from '../client-hello.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../handshake.ts';
import { CONTENT_TYPE, RecordDeframer, type TlsRecord } from '../record.ts';
import { EXTENSION_TYPES as X } from '../registry/extension-types.ts';
import { parseServerHello } from '../server-hello.ts';
import { type ResumptionTicket, Tls13ClientSession } from './client-session.ts';
import { earlyDataIndication } from './early-data.ts';
import { generateKeyShare } from './key-exchange.ts';
import { decodeServerPreSharedKey } from './pre-shared-key.ts';
import { offerPsk } from './psk-client-hello.ts';
import { RecordSealer } from './record-sealer.ts';
import {
  type AfterFinished,
  FAKE_MAX_EARLY_DATA,
  FakeTls13Server,
} from './testdata/fake-server.ts';
import { RFC8448 } from './testdata/rfc8448.ts';

const X25519 = 0x001d;

function records(writes: readonly Uint8Array[]): TlsRecord[] {
  const deframer = new RecordDeframer();
  deframer.push(concatBytes(writes));
  const out: TlsRecord[] = [];
  for (let r = deframer.next(); r !== undefined; r = deframer.next()) out.push(r);
  return out;
}

interface Connected {
  readonly session: Tls13ClientSession;
  readonly serverHello: Uint8Array;
  readonly protectedRecords: readonly TlsRecord[];
}

function connect(server: FakeTls13Server, ticket?: ResumptionTicket): Connected {
  const share = generateKeyShare(X25519);
  const base = buildClientHello({
    version: 0x0303,
    cipherSuites: [0x1301],
    supportedVersions: [0x0304],
    supportedGroups: [X25519],
    keyShares: [{ group: X25519, keyExchange: share.publicKey }],
    signatureAlgorithms: [0x0403],
    ...(ticket === undefined ? {} : { extraExtensions: [earlyDataIndication()] }),
  });
  const offer =
    ticket === undefined
      ? undefined
      : offerPsk(base, {
          suite: ticket.suite,
          psk: ticket.psk,
          identity: ticket.ticket.ticket,
          obfuscatedTicketAge: ticket.ticket.ageAdd,
        });
  const clientHello = offer?.message ?? encodeClientHello(base);
  const [first, ...rest] = records(server.respond(clientHello));
  assert.equal(first?.type, CONTENT_TYPE.handshake);
  const serverHello = first!.fragment;
  const facts = parseServerHello(serverHello.subarray(4));
  const keyShare = facts.extensions!.find((e) => e.type === X.key_share)!;
  const session = new Tls13ClientSession({
    suite: facts.cipherSuite,
    clientHello,
    serverHello,
    sharedSecret: share.sharedSecret(keyShare.data.subarray(4)),
    ...(offer === undefined ? {} : { earlySecret: offer.earlySecret }),
  });
  return { session, serverHello, protectedRecords: rest };
}

function ticketsFrom(c: Connected): ResumptionTicket[] {
  const tickets: ResumptionTicket[] = [];
  for (const record of c.protectedRecords) {
    for (const t of c.session.receive(record).tickets) tickets.push(c.session.resumptionTicket(t));
  }
  return tickets;
}

test('full handshake: the client flight follows the server Finished, then two tickets', () => {
  const server = new FakeTls13Server();
  const c = connect(server);
  const [flight, ...after] = c.protectedRecords;
  const received = c.session.receive(flight!);
  assert.ok(received.send, 'the client flight is produced with the server Finished');
  assert.equal(c.session.handshakeDone, true);
  const tickets = after.flatMap((r) => c.session.receive(r).tickets);
  assert.equal(tickets.length, 2);
  assert.equal(tickets[0]?.lifetimeSec, 7200);
  assert.equal(tickets[0]?.maxEarlyDataSize, undefined);
});

test('resumption: the PSK from our ticket is accepted, and 0-RTT only when the server allows', () => {
  for (const earlyData of [false, true]) {
    const server = new FakeTls13Server({ earlyData });
    const [ticket] = ticketsFrom(connect(server));
    assert.ok(ticket);
    assert.equal(ticket.ticket.maxEarlyDataSize, earlyData ? FAKE_MAX_EARLY_DATA : undefined);
    const resumed = connect(server, ticket);
    const sh = parseServerHello(resumed.serverHello.subarray(4));
    const psk = sh.extensions!.find((e) => e.type === X.pre_shared_key);
    assert.equal(decodeServerPreSharedKey(psk!.data), 0);
    resumed.session.receive(resumed.protectedRecords[0]!);
    assert.equal(resumed.session.flight.encryptedExtensions !== undefined, true);
    assert.equal(resumed.session.earlyDataAccepted, earlyData);
    assert.equal(server.resumed, 1);
  }
});

test('a CertificateRequest is answered with an empty Certificate: the server resumes our ticket', () => {
  const server = new FakeTls13Server({ certificateRequest: true });
  const c = connect(server);
  c.session.receive(c.protectedRecords[0]!);
  assert.ok(c.session.flight.certificateRequest);
  const [ticket] = ticketsFrom({ ...c, protectedRecords: c.protectedRecords.slice(1) });
  // The server derived the PSK from the transcript it expected (empty Certificate included).
  const resumed = connect(server, ticket);
  assert.equal(server.resumed, 1);
  assert.ok(
    parseServerHello(resumed.serverHello.subarray(4)).extensions!.some(
      (e) => e.type === X.pre_shared_key,
    ),
  );
});

test('a wrong PSK makes the server refuse the binder', () => {
  const server = new FakeTls13Server();
  const [ticket] = ticketsFrom(connect(server));
  const wrong = { ...ticket!, psk: ticket!.psk.map((b) => b ^ 1) };
  const share = generateKeyShare(X25519);
  const hello = offerPsk(
    buildClientHello({
      version: 0x0303,
      cipherSuites: [0x1301],
      supportedVersions: [0x0304],
      keyShares: [{ group: X25519, keyExchange: share.publicKey }],
    }),
    { suite: 0x1301, psk: wrong.psk, identity: wrong.ticket.ticket, obfuscatedTicketAge: 0 },
  );
  const [alert] = records(server.respond(hello.message));
  assert.equal(alert?.type, CONTENT_TYPE.alert);
  assert.equal(server.resumed, 0);
});

/** A full handshake whose post-handshake records are what `after` makes. */
function afterHandshake(after: (s: AfterFinished) => Uint8Array[]): Connected {
  const c = connect(new FakeTls13Server({ afterFinished: after }));
  c.session.receive(c.protectedRecords[0]!);
  return { ...c, protectedRecords: c.protectedRecords.slice(1) };
}

test('application data and alerts after the handshake are reported, not fatal', () => {
  const c = afterHandshake((s) => [
    s.seal(CONTENT_TYPE.application_data, new TextEncoder().encode('220 ready\r\n')),
    s.seal(CONTENT_TYPE.alert, Uint8Array.of(1, 0)),
  ]);
  assert.equal(c.session.receive(c.protectedRecords[0]!).applicationData, 11);
  assert.equal(c.session.receive(c.protectedRecords[1]!).alert?.name, 'close_notify');
});

test('a KeyUpdate moves to the next server secret; tickets after it still open', () => {
  const c = afterHandshake((s) => [s.keyUpdate(), s.seal(CONTENT_TYPE.handshake, s.ticket())]);
  assert.equal(c.session.receive(c.protectedRecords[0]!).tickets.length, 0);
  assert.equal(c.session.receive(c.protectedRecords[1]!).tickets.length, 1);
});

test('hostile post-handshake messages: typed errors, never a crash', () => {
  const cases: [string, (s: AfterFinished) => Uint8Array[], string][] = [
    [
      'garbage ticket',
      (s) => [
        s.seal(
          CONTENT_TYPE.handshake,
          encodeHandshake(HANDSHAKE_TYPE.new_session_ticket, Uint8Array.of(1, 2, 3)),
        ),
      ],
      'WT_ERR_WIRE_DECODE',
    ],
    [
      'ticket above the cap',
      (s) => {
        const body = new ByteWriter()
          .u32(60)
          .u32(0)
          .u8(0)
          .u16(20000)
          .bytes(new Uint8Array(20000))
          .u16(0)
          .finish();
        const message = encodeHandshake(HANDSHAKE_TYPE.new_session_ticket, body);
        return [
          s.seal(CONTENT_TYPE.handshake, message.subarray(0, 16000)),
          s.seal(CONTENT_TYPE.handshake, message.subarray(16000)),
        ];
      },
      'WT_ERR_WIRE_TOO_LARGE',
    ],
    [
      'message announcing 16 MiB',
      (s) => [s.seal(CONTENT_TYPE.handshake, Uint8Array.of(4, 0xff, 0xff, 0xff))],
      'WT_ERR_WIRE_TOO_LARGE',
    ],
    [
      'unexpected post-handshake type',
      (s) => [
        s.seal(
          CONTENT_TYPE.handshake,
          encodeHandshake(HANDSHAKE_TYPE.server_hello, new Uint8Array(4)),
        ),
      ],
      'WT_ERR_WIRE_DECODE',
    ],
    [
      'KeyUpdate not at a record boundary',
      (s) => [
        s.seal(
          CONTENT_TYPE.handshake,
          concatBytes([encodeHandshake(HANDSHAKE_TYPE.key_update, Uint8Array.of(0)), s.ticket()]),
        ),
      ],
      'WT_ERR_WIRE_DECODE',
    ],
    [
      'KeyUpdate with a bad request_update',
      (s) => [
        s.seal(
          CONTENT_TYPE.handshake,
          encodeHandshake(HANDSHAKE_TYPE.key_update, Uint8Array.of(7)),
        ),
      ],
      'WT_ERR_WIRE_DECODE',
    ],
  ];
  for (const [name, after, code] of cases) {
    const c = afterHandshake(after);
    assert.throws(
      () => {
        for (const r of c.protectedRecords) c.session.receive(r);
      },
      (err: unknown) => err instanceof WiretightError && err.code === code,
      name,
    );
  }
});

test('application data before the server Finished is a DecodeError', () => {
  const session = new Tls13ClientSession({
    suite: 0x1301,
    clientHello: fromHex(RFC8448.clientHello),
    serverHello: fromHex(RFC8448.serverHello),
    sharedSecret: fromHex(RFC8448.sharedSecret),
  });
  const sealed = new RecordSealer(0x1301, fromHex(RFC8448.serverHandshakeTrafficSecret)).seal(
    CONTENT_TYPE.application_data,
    Uint8Array.of(1, 2, 3),
  );
  const [record] = records([sealed]);
  assert.throws(() => session.receive(record!), { code: 'WT_ERR_WIRE_DECODE' });
});

test('a tampered flight record fails with WT_ERR_WIRE_DECRYPT', () => {
  const c = connect(new FakeTls13Server());
  const fragment = c.protectedRecords[0]!.fragment.slice();
  fragment[3]! ^= 1;
  assert.throws(() => c.session.receive({ ...c.protectedRecords[0]!, fragment }), {
    code: 'WT_ERR_WIRE_DECRYPT',
  });
});
