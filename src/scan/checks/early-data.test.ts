import assert from 'node:assert/strict';
import test from 'node:test';
import { WiretightError } from '../../errors.ts';
import { serve } from '../../probe/testdata/peer.ts';
import type { ResumptionOutcome, TicketOutcome } from '../../probe/tls13-resumption-exchange.ts';
import { parseAlert } from '../../wire/alert.ts';
import { encodeServerKeyShare } from '../../wire/extensions/key-share.ts';
import { encodeServerSupportedVersion } from '../../wire/extensions/supported-versions.ts';
import { EXTENSION_TYPES as X } from '../../wire/registry/extension-types.ts';
import { type ServerHelloFacts, serverHelloFacts } from '../../wire/server-hello.ts';
import type { ResumptionTicket } from '../../wire/tls13/client-session.ts';
import { encodeTicketEarlyData } from '../../wire/tls13/early-data.ts';
import {
  parseNewSessionTicket,
  encodeNewSessionTicket,
} from '../../wire/tls13/new-session-ticket.ts';
import { FakeTls13Server, fakeConnection } from '../../wire/tls13/testdata/fake-server.ts';
import { concludeEarlyData, probeEarlyData } from './early-data.ts';
import { helloRetry } from './testdata/outcomes.ts';

const facts: ServerHelloFacts = serverHelloFacts({
  legacyVersion: 0x0303,
  random: new Uint8Array(32).fill(1),
  sessionId: new Uint8Array(32),
  cipherSuite: 0x1301,
  compressionMethod: 0,
  extensions: [
    { type: X.supported_versions, data: encodeServerSupportedVersion(0x0304) },
    {
      type: X.key_share,
      data: encodeServerKeyShare({ group: 0x001d, keyExchange: new Uint8Array(32).fill(9) }),
    },
  ],
});

function ticket(maxEarlyDataSize?: number): ResumptionTicket {
  const extensions =
    maxEarlyDataSize === undefined
      ? []
      : [{ type: X.early_data, data: encodeTicketEarlyData(maxEarlyDataSize) }];
  const nst = parseNewSessionTicket(
    encodeNewSessionTicket({
      lifetimeSec: 7200,
      ageAdd: 5,
      nonce: Uint8Array.of(0),
      ticket: Uint8Array.of(1, 2, 3),
      extensions,
    }),
  );
  return { suite: 0x1301, psk: new Uint8Array(32), ticket: nst };
}

const issued = (maxEarlyDataSize?: number): TicketOutcome => ({
  kind: 'ticket',
  facts,
  ticket: ticket(maxEarlyDataSize),
  receivedAtMs: 0,
  certificateRequested: false,
});

const resumed = (r: boolean, early?: boolean): ResumptionOutcome => ({
  kind: 'server-hello',
  facts,
  resumed: r,
  ...(early === undefined ? {} : { earlyDataAccepted: early }),
});

test('0-RTT accepted: every fact, and no reason', () => {
  assert.deepEqual(concludeEarlyData(issued(16384), resumed(true, true)), {
    ticketIssued: true,
    ticketLifetimeSec: 7200,
    maxEarlyDataSize: 16384,
    resumed: true,
    earlyDataAccepted: true,
  });
});

test('resumed without 0-RTT, and a server that does not resume its own ticket', () => {
  assert.deepEqual(concludeEarlyData(issued(), resumed(true, false)), {
    ticketIssued: true,
    ticketLifetimeSec: 7200,
    resumed: true,
    earlyDataAccepted: false,
  });
  const full = concludeEarlyData(issued(1024), resumed(false, false));
  assert.equal(full.resumed, false);
  assert.equal(full.earlyDataAccepted, false);
  assert.match(full.reason ?? '', /did not accept its own ticket/);
});

