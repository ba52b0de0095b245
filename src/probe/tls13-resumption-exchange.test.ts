// The two resumption exchanges against scripted TLS 1.3 servers on loopback (the fake
// server of wire/tls13/testdata): tickets, resumption, 0-RTT, and every way a hostile
// server can fail to give a ticket, each ending in a typed outcome within its deadline.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import test, { type TestContext } from 'node:test';
import { ByteWriter, concatBytes } from '../core/bytes.ts';
import { buildClientHello } from '../wire/client-hello.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../wire/handshake.ts';
import { CONTENT_TYPE } from '../wire/record.ts';
import { earlyDataIndication } from '../wire/tls13/early-data.ts';
import { generateKeyShare } from '../wire/tls13/key-exchange.ts';
import {
  type AfterFinished,
  type FakeServerOptions,
  FakeTls13Server,
  fakeConnection,
} from '../wire/tls13/testdata/fake-server.ts';
import type { Endpoint } from './connection.ts';
import { serve } from './testdata/peer.ts';
import {
  type ResumptionOutcome,
  type TicketExchangeOptions,
  type TicketOutcome,
  tls13ResumptionExchange,
  tls13TicketExchange,
} from './tls13-resumption-exchange.ts';

const X25519 = 0x001d;
const LIMITS = { timeoutMs: 3000, maxBytes: 0 };

/** Runs `server` on loopback for the test's lifetime. */
function peer(
  t: TestContext,
  server: FakeTls13Server,
  after?: (s: Socket) => void,
  edit?: (writes: Uint8Array[]) => Uint8Array[],
): Promise<Endpoint> {
  return serve(t, fakeConnection(server, { ...(after && { after }), ...(edit && { edit }) }));
}

function hello(early = false) {
  const share = generateKeyShare(X25519);
  return {
    share,
    hello: buildClientHello({
      version: 0x0303,
      cipherSuites: [0x1301],
      supportedVersions: [0x0304],
      supportedGroups: [X25519],
      keyShares: [{ group: X25519, keyExchange: share.publicKey }],
      signatureAlgorithms: [0x0403, 0x0804],
      ...(early ? { extraExtensions: [earlyDataIndication()] } : {}),
    }),
  };
}

async function getTicket(
  endpoint: Endpoint,
  options: Partial<TicketExchangeOptions> = {},
): Promise<TicketOutcome> {
  const { share, hello: ch } = hello();
  return tls13TicketExchange(endpoint, ch, share, { ...LIMITS, ...options });
}

async function resume(
  endpoint: Endpoint,
  ticket: TicketOutcome,
  earlyData: Uint8Array | undefined,
  now?: () => number,
): Promise<ResumptionOutcome> {
  assert.equal(ticket.kind, 'ticket');
  if (ticket.kind !== 'ticket') throw new TypeError('no ticket');
  const { share, hello: ch } = hello(earlyData !== undefined);
  return tls13ResumptionExchange(
    endpoint,
    {
      hello: ch,
      share,
      ticket: ticket.ticket,
      receivedAtMs: ticket.receivedAtMs,
      ...(earlyData === undefined ? {} : { earlyData }),
    },
    { ...LIMITS, ...(now === undefined ? {} : { now }) },
  );
}

async function fake(t: TestContext, options: FakeServerOptions = {}) {
  const server = new FakeTls13Server(options);
  return { server, endpoint: await peer(t, server) };
}

test('a ticket, then resumption with 0-RTT accepted', async (t) => {
  const { server, endpoint } = await fake(t, { earlyData: true });
  const ticket = await getTicket(endpoint);
  assert.equal(ticket.kind, 'ticket');
  if (ticket.kind !== 'ticket') return;
  assert.equal(ticket.ticket.ticket.maxEarlyDataSize, 16384);
  assert.equal(ticket.certificateRequested, false);
  const resumed = await resume(endpoint, ticket, new Uint8Array(0));
  assert.deepEqual(
    resumed.kind === 'server-hello' && [resumed.resumed, resumed.earlyDataAccepted],
    [true, true],
  );
  assert.equal(server.earlyDataAccepted, 1);
});

test('resumption without 0-RTT on offer, and a server that refuses every ticket', async (t) => {
  const accepting = await fake(t, { earlyData: true });
  const resumed = await resume(accepting.endpoint, await getTicket(accepting.endpoint), undefined);
  assert.deepEqual(
    resumed.kind === 'server-hello' && [resumed.resumed, resumed.earlyDataAccepted],
    [true, false],
  );
  const refusing = await fake(t, { refuseResumption: true });
  const full = await resume(
    refusing.endpoint,
    await getTicket(refusing.endpoint),
    new Uint8Array(3),
  );
  assert.deepEqual(full.kind === 'server-hello' && [full.resumed, full.earlyDataAccepted], [
    false,
    false,
  ]);
});

