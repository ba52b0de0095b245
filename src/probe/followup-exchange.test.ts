import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import test from 'node:test';
import { concatBytes } from '../core/bytes.ts';
import { WiretightError } from '../errors.ts';
import { encodeAlert } from '../wire/alert.ts';
import { buildClientHello, clientHelloRecords } from '../wire/client-hello.ts';
import { encodeServerSupportedVersion } from '../wire/extensions/supported-versions.ts';
import { HANDSHAKE_TYPE, encodeHandshake } from '../wire/handshake.ts';
import { CONTENT_TYPE, encodeRecords } from '../wire/record.ts';
import { EXTENSION_TYPES as X } from '../wire/registry/extension-types.ts';
import { type ServerHello, encodeServerHelloBody } from '../wire/server-hello.ts';
import {
  type FollowUpOptions,
  type FollowUpOutcome,
  type FollowUpPlan,
  MAX_REACTION_RECORDS,
  type ServerFlight,
  followUpExchange,
} from './followup-exchange.ts';
import { serve } from './testdata/peer.ts';

const HELLO = clientHelloRecords(buildClientHello({ version: 0x0303, cipherSuites: [0x009c] }));
const OPTIONS: FollowUpOptions = { timeoutMs: 3000, maxBytes: 0, quietMs: 200 };

function serverHello(over: Partial<ServerHello> = {}): Uint8Array {
  return encodeHandshake(
    HANDSHAKE_TYPE.server_hello,
    encodeServerHelloBody({
      legacyVersion: 0x0303,
      random: new Uint8Array(32).fill(3),
      sessionId: new Uint8Array(0),
      cipherSuite: 0x009c,
      compressionMethod: 0,
      extensions: [],
      ...over,
    }),
  );
}

const DONE = encodeHandshake(HANDSHAKE_TYPE.server_hello_done, new Uint8Array(0));
const FLIGHT = encodeRecords(CONTENT_TYPE.handshake, 0x0303, concatBytes([serverHello(), DONE]));
const alertRecord = (level: 1 | 2, description: number): Uint8Array =>
  encodeRecords(CONTENT_TYPE.alert, 0x0303, encodeAlert(level, description));
const STEP1 = encodeRecords(CONTENT_TYPE.change_cipher_spec, 0x0303, Uint8Array.of(1));
const STEP2 = encodeRecords(CONTENT_TYPE.alert, 0x0303, new Uint8Array(32).fill(9));

/**
 * A peer that answers the hello with `flight`, then calls `afterFlight` with each later
 * chunk the client sends (numbered from 1), so a test scripts its reaction step by step.
 */
function peer(
  flight: Uint8Array,
  afterFlight: (socket: Socket, chunk: Buffer, n: number) => void = () => {},
): (socket: Socket) => void {
  return (socket) => {
    let n = 0;
    socket.on('data', (chunk: Buffer) => {
      if (n++ === 0) socket.write(flight);
      else afterFlight(socket, chunk, n - 1);
    });
  };
}

const twoSteps = (): FollowUpPlan => ({ steps: [{ bytes: STEP1 }, { bytes: STEP2 }] });

function reacted(o: FollowUpOutcome): Extract<FollowUpOutcome, { kind: 'reacted' }> {
  assert.equal(o.kind, 'reacted', JSON.stringify(o));
  return o as Extract<FollowUpOutcome, { kind: 'reacted' }>;
}

test('the plan sees the flight; step 2 is sent only after silence; a fatal alert ends it', async (t) => {
  const received: Buffer[] = [];
  let seen: ServerFlight | undefined;
  const endpoint = await serve(
    t,
    peer(FLIGHT, (socket, chunk, n) => {
      received.push(chunk);
      if (n === 2) socket.write(alertRecord(2, 20));
    }),
  );
  const outcome = reacted(
    await followUpExchange(
      endpoint,
      HELLO,
      (flight) => {
        seen = flight;
        return twoSteps();
      },
      OPTIONS,
    ),
  );
  assert.equal(seen?.facts.cipherSuite, 0x009c);
  assert.deepEqual(
    seen?.messages.map((m) => m.type),
    [HANDSHAKE_TYPE.server_hello, HANDSHAKE_TYPE.server_hello_done],
  );
  assert.deepEqual(Buffer.concat(received), Buffer.from(concatBytes([STEP1, STEP2])));
  assert.equal(outcome.reactions.length, 2);
  assert.deepEqual(outcome.reactions[0], { records: [], end: 'quiet' });
  assert.equal(outcome.reactions[1]?.end, 'stopped');
  assert.deepEqual(outcome.reactions[1]?.records[0]?.fragment, encodeAlert(2, 20));
});