test('no ticket: nothing is known about resumption, and the reason says why', () => {
  const cases: [TicketOutcome, RegExp][] = [
    [{ kind: 'no-ticket', facts, why: 'wait-expired', handshakeDone: true }, /no NewSessionTicket/],
    [
      {
        kind: 'no-ticket',
        facts,
        why: 'alert',
        handshakeDone: true,
        alert: parseAlert(Uint8Array.of(2, 116)),
      },
      /alert.*certificate_required/,
    ],
    [{ kind: 'no-ticket', facts, why: 'deadline', handshakeDone: false }, /deadline/],
    [{ kind: 'no-flight', facts }, /TLS 1\.3 handshake/],
    [{ kind: 'timeout' }, /deadline/],
    [{ kind: 'closed' }, /closed/],
    [
      { kind: 'malformed', error: new WiretightError('WT_ERR_WIRE_TOO_LARGE', 'ticket too big') },
      /WT_ERR_WIRE_TOO_LARGE: ticket too big/,
    ],
    [{ kind: 'alert', alert: parseAlert(Uint8Array.of(2, 40)) }, /fatal handshake_failure/],
  ];
  for (const [outcome, reason] of cases) {
    const f = concludeEarlyData(outcome);
    assert.equal(f.ticketIssued, false);
    assert.equal(f.resumed, null);
    assert.equal(f.earlyDataAccepted, null);
    assert.match(f.reason ?? '', reason, JSON.stringify(outcome));
  }
});

test('a ticket but no usable answer to the resumption: unknowns stay null', () => {
  const unread = concludeEarlyData(issued(16384), {
    kind: 'server-hello',
    facts,
    resumed: true,
    error: new WiretightError('WT_ERR_WIRE_DECRYPT', 'bad record'),
  });
  assert.deepEqual(
    [unread.ticketIssued, unread.resumed, unread.earlyDataAccepted],
    [true, true, null],
  );
  assert.match(unread.reason ?? '', /WT_ERR_WIRE_DECRYPT/);
  const reset = concludeEarlyData(issued(), { kind: 'reset' });
  assert.deepEqual([reset.resumed, reset.earlyDataAccepted], [null, null]);
  assert.equal(concludeEarlyData(issued()).resumed, null);
});

test('a HelloRetryRequest to the resumption rejects 0-RTT (RFC 8446 §4.2.10)', () => {
  const hrr = serverHelloFacts(helloRetry(0x1301));
  const f = concludeEarlyData(issued(16384), { kind: 'no-flight', facts: hrr });
  assert.deepEqual([f.resumed, f.earlyDataAccepted], [null, false]);
  assert.match(f.reason ?? '', /HelloRetryRequest/);
});

test('the facts are plain JSON', () => {
  const f = concludeEarlyData(issued(16384), resumed(true, true));
  assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
});

test('probeEarlyData: two connections when a ticket comes, one when none does', async (t) => {
  let connections = 0;
  const run = async (server: FakeTls13Server) => {
    connections = 0;
    const handle = fakeConnection(server);
    const endpoint = await serve(t, (socket) => {
      connections++;
      handle(socket);
    });
    return probeEarlyData(endpoint, {
      sni: 'localhost',
      suites: [0x1301, 0x00ff],
      group: 0x001d,
      limits: { timeoutMs: 3000, maxBytes: 0 },
      ticketWaitMs: 200,
    });
  };
  const accepting = new FakeTls13Server({ earlyData: true });
  assert.deepEqual(await run(accepting), {
    ticketIssued: true,
    ticketLifetimeSec: 7200,
    maxEarlyDataSize: 16384,
    resumed: true,
    earlyDataAccepted: true,
  });
  assert.equal(connections, 2);
  assert.equal(accepting.earlyDataAccepted, 1);

  const silent = await run(new FakeTls13Server({ afterFinished: () => [] }));
  assert.equal(silent.ticketIssued, false);
  assert.equal(connections, 1);
});

test('probeEarlyData: no TLS 1.3 suite or an unusable group is a caller error', async () => {
  const endpoint = { host: 'localhost', address: '127.0.0.1', port: 9 };
  const limits = { timeoutMs: 100, maxBytes: 0 };
  await assert.rejects(
    probeEarlyData(endpoint, { sni: undefined, suites: [0xc02f], group: 0x001d, limits }),
    RangeError,
  );
  await assert.rejects(
    probeEarlyData(endpoint, { sni: undefined, suites: [0x1301], group: 0x0100, limits }),
    RangeError,
  );
});