test('the ticket age is obfuscated with ticket_age_add, on the injected clock', async (t) => {
  const { server, endpoint } = await fake(t);
  let clock = 1_000_000;
  const ticket = await getTicket(endpoint, { now: () => clock });
  clock += 1234;
  await resume(endpoint, ticket, undefined, () => clock);
  // The fake server's ticket_age_add is 0x01020304.
  assert.deepEqual(server.obfuscatedAges, [0x01020304 + 1234]);
});

test('a CertificateRequest is answered with an empty Certificate, and the ticket still works', async (t) => {
  const { server, endpoint } = await fake(t, { certificateRequest: true });
  const ticket = await getTicket(endpoint);
  assert.equal(ticket.kind === 'ticket' && ticket.certificateRequested, true);
  const resumed = await resume(endpoint, ticket, undefined);
  assert.equal(resumed.kind === 'server-hello' && resumed.resumed, true);
  assert.equal(server.resumed, 1);
});

function noTicket(outcome: TicketOutcome): [string, boolean] | string {
  return outcome.kind === 'no-ticket' ? [outcome.why, outcome.handshakeDone] : outcome.kind;
}

test('hostile: garbage and oversized tickets are malformed, with their codes', async (t) => {
  const cases: [(s: AfterFinished) => Uint8Array[], string][] = [
    [
      (s) => [
        s.seal(
          CONTENT_TYPE.handshake,
          encodeHandshake(HANDSHAKE_TYPE.new_session_ticket, Uint8Array.of(9, 9, 9)),
        ),
      ],
      'WT_ERR_WIRE_DECODE',
    ],
    [
      (s) => {
        const body = new ByteWriter()
          .u32(60)
          .u32(0)
          .u8(0)
          .u16(0xffff)
          .bytes(new Uint8Array(0xffff))
          .u16(0)
          .finish();
        const message = encodeHandshake(HANDSHAKE_TYPE.new_session_ticket, body);
        const out: Uint8Array[] = [];
        for (let at = 0; at < message.length; at += 0x4000) {
          out.push(s.seal(CONTENT_TYPE.handshake, message.subarray(at, at + 0x4000)));
        }
        return out;
      },
      'WT_ERR_WIRE_TOO_LARGE',
    ],
    [
      (s) => [s.seal(CONTENT_TYPE.handshake, Uint8Array.of(4, 0xff, 0xff, 0xff))],
      'WT_ERR_WIRE_TOO_LARGE',
    ],
  ];
  for (const [afterFinished, code] of cases) {
    const { endpoint } = await fake(t, { afterFinished });
    const outcome = await getTicket(endpoint);
    assert.equal(outcome.kind, 'malformed');
    assert.equal(outcome.kind === 'malformed' && outcome.error.code, code);
  }
});

test('hostile: a server that never sends a ticket costs the ticket wait, or the deadline', async (t) => {
  const { endpoint } = await fake(t, { afterFinished: () => [] });
  const started = Date.now();
  assert.deepEqual(noTicket(await getTicket(endpoint, { ticketWaitMs: 200 })), [
    'wait-expired',
    true,
  ]);
  assert.ok(Date.now() - started < LIMITS.timeoutMs, 'the wait, not the deadline, ended it');
  assert.deepEqual(noTicket(await getTicket(endpoint, { ticketWaitMs: 10_000, timeoutMs: 300 })), [
    'deadline',
    true,
  ]);
});

test('hostile: truncated records end in a typed outcome, never a hang', async (t) => {
  // A record header announcing 100 bytes, 10 sent, then the server closes.
  const cut = concatBytes([Uint8Array.of(23, 3, 3, 0, 100), new Uint8Array(10)]);
  const server = new FakeTls13Server({ afterFinished: () => [cut] });
  const closing = await peer(t, server, (s) => s.end());
  assert.deepEqual(noTicket(await getTicket(closing)), ['closed', true]);
  // The same, but the server stays silent: the ticket wait ends it.
  const silent = await fake(t, { afterFinished: () => [cut] });
  assert.deepEqual(noTicket(await getTicket(silent.endpoint, { ticketWaitMs: 200 })), [
    'wait-expired',
    true,
  ]);
  // Cut inside the server's flight, then closed: the handshake never completes.
  const inFlight = await peer(
    t,
    new FakeTls13Server(),
    (s) => s.end(),
    ([serverHello, flight]) => [serverHello!, flight!.subarray(0, 40)],
  );
  assert.deepEqual(noTicket(await getTicket(inFlight)), ['closed', false]);
  // Cut inside the ServerHello: no answer at all.
  const inHello = await peer(
    t,
    new FakeTls13Server(),
    (s) => s.end(),
    ([serverHello]) => [serverHello!.subarray(0, 30)],
  );
  assert.equal((await getTicket(inHello)).kind, 'closed');
});