test('an answer to step 1 ends the exchange: step 2 is never sent', async (t) => {
  let chunks = 0;
  const endpoint = await serve(
    t,
    peer(FLIGHT, (socket) => {
      chunks++;
      socket.end(alertRecord(2, 10));
    }),
  );
  const outcome = reacted(await followUpExchange(endpoint, HELLO, twoSteps, OPTIONS));
  assert.equal(outcome.reactions.length, 1);
  assert.equal(outcome.reactions[0]?.end, 'stopped');
  assert.equal(chunks, 1);
});

test('a warning alert does not end the reading; the close after it does', async (t) => {
  const endpoint = await serve(
    t,
    peer(FLIGHT, (socket) => socket.end(concatBytes([alertRecord(1, 100), alertRecord(1, 0)]))),
  );
  const outcome = reacted(await followUpExchange(endpoint, HELLO, twoSteps, OPTIONS));
  assert.equal(outcome.reactions[0]?.records.length, 2);
  assert.equal(outcome.reactions[0]?.end, 'closed');
});

test('stopAtFirstRecord ends the step at the first complete record', async (t) => {
  const heartbeat = encodeRecords(CONTENT_TYPE.heartbeat, 0x0303, new Uint8Array(40));
  const endpoint = await serve(
    t,
    peer(FLIGHT, (socket) => socket.write(heartbeat)),
  );
  const outcome = reacted(
    await followUpExchange(
      endpoint,
      HELLO,
      () => ({ steps: [{ bytes: STEP1, stopAtFirstRecord: true }] }),
      OPTIONS,
    ),
  );
  // The peer keeps the connection open and silent: without the stop this would be 'quiet'.
  assert.equal(outcome.reactions[0]?.end, 'stopped');
  assert.equal(outcome.reactions[0]?.records[0]?.type, CONTENT_TYPE.heartbeat);
});

test("a record that arrives after a step went quiet is read as the next step's reaction", async (t) => {
  const endpoint = await serve(
    t,
    peer(FLIGHT, (socket, _chunk, n) => {
      // Answer step 1 late: after the client's quiet period, while step 2 is read.
      if (n === 1) setTimeout(() => socket.write(alertRecord(2, 40)), 350);
    }),
  );
  const outcome = reacted(await followUpExchange(endpoint, HELLO, twoSteps, OPTIONS));
  assert.equal(outcome.reactions[0]?.end, 'quiet');
  assert.equal(outcome.reactions[1]?.end, 'stopped');
  assert.deepEqual(outcome.reactions[1]?.records[0]?.fragment, encodeAlert(2, 40));
});

test('hostile: a close, a reset, or silence after the follow-up are reactions', async (t) => {
  const closed = await serve(
    t,
    peer(FLIGHT, (socket) => socket.end()),
  );
  const reset = await serve(
    t,
    peer(FLIGHT, (socket) => socket.resetAndDestroy()),
  );
  const oneStep = (): FollowUpPlan => ({ steps: [{ bytes: STEP1 }] });
  const a = reacted(await followUpExchange(closed, HELLO, oneStep, OPTIONS));
  assert.deepEqual(a.reactions[0], { records: [], end: 'closed' });
  const b = reacted(await followUpExchange(reset, HELLO, oneStep, OPTIONS));
  assert.deepEqual(b.reactions[0], { records: [], end: 'reset' });
  const silent = await serve(t, peer(FLIGHT));
  const c = reacted(await followUpExchange(silent, HELLO, oneStep, OPTIONS));
  assert.deepEqual(c.reactions[0], { records: [], end: 'quiet' });
});

test('hostile: silence past the deadline is a timeout', { timeout: 10_000 }, async (t) => {
  const silent = await serve(t, peer(FLIGHT));
  const outcome = reacted(
    await followUpExchange(silent, HELLO, () => ({ steps: [{ bytes: STEP1 }] }), {
      ...OPTIONS,
      timeoutMs: 400,
      quietMs: 5000,
    }),
  );
  assert.deepEqual(outcome.reactions[0], { records: [], end: 'timeout' });
});

test('hostile: a server that never answers the hello times out, nothing is planned', async (t) => {
  const endpoint = await serve(t, () => {});
  let planned = false;
  const outcome = await followUpExchange(
    endpoint,
    HELLO,
    () => {
      planned = true;
      return twoSteps();
    },
    { ...OPTIONS, timeoutMs: 300 },
  );
  assert.equal(outcome.kind, 'timeout');
  assert.equal(planned, false);
});

test('hostile: a truncated record then a close, or then silence, is malformed', async (t) => {
  const cut = concatBytes([Uint8Array.of(21, 3, 3, 0, 100), new Uint8Array(10)]);
  for (const finish of ['close', 'silence'] as const) {
    const endpoint = await serve(
      t,
      peer(FLIGHT, (socket) => (finish === 'close' ? socket.end(cut) : socket.write(cut))),
    );
    const outcome = reacted(
      await followUpExchange(endpoint, HELLO, () => ({ steps: [{ bytes: STEP1 }] }), OPTIONS),
    );
    const reaction = outcome.reactions[0];
    assert.equal(reaction?.end, 'malformed', finish);
    assert.equal(reaction?.error?.code, 'WT_ERR_WIRE_DECODE');
    assert.match(reaction?.error?.message ?? '', /cut short: 15 byte/);
  }
});