test('hostile: alerts and endless application data instead of a ticket', async (t) => {
  const alerting = await fake(t, {
    afterFinished: (s) => [s.seal(CONTENT_TYPE.alert, Uint8Array.of(2, 116))],
  });
  const alerted = await getTicket(alerting.endpoint);
  assert.deepEqual(noTicket(alerted), ['alert', true]);
  assert.equal(alerted.kind === 'no-ticket' && alerted.alert?.name, 'certificate_required');
  const chatty = await fake(t, {
    afterFinished: (s) =>
      Array.from({ length: 40 }, () => s.seal(CONTENT_TYPE.application_data, new Uint8Array(100))),
  });
  assert.deepEqual(noTicket(await getTicket(chatty.endpoint, { maxPostHandshakeRecords: 8 })), [
    'record-limit',
    true,
  ]);
});

test('hostile resumption: a selected_identity we never offered, and garbage for EncryptedExtensions', async (t) => {
  const lying = await fake(t, { selectedIdentity: 1 });
  const liar = await resume(lying.endpoint, await getTicket(lying.endpoint), new Uint8Array(0));
  assert.equal(liar.kind === 'malformed' && liar.error.code, 'WT_ERR_WIRE_DECODE');

  const garbled = await fake(t, {
    earlyData: true,
    resumedFlight: (sealer) => [
      sealer.seal(CONTENT_TYPE.handshake, Uint8Array.of(8, 0, 0, 3, 0, 5, 0xff)),
    ],
  });
  const outcome = await resume(
    garbled.endpoint,
    await getTicket(garbled.endpoint),
    new Uint8Array(0),
  );
  assert.equal(outcome.kind, 'server-hello');
  if (outcome.kind !== 'server-hello') return;
  assert.equal(outcome.resumed, true);
  assert.equal(outcome.earlyDataAccepted, undefined);
  assert.equal(outcome.error?.code, 'WT_ERR_WIRE_DECODE');

  // early_data in EncryptedExtensions must be empty: one that carries data is not a yes.
  const padded = await fake(t, {
    earlyData: true,
    resumedFlight: (sealer) => [
      sealer.seal(CONTENT_TYPE.handshake, Uint8Array.of(8, 0, 0, 7, 0, 5, 0, 42, 0, 1, 0)),
    ],
  });
  const lied = await resume(padded.endpoint, await getTicket(padded.endpoint), new Uint8Array(0));
  assert.equal(lied.kind === 'server-hello' && lied.earlyDataAccepted, undefined);
  assert.equal(lied.kind === 'server-hello' && lied.error?.code, 'WT_ERR_WIRE_DECODE');
});

test('hostile: a TLS 1.3 ServerHello naming a TLS 1.2 suite is malformed, not a crash', async (t) => {
  // The suite sits after the record and handshake headers, version, random and 32-byte id.
  const at = 5 + 4 + 2 + 32 + 1 + 32;
  const endpoint = await peer(t, new FakeTls13Server(), undefined, ([serverHello, ...rest]) => {
    const patched = serverHello!.slice();
    patched.set([0xc0, 0x2f], at);
    return [patched, ...rest];
  });
  const outcome = await getTicket(endpoint);
  assert.equal(outcome.kind === 'malformed' && outcome.error.code, 'WT_ERR_WIRE_DECODE');
  assert.match(outcome.kind === 'malformed' ? outcome.error.message : '', /0xc02f/);
});

test('a server whose answer arrives in 3-byte pieces still gives its ticket', async (t) => {
  const server = new FakeTls13Server();
  const endpoint = await peer(t, server, undefined, (writes) => {
    const all = concatBytes(writes);
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < all.length; at += 3) pieces.push(all.subarray(at, at + 3));
    return pieces;
  });
  const ticket = await getTicket(endpoint);
  assert.equal(ticket.kind, 'ticket');
  const resumed = await resume(endpoint, ticket, undefined);
  assert.equal(resumed.kind === 'server-hello' && resumed.resumed, true);
});