test('hostile: bytes that are not TLS records, or an oversized record, are malformed', async (t) => {
  const http = await serve(
    t,
    peer(FLIGHT, (socket) => socket.end('HTTP/1.1 400 Bad Request\r\n')),
  );
  const huge = await serve(
    t,
    peer(FLIGHT, (socket) => socket.write(Uint8Array.of(23, 3, 3, 0xff, 0xff))),
  );
  const oneStep = (): FollowUpPlan => ({ steps: [{ bytes: STEP1 }] });
  const a = reacted(await followUpExchange(http, HELLO, oneStep, OPTIONS));
  assert.equal(a.reactions[0]?.end, 'malformed');
  assert.equal(a.reactions[0]?.error?.code, 'WT_ERR_WIRE_DECODE');
  const b = reacted(await followUpExchange(huge, HELLO, oneStep, OPTIONS));
  assert.equal(b.reactions[0]?.error?.code, 'WT_ERR_WIRE_TOO_LARGE');
});

test('hostile: a flood of records stops at the record cap; a flood of bytes at the byte cap', async (t) => {
  const warnings = concatBytes(Array.from({ length: 100 }, () => alertRecord(1, 100)));
  const chatty = await serve(
    t,
    peer(FLIGHT, (socket) => socket.write(warnings)),
  );
  const oneStep = (): FollowUpPlan => ({ steps: [{ bytes: STEP1 }] });
  const a = reacted(await followUpExchange(chatty, HELLO, oneStep, OPTIONS));
  assert.equal(a.reactions[0]?.records.length, MAX_REACTION_RECORDS);
  assert.equal(a.reactions[0]?.end, 'stopped');

  const filler = encodeRecords(CONTENT_TYPE.application_data, 0x0303, new Uint8Array(16000));
  const flood = await serve(
    t,
    peer(FLIGHT, (socket) => {
      for (let i = 0; i < 8; i++) socket.write(filler);
    }),
  );
  const b = reacted(
    await followUpExchange(flood, HELLO, oneStep, { ...OPTIONS, maxBytes: 20_000 }),
  );
  assert.equal(b.reactions[0]?.end, 'malformed');
  assert.ok(b.reactions[0]?.error instanceof WiretightError);
  assert.equal(b.reactions[0]?.error?.code, 'WT_ERR_WIRE_TOO_LARGE');
});

test('a declined plan sends nothing after the hello', async (t) => {
  let later = 0;
  const endpoint = await serve(
    t,
    peer(FLIGHT, () => later++),
  );
  const outcome = await followUpExchange(endpoint, HELLO, () => ({ declined: 'no' }), OPTIONS);
  assert.equal(outcome.kind, 'declined');
  if (outcome.kind === 'declined') assert.equal(outcome.reason, 'no');
  assert.equal(later, 0);
});

test('no complete flight: an alert within it, a close before ServerHelloDone, TLS 1.3', async (t) => {
  const cases: [string, Uint8Array, RegExp][] = [
    [
      'alert',
      concatBytes([
        encodeRecords(CONTENT_TYPE.handshake, 0x0303, serverHello()),
        alertRecord(2, 40),
      ]),
      /alert handshake_failure/,
    ],
    ['cut', encodeRecords(CONTENT_TYPE.handshake, 0x0303, serverHello()), /before ServerHelloDone/],
    [
      'tls13',
      encodeRecords(
        CONTENT_TYPE.handshake,
        0x0303,
        serverHello({
          extensions: [{ type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) }],
        }),
      ),
      /TLS 1\.3/,
    ],
  ];
  for (const [name, flight, why] of cases) {
    const endpoint = await serve(t, (socket) => socket.once('data', () => socket.end(flight)));
    const outcome = await followUpExchange(endpoint, HELLO, twoSteps, OPTIONS);
    assert.equal(outcome.kind, 'no-flight', name);
    if (outcome.kind === 'no-flight') assert.match(outcome.reason, why, name);
  }
});

test('a refused hello is the hello outcome itself', async (t) => {
  const endpoint = await serve(t, (socket) =>
    socket.once('data', () => socket.end(alertRecord(2, 70))),
  );
  const outcome = await followUpExchange(endpoint, HELLO, twoSteps, OPTIONS);
  assert.equal(outcome.kind, 'alert');
});

test('a quiet period that is not a positive number is a RangeError', () => {
  const endpoint = { host: 'localhost', address: '127.0.0.1', port: 1 };
  for (const quietMs of [0, -1, Number.NaN]) {
    assert.throws(
      () => followUpExchange(endpoint, HELLO, twoSteps, { ...OPTIONS, quietMs }),
      RangeError,
    );
  }
});
